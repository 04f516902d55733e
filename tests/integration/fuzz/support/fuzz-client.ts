/** One request exactly as it goes on the wire: the path keeps its raw query string (malformed escapes too). */
export interface RawRequest {
  method: string;
  /** `/api/records/account?filter=…`, sent as is. */
  path: string;
  headers?: Record<string, string>;
  body?: string | Uint8Array;
}

export interface RawResponse {
  status: number;
  headers: Headers;
  text: string;
}

/** A request that takes longer than this counts as a hang. */
export const HANG_AFTER_MS = 15_000;

let sent = 0;

/** Requests sent by this worker so far (every fuzz suite counts toward the run's total). */
export function requestsSent(): number {
  return sent;
}

/** Where requests go: a test server (they act as its first admin unless they carry credentials) or a bare origin. */
export type Target = string | { url: string; admin: { token: string } };

/** Send a raw request over real HTTP; a hang fails with a clear message instead of a test timeout. */
export async function sendRaw(target: Target, request: RawRequest): Promise<RawResponse> {
  sent++;
  const origin = typeof target === "string" ? target : target.url;
  const given = request.headers ?? {};
  const headers = typeof target === "string" || "authorization" in given || "cookie" in given ? given : { ...given, authorization: `Bearer ${target.admin.token}` };
  let response: Response;
  try {
    response = await fetch(origin + request.path, {
      method: request.method,
      headers,
      body: request.body === undefined ? null : (request.body as BodyInit),
      signal: AbortSignal.timeout(HANG_AFTER_MS),
    });
  } catch (error) {
    const reason = (error as Error).name === "TimeoutError" ? `no response within ${HANG_AFTER_MS} ms (hang)` : `request failed: ${String(error)}; cause ${String((error as Error).cause)}`;
    throw new Error(`${request.method} ${request.path.slice(0, 300)}: ${reason}`);
  }
  return { status: response.status, headers: response.headers, text: await response.text() };
}

/** A JSON request: `body` is serialised unless it is already a string. */
export function jsonRequest(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): RawRequest {
  if (body === undefined) return { method, path, headers };
  return { method, path, headers: { "content-type": "application/json", ...headers }, body: typeof body === "string" ? body : JSON.stringify(body) };
}
