import { describe, expect, it } from "vitest";
import { databaseTargets } from "./support/databases.ts";
import { login, loginAsAdmin, setCookies, type TestSession } from "./support/login.ts";
import { ANONYMOUS, TEST_ADMIN, useTestServer, type TestServer } from "./support/test-server.ts";

async function createUser(server: TestServer, admin: TestSession, email: string, password = "a-long-password-1") {
  const res = await server.request("POST", "/api/admin/users", { email, name: email.split("@")[0], password }, admin.headers);
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body as { id: string };
}

describe.each(databaseTargets)("sign-in, sessions and CSRF on $name", (target) => {
  const server = useTestServer(target, { seed: false });

  it("signs in with the right password and answers the same 401 for an unknown email and a wrong password", async () => {
    const ok = await server.request("POST", "/api/auth/login", { email: TEST_ADMIN.email.toUpperCase(), password: TEST_ADMIN.password });
    expect(ok.status).toBe(200);
    expect(ok.body.user).toMatchObject({ email: TEST_ADMIN.email, active: true });
    expect(ok.body.user).not.toHaveProperty("passwordHash");
    expect(JSON.stringify(ok.body)).not.toContain("scrypt$");

    const wrong = await server.request("POST", "/api/auth/login", { email: TEST_ADMIN.email, password: "not-the-password" });
    const unknown = await server.request("POST", "/api/auth/login", { email: "nobody@example.test", password: "not-the-password" });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    const strip = (b: Record<string, unknown>) => ({ ...b, requestId: undefined });
    expect(strip(unknown.body)).toEqual(strip(wrong.body));
    expect(wrong.body.code).toBe("INVALID_CREDENTIALS");
    expect(wrong.headers.get("set-cookie")).toBeNull();

    const [row] = await server.sql<{ password_hash: string }>(`select password_hash from users where lower(email) = $1`, [TEST_ADMIN.email]);
    expect(row!.password_hash).toMatch(/^scrypt\$32768\$8\$1\$[\w-]{43}\$[\w-]{86}$/);
  });

  it("refuses a malformed body with pointers, and a cross-site sign-in", async () => {
    const bad = await server.request("POST", "/api/auth/login", { email: 1, extra: true });
    expect(bad.status).toBe(422);
    expect(bad.body.issues.map((i: { pointer: string }) => i.pointer).sort()).toEqual(["/email", "/extra", "/password"]);
    const crossSite = await server.request("POST", "/api/auth/login", { email: TEST_ADMIN.email, password: TEST_ADMIN.password }, { "sec-fetch-site": "cross-site" });
    expect(crossSite.status).toBe(403);
    expect(crossSite.body.code).toBe("CROSS_SITE_REQUEST");
    const otherOrigin = await server.request("POST", "/api/auth/login", { email: TEST_ADMIN.email, password: TEST_ADMIN.password }, { origin: "https://evil.example" });
    expect(otherOrigin.status).toBe(403);
    const sameOrigin = await server.request("POST", "/api/auth/login", { email: TEST_ADMIN.email, password: TEST_ADMIN.password }, { origin: server.url, "sec-fetch-site": "same-origin" });
    expect(sameOrigin.status).toBe(200);
  });

  it("sets an HttpOnly, SameSite=Lax session cookie and a readable CSRF cookie, not Secure over plain HTTP", async () => {
    const res = await server.request("POST", "/api/auth/login", { email: TEST_ADMIN.email, password: TEST_ADMIN.password });
    const cookies = setCookies(res.headers);
    const session = cookies.get("crm_session")!;
    const csrf = cookies.get("crm_csrf")!;
    expect(session.value).toMatch(/^[\w-]{43}$/);
    expect(session.attributes).toMatch(/HttpOnly/i);
    expect(session.attributes).toMatch(/SameSite=Lax/i);
    expect(session.attributes).toMatch(/Path=\//);
    expect(session.attributes).not.toMatch(/Secure/i);
    expect(csrf.attributes).not.toMatch(/HttpOnly/i);
    expect(csrf.attributes).toMatch(/SameSite=Lax/i);
    // The table holds the session's hash, never the cookie's secret.
    const rows = await server.sql<{ id: string }>(`select id from sessions where id = $1 or id = encode(sha256(convert_to($1, 'UTF8')), 'hex')`, [session.value]);
    expect(rows.map((r) => r.id)).not.toContain(session.value);
    expect(rows).toHaveLength(1);
  });

  it("ignores x-forwarded-proto without TRUST_PROXY: no Secure cookie over plain HTTP", async () => {
    const res = await server.request("POST", "/api/auth/login", { email: TEST_ADMIN.email, password: TEST_ADMIN.password }, { "x-forwarded-proto": "https" });
    for (const cookie of setCookies(res.headers).values()) expect(cookie.attributes).not.toMatch(/Secure/i);
  });

  it("GET /api/me answers 401 anonymously and the user, roles, teams and department when signed in", async () => {
    const anonymous = await server.request("GET", "/api/me", undefined, ANONYMOUS);
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get("content-type")).toContain("application/problem+json");
    expect(anonymous.body.code).toBe("AUTHENTICATION_REQUIRED");
    const admin = await loginAsAdmin(server);
    const me = await server.request("GET", "/api/me", undefined, { cookie: admin.cookie });
    expect(me.status).toBe(200);
    expect(me.body.user.email).toBe(TEST_ADMIN.email);
    expect(me.body.roles).toEqual([expect.objectContaining({ key: "admin", isAdmin: true })]);
    expect(me.body.teams).toEqual([]);
    expect(me.body.department).toBeNull();
  });

  it("rotates the session on every sign-in: the cookie presented at sign-in is revoked", async () => {
    const first = await loginAsAdmin(server);
    const second = await login(server, TEST_ADMIN.email, TEST_ADMIN.password, { cookie: first.cookie });
    expect(second.cookie).not.toBe(first.cookie);
    expect((await server.request("GET", "/api/me", undefined, { cookie: first.cookie })).status).toBe(401);
    expect((await server.request("GET", "/api/me", undefined, { cookie: second.cookie })).status).toBe(200);
  });

  it("logs out: the cookie no longer works, the cookies are cleared, and the audit log has login and logout", async () => {
    const session = await loginAsAdmin(server);
    const out = await server.request("POST", "/api/auth/logout", undefined, session.headers);
    expect(out.status).toBe(204);
    expect(setCookies(out.headers).get("crm_session")!.attributes).toMatch(/Max-Age=0/i);
    expect((await server.request("GET", "/api/me", undefined, { cookie: session.cookie })).status).toBe(401);

    const admin = await loginAsAdmin(server);
    const audit = await server.request("GET", `/api/admin/audit?user=${session.userId}&limit=20`, undefined, admin.headers);
    expect(audit.status).toBe(200);
    const entries = audit.body.items as Array<{ action: string; details: { sessionId?: string }; ip: string }>;
    const logout = entries.findIndex((e) => e.action === "logout");
    const sessionId = entries[logout]!.details.sessionId;
    // Latest first: the session's login comes after its logout in the list.
    expect(entries.findIndex((e) => e.action === "login" && e.details.sessionId === sessionId)).toBeGreaterThan(logout);
    expect(entries[logout]!.ip).toBeTruthy();
    const failed = await server.request("GET", `/api/admin/audit?action=login_failed`, undefined, admin.headers);
    expect(failed.body.items[0]).toMatchObject({ action: "login_failed", actorUserId: null });
  });

  it("refuses cookie-authenticated writes without the CSRF token or with a wrong one, and accepts the right one", async () => {
    const admin = await loginAsAdmin(server);
    const body = { name: "CSRF test team" };
    const none = await server.request("POST", "/api/admin/teams", body, { cookie: admin.cookie });
    expect(none.status).toBe(403);
    expect(none.body.code).toBe("CSRF_TOKEN_INVALID");
    const wrong = await server.request("POST", "/api/admin/teams", body, { cookie: admin.cookie, "x-csrf-token": admin.csrf.slice(0, -2) + "xx" });
    expect(wrong.status).toBe(403);
    const other = await loginAsAdmin(server);
    expect((await server.request("POST", "/api/admin/teams", body, { cookie: admin.cookie, "x-csrf-token": other.csrf })).status).toBe(403);
    expect((await server.request("POST", "/api/admin/teams", body, admin.headers)).status).toBe(201);
    // Safe methods need no token.
    expect((await server.request("GET", "/api/admin/teams", undefined, { cookie: admin.cookie })).status).toBe(200);
  });

  it("admin revocation ends one session or all of a user's sessions", async () => {
    const admin = await loginAsAdmin(server);
    const user = await createUser(server, admin, "revoked@example.test");
    const a = await login(server, "revoked@example.test", "a-long-password-1");
    const b = await login(server, "revoked@example.test", "a-long-password-1");
    const listed = await server.request("GET", `/api/admin/sessions?userId=${user.id}`, undefined, admin.headers);
    expect(listed.body.items).toHaveLength(2);
    const [sessionOfA] = await server.sql<{ id: string }>(`select id from sessions where user_id = $1 and revoked_at is null order by created_at limit 1`, [user.id]);
    expect((await server.request("DELETE", `/api/admin/sessions/${sessionOfA!.id}`, undefined, admin.headers)).status).toBe(204);
    expect((await server.request("GET", "/api/me", undefined, { cookie: a.cookie })).status).toBe(401);
    expect((await server.request("GET", "/api/me", undefined, { cookie: b.cookie })).status).toBe(200);
    expect((await server.request("DELETE", `/api/admin/sessions/${sessionOfA!.id}`, undefined, admin.headers)).status).toBe(404);

    const c = await login(server, "revoked@example.test", "a-long-password-1");
    expect((await server.request("DELETE", `/api/admin/users/${user.id}/sessions`, undefined, admin.headers)).status).toBe(204);
    for (const s of [b, c]) expect((await server.request("GET", "/api/me", undefined, { cookie: s.cookie })).status).toBe(401);
    const audit = await server.request("GET", `/api/admin/audit?user=${user.id}`, undefined, admin.headers);
    expect(audit.body.items.map((e: { action: string }) => e.action)).toEqual(expect.arrayContaining(["session_revoked", "sessions_revoked"]));
  });

  it("expired sessions and deactivated users are anonymous; a password reset ends the sessions", async () => {
    const admin = await loginAsAdmin(server);
    const user = await createUser(server, admin, "expiring@example.test");
    const s1 = await login(server, "expiring@example.test", "a-long-password-1");
    await server.sql(`update sessions set expires_at = now() - interval '1 second' where user_id = $1`, [user.id]);
    expect((await server.request("GET", "/api/me", undefined, { cookie: s1.cookie })).status).toBe(401);

    const s2 = await login(server, "expiring@example.test", "a-long-password-1");
    const reset = await server.request("POST", `/api/admin/users/${user.id}/password`, {}, admin.headers);
    expect(reset.status).toBe(200);
    expect(reset.body.password).toMatch(/^\w{20}$/);
    expect((await server.request("GET", "/api/me", undefined, { cookie: s2.cookie })).status).toBe(401);
    const s3 = await login(server, "expiring@example.test", reset.body.password);

    expect((await server.request("PATCH", `/api/admin/users/${user.id}`, { active: false }, admin.headers)).status).toBe(200);
    expect((await server.request("GET", "/api/me", undefined, { cookie: s3.cookie })).status).toBe(401);
    const again = await server.request("POST", "/api/auth/login", { email: "expiring@example.test", password: reset.body.password });
    expect(again.status).toBe(401);
    expect(again.body.code).toBe("INVALID_CREDENTIALS");
  });

  it("slides the idle expiry when a session is used, never past the absolute limit", async () => {
    const admin = await loginAsAdmin(server);
    const [before] = await server.sql<{ id: string }>(`select id from sessions where user_id = $1 and revoked_at is null order by created_at desc limit 1`, [admin.userId]);
    await server.sql(`update sessions set last_seen_at = now() - interval '2 hours', expires_at = now() + interval '10 hours' where id = $1`, [before!.id]);
    expect((await server.request("GET", "/api/me", undefined, { cookie: admin.cookie })).status).toBe(200);
    const [slid] = await server.sql<{ hours: number }>(`select extract(epoch from expires_at - now()) / 3600 as hours from sessions where id = $1`, [before!.id]);
    expect(Number(slid!.hours)).toBeGreaterThan(11.9);
    await server.sql(`update sessions set created_at = now() - interval '7 days' + interval '1 hour', last_seen_at = now() - interval '2 hours' where id = $1`, [before!.id]);
    expect((await server.request("GET", "/api/me", undefined, { cookie: admin.cookie })).status).toBe(200);
    const [capped] = await server.sql<{ hours: number }>(`select extract(epoch from expires_at - now()) / 3600 as hours from sessions where id = $1`, [before!.id]);
    expect(Number(capped!.hours)).toBeLessThan(1.01);
  });
});

describe.each(databaseTargets)("Secure cookies behind a trusted HTTPS proxy on $name", (target) => {
  const server = useTestServer(target, { seed: false, env: { TRUST_PROXY: "true" } });

  it("marks both cookies Secure when x-forwarded-proto is https, and not otherwise", async () => {
    const https = await server.request("POST", "/api/auth/login", { email: TEST_ADMIN.email, password: TEST_ADMIN.password }, { "x-forwarded-proto": "https" });
    for (const cookie of setCookies(https.headers).values()) expect(cookie.attributes).toMatch(/Secure/i);
    const http = await server.request("POST", "/api/auth/login", { email: TEST_ADMIN.email, password: TEST_ADMIN.password }, { "x-forwarded-proto": "http" });
    for (const cookie of setCookies(http.headers).values()) expect(cookie.attributes).not.toMatch(/Secure/i);
  });

  it("records the forwarded client address on the session", async () => {
    const session = await login(server, TEST_ADMIN.email, TEST_ADMIN.password, { "x-forwarded-for": "203.0.113.7" });
    const [row] = await server.sql<{ ip: string }>(`select ip from sessions where user_id = $1 order by created_at desc limit 1`, [session.userId]);
    expect(row!.ip).toBe("203.0.113.7");
  });
});
