import type { Issue } from "@crm/core";
import { ValidationFailed } from "../errors.ts";
import { checkPasswordPolicy } from "./password.ts";

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const EMAIL = /^[^\s@]+@[^\s@]+$/;

type Rule = { required?: boolean } & (
  | { type: "string"; max: number; pattern?: RegExp; hint?: string; nullable?: boolean }
  | { type: "email" }
  | { type: "password" }
  | { type: "raw"; max: number }
  | { type: "boolean" }
  | { type: "uuid"; nullable?: boolean }
  | { type: "uuid[]" }
  | { type: "object" }
  | { type: "datetime"; nullable?: boolean }
);
export type InputSpec = Record<string, Rule>;

type Nullable<R, T> = R extends { nullable: true } ? T | null : T;
type Out<R> = R extends { type: "string" } ? Nullable<R, string>
  : R extends { type: "email" | "password" | "raw" } ? string
  : R extends { type: "boolean" } ? boolean
  : R extends { type: "uuid" } ? Nullable<R, string>
  : R extends { type: "uuid[]" } ? string[]
  : R extends { type: "object" } ? Record<string, unknown>
  : R extends { type: "datetime" } ? Nullable<R, Date>
  : never;
export type Input<S extends InputSpec> = { [K in keyof S]?: Out<S[K]> };

const pointerOf = (name: string) => `/${name.replace(/~/g, "~0").replace(/\//g, "~1")}`;

/**
 * Check a JSON body against a spec, collecting every issue at once (unknown properties included);
 * throws VALIDATION_FAILED (422) with a JSON Pointer per issue. `partial` skips `required` (PATCH).
 * @example readInput(body, { name: { type: "string", max: 200, required: true } })
 */
export function readInput<S extends InputSpec>(body: Record<string, unknown>, spec: S, options: { partial?: boolean } = {}): Input<S> {
  const issues: Issue[] = [];
  const out: Record<string, unknown> = {};
  for (const name of Object.keys(body)) {
    if (!(name in spec)) issues.push({ code: "UNKNOWN_PROPERTY", pointer: pointerOf(name), message: `"${name}" is not a known property here; expected ${Object.keys(spec).join(", ")}.` });
  }
  for (const [name, rule] of Object.entries(spec)) {
    const pointer = pointerOf(name);
    const value = body[name];
    if (value === undefined) {
      if (rule.required && !options.partial) issues.push({ code: "REQUIRED", pointer, message: `"${name}" is required.` });
      continue;
    }
    const checked = checkValue(value, rule, pointer);
    if ("issue" in checked) issues.push(...checked.issue);
    else out[name] = checked.value;
  }
  if (issues.length) throw ValidationFailed("The input has problems; see issues.", { issues });
  return out as Input<S>;
}

function checkValue(value: unknown, rule: Rule, pointer: string): { value: unknown } | { issue: Issue[] } {
  const fail = (code: string, message: string) => ({ issue: [{ code, pointer, message }] });
  if (value === null && "nullable" in rule && rule.nullable) return { value: null };
  switch (rule.type) {
    case "string": {
      const text = typeof value === "string" ? value.trim() : undefined;
      if (text === undefined || text.length === 0 || text.length > rule.max) return fail("INVALID_VALUE", `Expected a non-empty string of at most ${rule.max} characters.`);
      if (rule.pattern && !rule.pattern.test(text)) return fail("INVALID_FORMAT", rule.hint ?? `Expected a value matching ${rule.pattern}.`);
      return { value: text };
    }
    case "email": {
      const text = typeof value === "string" ? value.trim() : "";
      return EMAIL.test(text) && text.length <= 254 ? { value: text } : fail("INVALID_EMAIL", "Expected an email address.");
    }
    case "password": {
      const issue = checkPasswordPolicy(value, pointer);
      return issue.length ? { issue } : { value };
    }
    case "raw":
      return typeof value === "string" && value.length <= rule.max ? { value } : fail("INVALID_TYPE", `Expected a string of at most ${rule.max} characters.`);
    case "boolean":
      return typeof value === "boolean" ? { value } : fail("INVALID_TYPE", "Expected true or false.");
    case "uuid":
      return typeof value === "string" && UUID.test(value) ? { value: value.toLowerCase() } : fail("INVALID_ID", "Expected an id (UUID).");
    case "uuid[]": {
      if (!Array.isArray(value) || value.length > 500) return fail("INVALID_TYPE", "Expected an array of at most 500 ids.");
      const issue = value.flatMap((v, i) => (typeof v === "string" && UUID.test(v) ? [] : [{ code: "INVALID_ID", pointer: `${pointer}/${i}`, message: "Expected an id (UUID)." }]));
      return issue.length ? { issue } : { value: [...new Set(value.map((v: string) => v.toLowerCase()))] };
    }
    case "object":
      return value !== null && typeof value === "object" && !Array.isArray(value) ? { value } : fail("INVALID_TYPE", "Expected a JSON object.");
    case "datetime": {
      const date = typeof value === "string" && /^\d{4}-\d{2}-\d{2}T/.test(value) ? new Date(value) : undefined;
      return date && !Number.isNaN(date.getTime()) ? { value: date } : fail("INVALID_DATETIME", "Expected an ISO 8601 date-time such as 2030-01-31T12:00:00Z.");
    }
  }
}
