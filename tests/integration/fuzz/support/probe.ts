import { responseViolations, type Expect } from "./check-response.ts";
import { sendRaw, type RawRequest, type RawResponse, type Target } from "./fuzz-client.ts";

/**
 * `FUZZ_KEEP_GOING=1` collects every distinct violation of a run instead of stopping (and shrinking)
 * at the first: for a bug hunt. CI keeps the default, which fails fast with a shrunk counterexample.
 */
const KEEP_GOING = process.env.FUZZ_KEEP_GOING === "1";

export interface Finding {
  signature: string;
  count: number;
  request: string;
  response: string;
}

export interface Probe {
  /** Send, check every response property, and throw (or record, when keeping going) on a violation. */
  send(request: RawRequest, expect?: Expect): Promise<RawResponse>;
  /** Distinct violations seen while keeping going. */
  findings(): Finding[];
  /** Responses per `METHOD route status code`, to see which paths the generators reach (`FUZZ_STATS=1` prints them). */
  statistics(): Map<string, number>;
}

export function createProbe(target: () => Target): Probe {
  const found = new Map<string, Finding>();
  const stats = new Map<string, number>();
  return {
    async send(request, expect = "any") {
      const response = await sendRaw(target(), request);
      const outcome = `${request.method} ${route(request.path)} ${response.status} ${response.status >= 400 ? problemDetail(response.text, true) : ""}`;
      stats.set(outcome, (stats.get(outcome) ?? 0) + 1);
      const violations = responseViolations(request, response, leavesApi(request.path) ? "any" : expect);
      if (violations.length === 0) return response;
      const report = { request: describeRequest(request), response: `${response.status} ${response.headers.get("content-type") ?? ""} ${response.text.slice(0, 600)}` };
      if (!KEEP_GOING) throw new Error(`${violations.join("; ")}\n  request: ${report.request}\n  response: ${report.response}`);
      const signature = `${request.method} ${route(request.path)}: ${violations.join("; ")} ${problemDetail(response.text)}`;
      const seen = found.get(signature);
      if (seen) seen.count++;
      else found.set(signature, { signature, count: 1, ...report });
      return response;
    },
    findings: () => [...found.values()],
    statistics: () => stats,
  };
}

/**
 * Whether the client's URL parser resolves the path out of `/api` before it is sent: fetch follows
 * WHATWG URL rules, where `%2e%2e` is a dot segment too, so `/api/records/%2e%2e/..` goes out as `/`
 * and the studio's page answers it. Such a request never reaches the API, so no JSON is owed.
 */
function leavesApi(path: string): boolean {
  const pathname = new URL(path, "http://fuzz.invalid").pathname;
  return pathname !== "/api" && !pathname.startsWith("/api/");
}

function describeRequest(request: RawRequest): string {
  const body = request.body === undefined ? "" : typeof request.body === "string" ? request.body : `<${request.body.length} bytes>`;
  const headers = Object.entries(request.headers ?? {}).map(([k, v]) => `${k}: ${v}`).join(", ");
  return `${request.method} ${request.path.slice(0, 800)} [${headers.slice(0, 200)}] ${body.slice(0, 800)}`;
}

/** `/api/records/account/123?x` → `/api/records/:entity/:id` */
function route(path: string): string {
  const [pathname = ""] = path.split("?");
  const parts = pathname.split("/");
  return parts.map((part, i) => (i >= 3 && !["aggregate", "preview", "trash", "versions", "restore", "entities"].includes(part) ? ":x" : part)).join("/");
}

function problemDetail(text: string, withIssue = false): string {
  try {
    const body = JSON.parse(text) as { code?: string; issues?: Array<{ code?: string; pointer?: string }> };
    const issue = withIssue ? body.issues?.[0] : undefined;
    return `${body.code ?? ""}${issue ? ` ${issue.code} ${issue.pointer?.replace(/\/\d+/g, "/n").slice(0, 40)}` : ""}`;
  } catch {
    return text.slice(0, 80);
  }
}
