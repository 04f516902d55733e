import { TEST_ADMIN, type TestServer } from "./test-server.ts";

/** A signed-in browser session: send `headers` (cookie + CSRF token) with every request. */
export interface TestSession {
  /** `crm_session=…; crm_csrf=…`, as a browser would send it. */
  cookie: string;
  csrf: string;
  headers: Record<string, string>;
  userId: string;
}

/** The cookies of a response, by name: value and the raw attribute string. */
export function setCookies(headers: Headers): Map<string, { value: string; attributes: string }> {
  const cookies = new Map<string, { value: string; attributes: string }>();
  for (const line of headers.getSetCookie()) {
    const [pair = "", ...attributes] = line.split(";");
    const at = pair.indexOf("=");
    cookies.set(pair.slice(0, at).trim(), { value: decodeURIComponent(pair.slice(at + 1).trim()), attributes: attributes.join(";").trim() });
  }
  return cookies;
}

/** Sign in through `POST /api/auth/login`; throws unless it answers 200. */
export async function login(server: TestServer, email: string, password: string, headers: Record<string, string> = {}): Promise<TestSession> {
  const response = await server.request("POST", "/api/auth/login", { email, password }, headers);
  if (response.status !== 200) throw new Error(`login as ${email} answered ${response.status}: ${JSON.stringify(response.body)}`);
  const cookies = setCookies(response.headers);
  const session = cookies.get("crm_session")!.value;
  const csrf = cookies.get("crm_csrf")!.value;
  const cookie = `crm_session=${session}; crm_csrf=${csrf}`;
  return { cookie, csrf, headers: { cookie, "x-csrf-token": csrf }, userId: response.body.user.id };
}

/** Sign in as the test server's first admin (TEST_ADMIN). */
export function loginAsAdmin(server: TestServer): Promise<TestSession> {
  return login(server, TEST_ADMIN.email, TEST_ADMIN.password);
}
