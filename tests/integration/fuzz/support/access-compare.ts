import { isDeepStrictEqual } from "node:util";
import { sendRaw, type RawResponse } from "./fuzz-client.ts";

/** Where one database's server listens and how the probe signs in there. */
export interface Side {
  url: string;
  headers: Record<string, string>;
}

/** What must match between the two databases: status and body (a problem's `requestId` aside). */
function comparable(response: RawResponse): { status: number; body: unknown } {
  let body: unknown = response.text;
  try {
    body = JSON.parse(response.text);
  } catch {
    // not JSON: compare the text
  }
  if (body && typeof body === "object" && "requestId" in body) {
    const { requestId: _, ...rest } = body as Record<string, unknown>;
    body = rest;
  }
  return { status: response.status, body };
}

/** The first place two JSON values differ: its JSON Pointer and the two values. */
function firstDifference(a: unknown, b: unknown, at = ""): { pointer: string; values: string } | undefined {
  if (isDeepStrictEqual(a, b)) return undefined;
  if (a && b && typeof a === "object" && typeof b === "object") {
    for (const key of new Set([...Object.keys(a), ...Object.keys(b)])) {
      const inner = firstDifference((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key], `${at}/${key}`);
      if (inner) return inner;
    }
  }
  return { pointer: at || "/", values: `${JSON.stringify(a)?.slice(0, 300)} ≠ ${JSON.stringify(b)?.slice(0, 300)}` };
}

/** Two different answers (or a server error); `signature` groups alike ones (`GET /api/records/deal /body/items/n/company`). */
export class Mismatch extends Error {
  readonly signature: string;
  constructor(message: string, signature: string) {
    super(message);
    this.signature = signature;
  }
}

/**
 * GET `path` from both sides as the probe and throw, with both answers, unless they are the same and
 * below 500. Returns the common answer.
 */
export async function sameAnswer(path: string, a: Side, b: Side): Promise<{ status: number; body: unknown }> {
  const [ra, rb] = await Promise.all([sendRaw(a.url, { method: "GET", path, headers: a.headers }), sendRaw(b.url, { method: "GET", path, headers: b.headers })]);
  const [ca, cb] = [comparable(ra), comparable(rb)];
  const failed = ca.status >= 500 || cb.status >= 500;
  const difference = firstDifference(ca, cb);
  if (failed || difference) {
    const route = path.split("?")[0]!.replace(/[0-9a-f]{8}-[0-9a-f-]{27}/g, ":id");
    const signature = failed ? `GET ${route} ${ca.status}/${cb.status}` : `GET ${route} ${difference!.pointer.replace(/\/\d+(?=\/|$)/g, "/n")}`;
    throw new Mismatch(
      [
        failed ? "server error" : "the databases answer differently: the answer depends on what the caller cannot see",
        `  request: GET ${path}`,
        `  first difference: ${difference ? `${difference.pointer}: ${difference.values}` : "none"}`,
        `  A: ${ra.status} ${ra.text.slice(0, 1500)}`,
        `  B: ${rb.status} ${rb.text.slice(0, 1500)}`,
      ].join("\n"),
      signature,
    );
  }
  return ca;
}
