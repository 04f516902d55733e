import type { JsonValue } from "./types.ts";

/**
 * Parse JSON that came out of a sandbox. `JSON.parse` makes `"__proto__"` an own property, which
 * is harmless here but turns into a prototype change the moment host code copies it with
 * `Object.assign` or `obj[key] = value`, so such keys are dropped.
 * @example readJson('{"__proto__":{"admin":true},"a":1}') // { a: 1 }
 */
export function readJson(text: string): JsonValue {
  if (!text.includes('"__proto__"')) return JSON.parse(text) as JsonValue;
  return JSON.parse(text, (key, value: unknown) => (key === "__proto__" ? undefined : value)) as JsonValue;
}
