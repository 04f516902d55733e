export { definePlugin } from "./define-plugin.ts";
export { findAll } from "./find-all.ts";
export type * from "./types.ts";
