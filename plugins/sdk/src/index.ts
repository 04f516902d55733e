export { definePlugin } from "./define-plugin.ts";
export type * from "./types.ts";
