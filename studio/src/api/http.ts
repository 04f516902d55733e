import type { Issue } from "@crm/core";

/** An `application/problem+json` answer (RFC 9457) as the runtime sends it. */
export interface Problem {
  status: number;
  code: string;
  title: string;
  detail?: string;
  issues?: Issue[];
}

/** A non-2xx answer; `problem` is the parsed body (or one made up when the body was not a problem). */
export class ApiError extends Error {
  readonly status: number;
  readonly problem: Problem;
  constructor(problem: Problem) {
    super(problem.detail ?? problem.title);
    this.name = "ApiError";
    this.status = problem.status;
    this.problem = problem;
  }
}

export type Query = Record<string, string | number | boolean | readonly string[] | undefined>;

export interface RequestOptions {
  query?: Query;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface ApiResponse<T> {
  status: number;
  data: T;
  headers: Headers;
}

const UNSAFE = new Set(["POST", "PUT", "PATCH", "DELETE"]);
export const CSRF_COOKIE = "crm_csrf";

/** The value of the readable CSRF cookie the runtime set at sign-in, echoed on every write. */
export function csrfToken(cookies: string = document.cookie): string | undefined {
  for (const part of cookies.split(";")) {
    const [name, ...value] = part.trim().split("=");
    if (name === CSRF_COOKIE) return decodeURIComponent(value.join("="));
  }
  return undefined;
}

/**
 * `path?query` with repeated parameters for arrays (`filter` repeats to AND conditions).
 * @example apiUrl("/api/records/account", { filter: ["a:eq:1", "b:eq:2"], limit: 50 })
 * // "/api/records/account?filter=a%3Aeq%3A1&filter=b%3Aeq%3A2&limit=50"
 */
export function apiUrl(path: string, query: Query = {}): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) {
    if (value === undefined || value === "") continue;
    if (Array.isArray(value)) for (const item of value) params.append(name, item);
    else params.append(name, String(value));
  }
  const text = params.toString();
  return text ? `${path}?${text}` : path;
}

async function problemOf(response: Response): Promise<Problem> {
  const text = await response.text();
  try {
    const body = JSON.parse(text) as Partial<Problem>;
    if (body && typeof body === "object" && typeof body.code === "string") return { ...body, status: response.status, code: body.code, title: body.title ?? response.statusText };
  } catch {
    // not JSON: described below
  }
  return { status: response.status, code: `HTTP_${response.status}`, title: response.statusText || "Request failed", detail: text.slice(0, 200) || undefined };
}

/** Listeners told when any request answers 401 (the session ended): the app sends the user to sign-in. */
const unauthorizedListeners = new Set<() => void>();
export function onUnauthorized(listener: () => void): () => void {
  unauthorizedListeners.add(listener);
  return () => unauthorizedListeners.delete(listener);
}

/**
 * The one function that talks HTTP to the runtime: same-origin cookies, the CSRF token on writes,
 * JSON in and out, problems thrown as `ApiError`.
 */
export async function request<T>(method: string, path: string, options: RequestOptions = {}): Promise<ApiResponse<T>> {
  const headers: Record<string, string> = { accept: "application/json", ...options.headers };
  if (options.body !== undefined) headers["content-type"] = "application/json";
  if (UNSAFE.has(method)) {
    const token = csrfToken();
    if (token) headers["x-csrf-token"] = token;
  }
  const response = await fetch(apiUrl(path, options.query), {
    method,
    headers,
    credentials: "same-origin",
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  });
  if (!response.ok) {
    const problem = await problemOf(response);
    if (response.status === 401 && path !== "/api/auth/login") for (const listener of unauthorizedListeners) listener();
    throw new ApiError(problem);
  }
  const text = response.status === 204 ? "" : await response.text();
  return { status: response.status, data: (text ? JSON.parse(text) : undefined) as T, headers: response.headers };
}
