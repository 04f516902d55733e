import { describe, expect, it } from "vitest";
import { databaseTargets } from "./support/databases.ts";
import { loginAsAdmin } from "./support/login.ts";
import { TEST_ADMIN, useTestServer, type TestServer } from "./support/test-server.ts";

const attempt = (server: TestServer, email: string, password: string, ip: string) => server.request("POST", "/api/auth/login", { email, password }, { "x-forwarded-for": ip });

describe.each(databaseTargets)("login throttling on $name", (target) => {
  const server = useTestServer(target, { seed: false, env: { TRUST_PROXY: "true" } });

  it("locks an account after 5 failures: the 6th attempt gets 429 with Retry-After, even with the right password", async () => {
    const admin = await loginAsAdmin(server);
    await server.request("POST", "/api/admin/users", { email: "target@example.test", name: "Target", password: "the-right-password" }, admin.headers);
    for (let i = 1; i <= 5; i++) expect((await attempt(server, "target@example.test", `wrong-${i}`, "198.51.100.1")).status).toBe(401);
    const sixth = await attempt(server, "target@example.test", "the-right-password", "198.51.100.1");
    expect(sixth.status).toBe(429);
    expect(sixth.headers.get("content-type")).toContain("application/problem+json");
    expect(sixth.body.code).toBe("LOGIN_THROTTLED");
    expect(Number(sixth.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    // The account is locked from every address; other accounts from the same address are not.
    expect((await attempt(server, "Target@Example.test", "the-right-password", "198.51.100.2")).status).toBe(429);
    expect((await attempt(server, TEST_ADMIN.email, TEST_ADMIN.password, "198.51.100.1")).status).toBe(200);

    // Once the lock ends, a success resets the account's count.
    await server.sql(`update login_throttle set locked_until = now() - interval '1 second' where key = 'acct:target@example.test'`);
    expect((await attempt(server, "target@example.test", "the-right-password", "198.51.100.1")).status).toBe(200);
    expect(await server.sql(`select * from login_throttle where key = 'acct:target@example.test'`)).toEqual([]);
    for (let i = 1; i <= 4; i++) expect((await attempt(server, "target@example.test", "wrong", "198.51.100.1")).status).toBe(401);
  });

  it("backs off exponentially: each failure after the lock doubles it, capped at 15 minutes", async () => {
    const email = "backoff@example.test";
    const lockSeconds = async () => {
      const [row] = await server.sql<{ s: number }>(`select round(extract(epoch from locked_until - updated_at))::int as s from login_throttle where key = $1`, [`acct:${email}`]);
      return row?.s;
    };
    for (let i = 1; i <= 5; i++) await attempt(server, email, "wrong", "198.51.100.10");
    expect(await lockSeconds()).toBe(2);
    const seen = [];
    for (let i = 6; i <= 9; i++) {
      await server.sql(`update login_throttle set locked_until = now() - interval '1 second' where key = $1`, [`acct:${email}`]);
      expect((await attempt(server, email, "wrong", "198.51.100.10")).status).toBe(401);
      seen.push(await lockSeconds());
    }
    expect(seen).toEqual([4, 8, 16, 32]);
    await server.sql(`update login_throttle set failures = 40, locked_until = null where key = $1`, [`acct:${email}`]);
    await attempt(server, email, "wrong", "198.51.100.10");
    expect(await lockSeconds()).toBe(900);
    const locked = await attempt(server, email, "wrong", "198.51.100.10");
    expect(Number(locked.headers.get("retry-after"))).toBeGreaterThan(890);
  });

  it("parallel guesses cannot slip past the lock: exactly 5 are checked", async () => {
    const results = await Promise.all(Array.from({ length: 12 }, (_, i) => attempt(server, "parallel@example.test", `guess-${i}`, `198.51.100.${20 + i}`)));
    const statuses = results.map((r) => r.status).sort();
    expect(statuses.filter((s) => s === 401)).toHaveLength(5);
    expect(statuses.filter((s) => s === 429)).toHaveLength(7);
  });

  it("limits one address across accounts after 20 failures; other addresses are unaffected", async () => {
    const ip = "192.0.2.99";
    for (let i = 0; i < 20; i++) expect((await attempt(server, `spray-${i}@example.test`, "wrong", ip)).status).toBe(401);
    const blocked = await attempt(server, TEST_ADMIN.email, TEST_ADMIN.password, ip);
    expect(blocked.status).toBe(429);
    expect(blocked.headers.get("retry-after")).toBeTruthy();
    expect((await attempt(server, TEST_ADMIN.email, TEST_ADMIN.password, "192.0.2.100")).status).toBe(200);
    expect((await attempt(server, "spray-0@example.test", "wrong", "192.0.2.100")).status).toBe(401);
  });
});
