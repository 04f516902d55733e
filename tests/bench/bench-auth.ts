/** The first admin of every benchmark database: the runtime creates it on its first start from this env. */
export const BENCH_ADMIN = { email: "bench-admin@example.test", password: "bench-admin-password" } as const;
export const BENCH_ADMIN_ENV = { ADMIN_EMAIL: BENCH_ADMIN.email, ADMIN_PASSWORD: BENCH_ADMIN.password } as const;

/**
 * A JSON request to a running runtime; throws unless it answers `expect`. With `auth`, sent as a Bearer
 * token (a string) or as given headers (a session's cookie and CSRF token).
 */
export async function callApi<T = any>(
  url: string,
  method: string,
  path: string,
  options: { body?: unknown; auth?: string | Record<string, string>; expect?: number } = {},
): Promise<{ body: T; headers: Headers }> {
  const auth = typeof options.auth === "string" ? { authorization: `Bearer ${options.auth}` } : (options.auth ?? {});
  const response = await fetch(url + path, {
    method,
    headers: options.body === undefined ? auth : { "content-type": "application/json", ...auth },
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  });
  const text = await response.text();
  if (response.status !== (options.expect ?? 200)) throw new Error(`${method} ${path} answered ${response.status}: ${text.slice(0, 500)}`);
  return { body: (text ? JSON.parse(text) : undefined) as T, headers: response.headers };
}

/**
 * Sign in through `POST /api/auth/login` and create an API token of that user through
 * `POST /api/me/tokens`, as a user of the API would. Tokens live in the database, so the token works
 * on every later server process of the same database.
 */
export async function createUserToken(url: string, user: { email: string; password: string }, name = "benchmark"): Promise<{ token: string; userId: string }> {
  const signedIn = await callApi<{ user: { id: string } }>(url, "POST", "/api/auth/login", { body: user });
  const cookies = new Map(
    signedIn.headers.getSetCookie().map((line) => {
      const pair = line.split(";")[0]!;
      return [pair.slice(0, pair.indexOf("=")), pair.slice(pair.indexOf("=") + 1)] as const;
    }),
  );
  const session = { cookie: `crm_session=${cookies.get("crm_session")}; crm_csrf=${cookies.get("crm_csrf")}`, "x-csrf-token": decodeURIComponent(cookies.get("crm_csrf")!) };
  const created = await callApi<{ token: string }>(url, "POST", "/api/me/tokens", { body: { name }, auth: session, expect: 201 });
  return { token: created.body.token, userId: signedIn.body.user.id };
}
