import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { databaseTargets } from "./support/databases.ts";
import { login, loginAsAdmin } from "./support/login.ts";
import { useTestServer } from "./support/test-server.ts";

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");

describe.each(databaseTargets)("API tokens on $name", (target) => {
  const server = useTestServer(target, { seed: false });

  it("shows a user's token once, keeps only its hash, and authenticates with it", async () => {
    const admin = await loginAsAdmin(server);
    const created = await server.request("POST", "/api/me/tokens", { name: "laptop script" }, admin.headers);
    expect(created.status).toBe(201);
    const token = created.body.token as string;
    expect(token).toMatch(/^crm_[0-9a-f]{8}_[\w-]{43}$/);
    expect(created.body).toMatchObject({ name: "laptop script", userId: admin.userId, roleId: null, expiresAt: null, prefix: token.slice(0, 12) });
    expect(created.headers.get("location")).toBe(`/api/me/tokens/${created.body.id}`);

    const listed = await server.request("GET", "/api/me/tokens", undefined, admin.headers);
    expect(listed.body.items.map((t: { id: string }) => t.id)).toContain(created.body.id);
    expect(JSON.stringify(listed.body)).not.toContain(token);
    expect(listed.body.items[0]).not.toHaveProperty("token");

    // At rest: the SHA-256, never the plaintext or its secret part, in any column.
    const rows = await server.sql<Record<string, unknown>>(`select * from api_tokens where id = $1`, [created.body.id]);
    expect(rows[0]!.token_hash).toBe(sha256(token));
    expect(JSON.stringify(rows)).not.toContain(token.slice(13));
    const [found] = await server.sql<{ n: number }>(`select count(*)::int as n from api_tokens t where strpos(t::text, $1) > 0`, [token.slice(13)]);
    expect(found!.n).toBe(0);

    expect(rows[0]!.last_used_at).toBeNull();
    const me = await server.request("GET", "/api/me", undefined, bearer(token));
    expect(me.status).toBe(200);
    expect(me.body.user.id).toBe(admin.userId);
    const [used] = await server.sql<{ last_used_at: Date | null }>(`select last_used_at from api_tokens where id = $1`, [created.body.id]);
    expect(used!.last_used_at).not.toBeNull();
    // Bearer requests need no CSRF token: they are not sent by browsers on their own.
    expect((await server.request("POST", "/api/admin/teams", { name: "via token" }, bearer(token))).status).toBe(201);

    const audit = await server.request("GET", "/api/admin/audit?action=token_created", undefined, admin.headers);
    expect(audit.body.items[0]).toMatchObject({ action: "token_created", subject: created.body.id, actorUserId: admin.userId });
    expect(JSON.stringify(audit.body)).not.toContain(token);
  });

  it("writes last_used_at at most once a minute", async () => {
    const admin = await loginAsAdmin(server);
    const { body } = await server.request("POST", "/api/me/tokens", { name: "busy" }, admin.headers);
    await server.request("GET", "/api/me", undefined, bearer(body.token));
    await server.sql(`update api_tokens set last_used_at = now() - interval '30 seconds' where id = $1`, [body.id]);
    await server.request("GET", "/api/me", undefined, bearer(body.token));
    const [fresh] = await server.sql<{ age: number }>(`select extract(epoch from now() - last_used_at) as age from api_tokens where id = $1`, [body.id]);
    expect(Number(fresh!.age)).toBeGreaterThan(29);
    await server.sql(`update api_tokens set last_used_at = now() - interval '2 minutes' where id = $1`, [body.id]);
    await server.request("GET", "/api/me", undefined, bearer(body.token));
    const [touched] = await server.sql<{ age: number }>(`select extract(epoch from now() - last_used_at) as age from api_tokens where id = $1`, [body.id]);
    expect(Number(touched!.age)).toBeLessThan(10);
  });

  it("refuses an expired token with TOKEN_EXPIRED, after its expiry passes", async () => {
    const admin = await loginAsAdmin(server);
    const past = await server.request("POST", "/api/me/tokens", { name: "past", expiresAt: "2001-01-01T00:00:00Z" }, admin.headers);
    expect(past.status).toBe(422);
    expect(past.body.issues[0].pointer).toBe("/expiresAt");

    const soon = await server.request("POST", "/api/me/tokens", { name: "soon", expiresAt: new Date(Date.now() + 1500).toISOString() }, admin.headers);
    expect(soon.status).toBe(201);
    expect((await server.request("GET", "/api/me", undefined, bearer(soon.body.token))).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 1700));
    const expired = await server.request("GET", "/api/me", undefined, bearer(soon.body.token));
    expect(expired.status).toBe(401);
    expect(expired.body.code).toBe("TOKEN_EXPIRED");
    expect(expired.headers.get("www-authenticate")).toMatch(/^Bearer/);
  });

  it("refuses revoked, unknown and malformed tokens with TOKEN_INVALID, even on routes open to anonymous callers", async () => {
    const admin = await loginAsAdmin(server);
    const { body } = await server.request("POST", "/api/me/tokens", { name: "to revoke" }, admin.headers);
    expect((await server.request("DELETE", `/api/me/tokens/${body.id}`, undefined, admin.headers)).status).toBe(204);
    expect((await server.request("DELETE", `/api/me/tokens/${body.id}`, undefined, admin.headers)).status).toBe(404);
    for (const authorization of [`Bearer ${body.token}`, `Bearer crm_00000000_${"a".repeat(43)}`, "Bearer nonsense", "Basic YTpi"]) {
      const res = await server.request("GET", "/api/health", undefined, { authorization });
      expect(res.status, authorization).toBe(401);
      expect(res.body.code).toBe("TOKEN_INVALID");
    }
    const listed = await server.request("GET", "/api/me/tokens", undefined, admin.headers);
    expect(listed.body.items.map((t: { id: string }) => t.id)).not.toContain(body.id);
  });

  it("a token cannot mint more tokens, and a user cannot revoke someone else's", async () => {
    const admin = await loginAsAdmin(server);
    const { body } = await server.request("POST", "/api/me/tokens", { name: "mine" }, admin.headers);
    const minted = await server.request("POST", "/api/me/tokens", { name: "another" }, bearer(body.token));
    expect(minted.status).toBe(403);
    expect(minted.body.code).toBe("SESSION_REQUIRED");

    await server.request("POST", "/api/admin/users", { email: "other@example.test", name: "Other", password: "a-long-password-1" }, admin.headers);
    const other = await login(server, "other@example.test", "a-long-password-1");
    expect((await server.request("DELETE", `/api/me/tokens/${body.id}`, undefined, other.headers)).status).toBe(404);
    expect((await server.request("GET", "/api/me", undefined, bearer(body.token))).status).toBe(200);
  });

  it("an admin issues a role token for an integration, lists it without secrets, and revokes it", async () => {
    const admin = await loginAsAdmin(server);
    const roles = await server.request("GET", "/api/admin/roles", undefined, admin.headers);
    const finance = roles.body.items.find((r: { key: string }) => r.key === "finance");
    const bad = await server.request("POST", "/api/admin/tokens", { name: "x", roleId: "00000000-0000-4000-8000-000000000000" }, admin.headers);
    expect(bad.status).toBe(422);
    expect(bad.body.issues[0].pointer).toBe("/roleId");

    const created = await server.request("POST", "/api/admin/tokens", { name: "ERP sync", roleId: finance.id }, admin.headers);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ userId: null, roleId: finance.id, createdBy: admin.userId });
    const me = await server.request("GET", "/api/me", undefined, bearer(created.body.token));
    expect(me.status).toBe(403);
    expect(me.body.code).toBe("USER_REQUIRED");
    // A finance token is not an admin.
    expect((await server.request("GET", "/api/admin/users", undefined, bearer(created.body.token))).status).toBe(403);

    const listed = await server.request("GET", "/api/admin/tokens?roleTokens=true", undefined, admin.headers);
    expect(listed.body.items.map((t: { id: string }) => t.id)).toEqual([created.body.id]);
    expect(JSON.stringify(listed.body)).not.toContain(created.body.token);
    expect((await server.request("DELETE", `/api/admin/tokens/${created.body.id}`, undefined, admin.headers)).status).toBe(204);
    expect((await server.request("GET", "/api/health", undefined, bearer(created.body.token))).status).toBe(401);
    const audit = await server.request("GET", "/api/admin/audit?action=token_revoked", undefined, admin.headers);
    expect(audit.body.items[0]).toMatchObject({ subject: created.body.id, actorUserId: admin.userId });
  });

  it("tokens of a deactivated user stop working", async () => {
    const admin = await loginAsAdmin(server);
    const user = await server.request("POST", "/api/admin/users", { email: "leaver@example.test", name: "Leaver", password: "a-long-password-1" }, admin.headers);
    const session = await login(server, "leaver@example.test", "a-long-password-1");
    const { body } = await server.request("POST", "/api/me/tokens", { name: "leaver" }, session.headers);
    expect((await server.request("GET", "/api/me", undefined, bearer(body.token))).status).toBe(200);
    await server.request("PATCH", `/api/admin/users/${user.body.id}`, { active: false }, admin.headers);
    expect((await server.request("GET", "/api/me", undefined, bearer(body.token))).status).toBe(401);
  });
});
