export * from "./issues.ts";
export * from "./definition/types.ts";
export * from "./migration/types.ts";
