import { parseDay } from "../expression/calendar.ts";
import { escapePointerToken, type Issue, type Result } from "../issues.ts";

/** An input a manual or webhook trigger declares (`$key` in the workflow's expressions). */
export interface TriggerInput {
  key: string;
  type: "text" | "number" | "boolean" | "date" | "datetime";
  label?: string;
  required?: boolean;
}

const MAX_TEXT = 10_000;
const DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

function problem(input: TriggerInput, value: unknown): string | undefined {
  switch (input.type) {
    case "text":
      return typeof value === "string" && value.length <= MAX_TEXT ? undefined : `Expected text of at most ${MAX_TEXT} characters.`;
    case "number":
      return typeof value === "number" && Number.isFinite(value) ? undefined : "Expected a number.";
    case "boolean":
      return typeof value === "boolean" ? undefined : "Expected true or false.";
    case "date":
      return typeof value === "string" && parseDay(value) !== undefined ? undefined : "Expected a date (YYYY-MM-DD).";
    case "datetime":
      return typeof value === "string" && DATETIME.test(value) && !Number.isNaN(Date.parse(value)) ? undefined : "Expected a date-time with its offset (2026-03-01T09:30:00Z).";
  }
}

/**
 * Check the values given for a trigger's declared inputs: each of its type, the required ones
 * present, no others (unless `allowOthers`, for a webhook payload that carries more). Every issue at
 * once, with pointers under `pointer`; the value is the inputs in their JSON form (dates as
 * `YYYY-MM-DD`, date-times as ISO), ready as expression variables. Absent optional inputs are null.
 * @example
 * checkTriggerInputs([{ key: "reason", type: "text", required: true }], { reason: 3 }, "/inputs")
 * // { ok: false, issues: [{ code: "INVALID_INPUT", pointer: "/inputs/reason", message: "Expected text of at most 10000 characters." }] }
 */
export function checkTriggerInputs(declared: readonly TriggerInput[], given: unknown, pointer = "/inputs", allowOthers = false): Result<Record<string, unknown>> {
  if (given !== undefined && (given === null || typeof given !== "object" || Array.isArray(given))) {
    return { ok: false, issues: [{ code: "INVALID_TYPE", pointer, message: "Expected a JSON object of input values." }] };
  }
  const values = (given ?? {}) as Record<string, unknown>;
  const issues: Issue[] = [];
  const out: Record<string, unknown> = {};
  for (const input of declared) {
    const at = `${pointer}/${escapePointerToken(input.key)}`;
    const value = Object.hasOwn(values, input.key) ? values[input.key] : undefined;
    if (value === undefined || value === null) {
      if (input.required) issues.push({ code: "REQUIRED", pointer: at, message: `"${input.label ?? input.key}" is required.` });
      out[input.key] = null;
      continue;
    }
    const message = problem(input, value);
    if (message) issues.push({ code: "INVALID_INPUT", pointer: at, message });
    else out[input.key] = input.type === "datetime" ? new Date(value as string).toISOString() : value;
  }
  if (!allowOthers) {
    const known = new Set(declared.map((i) => i.key));
    for (const key of Object.keys(values)) {
      if (!known.has(key)) issues.push({ code: "UNKNOWN_INPUT", pointer: `${pointer}/${escapePointerToken(key)}`, message: `"${key.slice(0, 100)}" is not an input of this workflow${known.size ? ` (${[...known].join(", ")})` : ""}.` });
    }
  }
  return issues.length ? { ok: false, issues } : { ok: true, value: out };
}
