import type { RawRequest, RawResponse } from "./fuzz-client.ts";

/** Text that only a leaked stack trace, file path or SQL statement would put in a response. */
export const FORBIDDEN = ["stack", "    at ", "node_modules", "SELECT ", "INSERT ", "UPDATE ", "DELETE FROM", "pg_", "syntax error", 'relation "'] as const;

/** The words that only a stack trace or a file path would bring. */
const TRACE_WORDS: readonly string[] = ["stack", "    at ", "node_modules"];

export function hasForbiddenText(text: string): boolean {
  return FORBIDDEN.some((word) => text.includes(word));
}

/** What a 2xx answer must look like: JSON with an `items` (lists) or `groups` (aggregates) array, JSON, or anything (documentation pages). */
export type Expect = "list" | "groups" | "json" | "any";

/**
 * Every property the API promises for any request, however malformed: no 5xx, errors as RFC 9457
 * problem documents with the HTTP status and a code, issue pointers that are JSON Pointers, and no
 * internals (stack traces, file paths, SQL) in any body. Returns the violations, empty when none.
 */
export function responseViolations(request: RawRequest, response: RawResponse, expect: Expect = "any"): string[] {
  const violations: string[] = [];
  const { status } = response;
  const type = response.headers.get("content-type") ?? "";
  const parsed = parseJson(response.text);
  const conditional = status === 304 && request.headers?.["if-none-match"] !== undefined;
  if (status >= 500 || status < 200 || (status >= 300 && status < 400 && !conditional)) violations.push(`status ${status}`);
  if (request.method === "HEAD") {
    if (status >= 400 && !type.startsWith("application/problem+json")) violations.push(`error content-type "${type}"`);
    return violations;
  }
  if (status >= 400) {
    if (!type.startsWith("application/problem+json")) violations.push(`error content-type "${type}"`);
    if (!parsed.ok) violations.push("error body is not JSON");
    else violations.push(...problemViolations(parsed.value, status));
  } else if (status === 204) {
    if (response.text !== "") violations.push("204 with a body");
  } else if (status >= 200 && status < 300 && expect !== "any") {
    if (!type.startsWith("application/json")) violations.push(`2xx content-type "${type}"`);
    if (!parsed.ok) violations.push("2xx body is not JSON");
    else if (expect === "list" && !Array.isArray((parsed.value as { items?: unknown } | null)?.items)) violations.push("list without an items array");
    else if (expect === "groups" && !Array.isArray((parsed.value as { groups?: unknown } | null)?.groups)) violations.push("aggregate without a groups array");
  }
  // Migration plans show their SQL on purpose (previews, applied changes and history list `steps[].sql`, and
  // step descriptions say `relation "Products"`): there, on success, only traces and paths count as leaks.
  const plan = status < 300 && request.path.startsWith("/api/meta/");
  const leaked = status < 400 && expect === "any" ? [] : leakedText(request, response.text, parsed).filter((word) => !plan || TRACE_WORDS.includes(word));
  if (leaked.length) violations.push(`internals in the body: ${leaked.map((w) => JSON.stringify(w)).join(", ")}`);
  return violations;
}

function problemViolations(body: unknown, status: number): string[] {
  if (body === null || typeof body !== "object" || Array.isArray(body)) return ["problem is not an object"];
  const problem = body as Record<string, unknown>;
  const violations: string[] = [];
  for (const name of ["type", "title", "code"]) {
    if (typeof problem[name] !== "string" || problem[name] === "") violations.push(`problem.${name} missing`);
  }
  if (problem["status"] !== status) violations.push(`problem.status ${JSON.stringify(problem["status"])} ≠ HTTP ${status}`);
  if (problem["issues"] !== undefined) {
    if (!Array.isArray(problem["issues"])) violations.push("problem.issues is not an array");
    else {
      for (const issue of problem["issues"] as unknown[]) {
        const pointer = (issue as { pointer?: unknown } | null)?.pointer;
        if (typeof pointer !== "string" || (pointer !== "" && !pointer.startsWith("/"))) violations.push(`issue pointer ${JSON.stringify(pointer)}`);
      }
    }
  }
  return violations;
}

/**
 * Forbidden words in the text the server wrote: the strings of a JSON body (so `relation \"x\"`
 * reads as it would to a person), minus echoes of the request and the opaque `nextCursor`.
 */
function leakedText(request: RawRequest, text: string, parsed: ParsedJson): string[] {
  let visible = parsed.ok ? strings(parsed.value).join("\n") : text;
  const cursor = parsed.ok ? (parsed.value as { nextCursor?: unknown } | null)?.nextCursor : undefined;
  if (typeof cursor === "string") visible = visible.replaceAll(cursor, "");
  const found = FORBIDDEN.filter((word) => visible.includes(word));
  if (found.length === 0) return [];
  const sent = requestText(request);
  return found.filter((word) => !sent.includes(word));
}

function requestText(request: RawRequest): string {
  const body = typeof request.body === "string" ? request.body : request.body ? new TextDecoder().decode(request.body) : "";
  const parsedBody = parseJson(body);
  return [request.path, decodeLoosely(request.path), body, parsedBody.ok ? strings(parsedBody.value).join("\n") : "", ...Object.values(request.headers ?? {})].join("\n");
}

function decodeLoosely(text: string): string {
  return text.replace(/\+/g, " ").replace(/(%[0-9a-f]{2})+/gi, (run) => {
    try {
      return decodeURIComponent(run);
    } catch {
      return run;
    }
  });
}

/** Every string in a JSON value, keys included. */
function strings(value: unknown, out: string[] = []): string[] {
  if (typeof value === "string") out.push(value);
  else if (Array.isArray(value)) for (const item of value) strings(item, out);
  else if (value !== null && typeof value === "object") {
    for (const [key, item] of Object.entries(value)) {
      out.push(key);
      strings(item, out);
    }
  }
  return out;
}

type ParsedJson = { ok: true; value: unknown } | { ok: false };

function parseJson(text: string): ParsedJson {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false };
  }
}
