import type { ErrorObject } from "ajv";
import { escapePointerToken } from "../issues.ts";
import type { Issue } from "../issues.ts";

/** One ajv error, located at the value it is about, with what message builders need. */
export interface SchemaError {
  /** JSON Pointer of the offending value; for a missing or extra property, of that property. */
  pointer: string;
  keyword: string;
  /** Default issue code for the keyword, or the schema's `x-issue-code` for malformed values. */
  code: string;
  params: Record<string, unknown>;
  /** The offending value (`undefined` for a missing property). */
  data: unknown;
  parentSchema: Record<string, unknown> | undefined;
}

const KEYWORD_CODES: Record<string, string> = {
  required: "REQUIRED",
  additionalProperties: "UNKNOWN_PROPERTY",
  type: "INVALID_TYPE",
  enum: "INVALID_VALUE",
  const: "INVALID_VALUE",
  discriminator: "INVALID_FIELD_TYPE",
  minimum: "OUT_OF_RANGE",
  maximum: "OUT_OF_RANGE",
  exclusiveMinimum: "OUT_OF_RANGE",
  exclusiveMaximum: "OUT_OF_RANGE",
  formatMinimum: "OUT_OF_RANGE",
  formatMaximum: "OUT_OF_RANGE",
  formatExclusiveMinimum: "OUT_OF_RANGE",
  formatExclusiveMaximum: "OUT_OF_RANGE",
  minLength: "TOO_SHORT",
  maxLength: "TOO_LONG",
  minItems: "TOO_FEW_ITEMS",
  maxItems: "TOO_MANY_ITEMS",
  minProperties: "REQUIRED",
  maxProperties: "TOO_MANY_ITEMS",
  uniqueItems: "DUPLICATE_ITEM",
  pattern: "INVALID_FORMAT",
  format: "INVALID_FORMAT",
  "false schema": "NOT_ALLOWED",
};

// Errors about the shape of the container keep their generic code even where a schema names one.
const SHAPE_KEYWORDS = new Set(["type", "required", "additionalProperties", "discriminator", "false schema"]);

/**
 * Normalise ajv's errors (run with `verbose: true`): pointers at the missing/extra property or the
 * bad property name, and one error for a failed `anyOf` instead of one per branch.
 *
 * @example
 * validate({ label: {} }); readAjvErrors(validate.errors)[0]
 * // { pointer: "/id", keyword: "required", code: "REQUIRED", … }
 */
export function readAjvErrors(errors: ErrorObject[] | null | undefined): SchemaError[] {
  const list = errors ?? [];
  // Only `anyOf`: the schemas use `oneOf` solely with `discriminator`, which reports the chosen branch.
  const groups = list.filter((e) => e.keyword === "anyOf");
  const out: SchemaError[] = [];
  for (const error of list) {
    if (error.keyword === "propertyNames" || error.keyword === "if") continue;
    if (groups.some((g) => g !== error && insideGroup(error, g))) continue;
    out.push(normalise(error));
  }
  return out;
}

/**
 * Drop issues that repeat an earlier one word for word (ajv can report one rule twice, e.g. a
 * pattern checked by two subschemas).
 * @example uniqueIssues([a, a, b]) // [a, b]
 */
export function uniqueIssues(issues: Issue[]): Issue[] {
  const seen = new Set<string>();
  return issues.filter((issue) => {
    const id = `${issue.pointer}\u0000${issue.code}\u0000${issue.message}`;
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
}

function insideGroup(error: ErrorObject, group: ErrorObject): boolean {
  const sameValue = error.instancePath === group.instancePath || error.instancePath.startsWith(group.instancePath + "/");
  return sameValue && error.schemaPath.startsWith(group.schemaPath + "/");
}

function normalise(error: ErrorObject): SchemaError {
  const params = error.params as Record<string, unknown>;
  const parentSchema = error.parentSchema as Record<string, unknown> | undefined;
  const named = SHAPE_KEYWORDS.has(error.keyword) ? undefined : parentSchema?.["x-issue-code"];
  const code = typeof named === "string" ? named : (KEYWORD_CODES[error.keyword] ?? "INVALID_VALUE");
  const base = { keyword: error.keyword, code, params, parentSchema };
  const child = (name: unknown) => ({
    ...base,
    pointer: `${error.instancePath}/${escapePointerToken(String(name))}`,
    data: propertyOf(error.data, String(name)),
  });
  if (error.keyword === "required") return { ...child(params["missingProperty"]), data: undefined };
  if (error.keyword === "additionalProperties") return child(params["additionalProperty"]);
  if (error.keyword === "discriminator") return child(params["tag"]);
  if (error.propertyName !== undefined) return { ...child(error.propertyName), data: error.propertyName };
  return { ...base, pointer: error.instancePath, data: error.data };
}

function propertyOf(data: unknown, name: string): unknown {
  if (typeof data !== "object" || data === null) return undefined;
  return Object.hasOwn(data, name) ? (data as Record<string, unknown>)[name] : undefined;
}

/**
 * A short English rendering of a value for messages, cut to `max` characters.
 * @example show("a\"b") // "\"a\\\"b\""
 */
export function show(value: unknown, max = 40): string {
  const text = value === undefined ? "undefined" : JSON.stringify(value);
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/**
 * English for a JSON Schema `type` (string or list).
 * @example describeType(["integer", "null"]) // "a whole number or null"
 */
export function describeType(type: unknown): string {
  const names: Record<string, string> = {
    string: "text",
    integer: "a whole number",
    number: "a number",
    boolean: "true or false",
    object: "an object",
    array: "a list",
    null: "null",
  };
  const list = Array.isArray(type) ? type : String(type).split(",");
  return list.map((t) => names[String(t)] ?? String(t)).join(" or ");
}
