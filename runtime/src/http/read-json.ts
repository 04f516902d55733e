import type { Context } from "hono";
import type { Issue } from "@crm/core";
import { BadRequest, InvalidJson, Unsupported, ValidationFailed } from "../errors.ts";

/** Parse a JSON request body; bad media types and bad JSON are clear 4xx problems, never 500s. */
export async function readJson(c: Context): Promise<unknown> {
  const type = c.req.header("content-type") ?? "";
  if (!/^application\/([a-z.+-]*\+)?json\b/i.test(type)) {
    throw Unsupported(`Send the body as application/json (got "${type || "no content type"}").`);
  }
  const text = await c.req.text();
  if (!text.trim()) throw InvalidJson("The request body is empty; a JSON object is expected.");
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (error) {
    throw InvalidJson(`The request body is not valid JSON: ${(error as Error).message}`);
  }
  checkJsonValue(body);
  return body;
}

/** Deeper than any record, definition or batch needs; deeper input is refused before anything walks it recursively. */
export const MAX_JSON_DEPTH = 32;

/**
 * Refuse what no part of the system can hold: nesting deeper than MAX_JSON_DEPTH (validators and
 * hashing recurse) and the NUL character (PostgreSQL text cannot store it). Iterative, so hostile
 * depth cannot overflow the stack here either.
 */
export function checkJsonValue(body: unknown): void {
  // Pointers are built only for the value that fails: a valid body costs one pass and no strings.
  type Item = { value: unknown; depth: number; parent?: Item; key?: string };
  const pointerOf = (item: Item): string => (item.parent ? `${pointerOf(item.parent)}/${escape(item.key!)}` : "");
  const stack: Item[] = [{ value: body, depth: 0 }];
  while (stack.length) {
    const item = stack.pop()!;
    const value = item.value;
    if (typeof value === "string") {
      if (value.includes("\u0000")) throw ValidationFailed("Text cannot contain the NUL character (\\u0000).", { issues: [{ code: "INVALID_CHARACTER", pointer: pointerOf(item), message: "Remove the NUL character (\\u0000)." }] });
      continue;
    }
    if (value === null || typeof value !== "object") continue;
    if (item.depth >= MAX_JSON_DEPTH) {
      throw BadRequest(`The JSON is nested more than ${MAX_JSON_DEPTH} levels deep.`, { issues: [{ code: "TOO_DEEP", pointer: pointerOf(item), message: `Nested more than ${MAX_JSON_DEPTH} levels deep.` }] });
    }
    for (const key in value) {
      if (key.includes("\u0000")) throw ValidationFailed("Property names cannot contain the NUL character.", { issues: [{ code: "INVALID_CHARACTER", pointer: pointerOf(item), message: "A property name holds a NUL character." }] });
      stack.push({ value: (value as Record<string, unknown>)[key], depth: item.depth + 1, parent: item, key });
    }
  }
}

/**
 * Paths and query parameters reach SQL as values, and PostgreSQL text cannot hold the NUL character:
 * refuse it in the URL once, for every route.
 */
export function refuseNulInUrl(url: string): void {
  if (!/%00|\u0000/i.test(url)) return;
  throw BadRequest("The URL contains the NUL character (%00).", { issues: [{ code: "INVALID_CHARACTER", pointer: "", message: "Remove %00 from the path and query." }] });
}

/** Read a JSON object body and check the shape of its envelope properties. */
export async function readObject(c: Context): Promise<Record<string, unknown>> {
  const body = await readJson(c);
  if (body === null || typeof body !== "object" || Array.isArray(body)) {
    throw BadRequest("The request body must be a JSON object.", { issues: [{ code: "INVALID_TYPE", pointer: "", message: "Expected a JSON object." }] });
  }
  return body as Record<string, unknown>;
}

/**
 * An optional JSON object body: none (or only whitespace) reads as `{}`; anything else must be a JSON
 * object sent as application/json, with the same clear 4xx problems as `readObject`.
 */
export async function readOptionalObject(c: Context): Promise<Record<string, unknown>> {
  const text = await c.req.text();
  if (!text.trim()) return {};
  return readObject(c);
}

type Check = "object" | "integer" | "string[]" | "array";

/**
 * Check envelope properties (not the definitions inside them: core validates those) and collect every
 * issue at once.
 * @example checkEnvelope(body, { definition: ["object", true], baseVersion: ["integer", false] })
 */
export function checkEnvelope(body: Record<string, unknown>, spec: Record<string, readonly [Check, boolean]>): void {
  const issues: Issue[] = [];
  for (const [name, [check, required]] of Object.entries(spec)) {
    const value = body[name];
    if (value === undefined) {
      if (required) issues.push({ code: "REQUIRED", pointer: `/${name}`, message: `"${name}" is required.` });
      continue;
    }
    const ok =
      check === "object" ? value !== null && typeof value === "object" && !Array.isArray(value)
      : check === "integer" ? Number.isSafeInteger(value) && (value as number) >= 1
      : check === "array" ? Array.isArray(value)
      : Array.isArray(value) && value.every((v) => typeof v === "string");
    if (!ok) issues.push({ code: "INVALID_TYPE", pointer: `/${name}`, message: `"${name}" must be ${describe(check)}.` });
  }
  for (const name of Object.keys(body)) {
    if (!(name in spec)) issues.push({ code: "UNKNOWN_PROPERTY", pointer: `/${escape(name)}`, message: `"${name}" is not a known property here; expected ${Object.keys(spec).join(", ")}.` });
  }
  if (issues.length) throw BadRequest("The request body has problems; see issues.", { issues });
}

function escape(token: string) {
  return token.replace(/~/g, "~0").replace(/\//g, "~1");
}

function describe(check: Check) {
  return { object: "a JSON object", integer: "a positive integer", "string[]": "an array of strings", array: "an array" }[check];
}
