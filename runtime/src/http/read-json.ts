import type { Context } from "hono";
import type { Issue } from "@crm/core";
import { BadRequest, InvalidJson, Unsupported } from "../errors.ts";

/** Parse a JSON request body; bad media types and bad JSON are clear 4xx problems, never 500s. */
export async function readJson(c: Context): Promise<unknown> {
  const type = c.req.header("content-type") ?? "";
  if (!/^application\/([a-z.+-]*\+)?json\b/i.test(type)) {
    throw Unsupported(`Send the body as application/json (got "${type || "no content type"}").`);
  }
  const text = await c.req.text();
  if (!text.trim()) throw InvalidJson("The request body is empty; a JSON object is expected.");
  try {
    return JSON.parse(text);
  } catch (error) {
    throw InvalidJson(`The request body is not valid JSON: ${(error as Error).message}`);
  }
}

/** Read a JSON object body and check the shape of its envelope properties. */
export async function readObject(c: Context): Promise<Record<string, unknown>> {
  const body = await readJson(c);
  if (body === null || typeof body !== "object" || Array.isArray(body)) {
    throw BadRequest("The request body must be a JSON object.", { issues: [{ code: "INVALID_TYPE", pointer: "", message: "Expected a JSON object." }] });
  }
  return body as Record<string, unknown>;
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
