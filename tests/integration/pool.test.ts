import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { EntityPool } from "@crm/core";
import { databaseTargets } from "./support/databases.ts";
import { buildOrg, createRole, setRoles, type Org } from "./support/org-fixture.ts";
import { useTestServer } from "./support/test-server.ts";

describe.each(databaseTargets)("the account pool on $name", (target) => {
  const server = useTestServer(target);
  let org: Org;

  /** Accounts nobody owns, made by the admin and put into the pool. */
  async function pooled(count: number, name = "Pooled"): Promise<string[]> {
    const created = await server.request("POST", "/api/records/account", Array.from({ length: count }, (_, i) => ({ name: `${name} ${i}` })));
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const ids = (created.body.items as Array<{ id: string }>).map((r) => r.id);
    for (const id of ids) expect((await server.request("POST", `/api/records/account/${id}/release`)).status).toBe(200);
    return ids;
  }

  async function setPool(pool: EntityPool | undefined): Promise<void> {
    const current = await server.request("GET", "/api/meta/entities/account");
    const { pool: _old, ...definition } = current.body.definition;
    const res = await server.request("PUT", "/api/meta/entities/account", { definition: pool ? { ...definition, pool } : definition, baseVersion: current.body.version });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
  }

  const claim = (id: string, headers: Record<string, string>) => server.request("POST", `/api/records/account/${id}/claim`, undefined, headers);
  const release = (id: string, headers: Record<string, string>) => server.request("POST", `/api/records/account/${id}/release`, undefined, headers);
  const ownedBy = async (userId: string) => (await server.sql<{ n: number }>(`select count(*)::int as n from data.account where "ownerId" = $1`, [userId]))[0]!.n;

  beforeAll(async () => {
    org = await buildOrg(server);
  });
  beforeEach(async () => {
    await server.sql(`delete from pool_claims`);
    await setPool({ claimsPerDay: 20, maxOwned: 300 });
  });

  it("shows the pool to reps who may claim, in lists, counts and reads, and to no one else", async () => {
    const [free] = await pooled(1, "Visible pool");
    const noClaim = await createRole(server, org, "rep_without_claim", { entities: { account: { read: "team", update: "own" } } });
    await setRoles(server, org.users.colleague.id, [noClaim]);
    try {
      const listed = await server.request("GET", "/api/records/account?filter=name:startsWith:Visible%20pool&count=true", undefined, org.users.owner.headers);
      expect(listed.body).toMatchObject({ total: 1, items: [{ id: free, ownerId: null }] });
      expect((await server.request("GET", `/api/records/account/${free}`, undefined, org.users.owner.headers)).status).toBe(200);
      // A rep reads a pooled record but cannot change it before claiming it.
      expect((await server.request("PATCH", `/api/records/account/${free}`, { name: "Mine now" }, org.users.owner.headers)).status).toBe(403);

      const hidden = await server.request("GET", "/api/records/account?filter=name:startsWith:Visible%20pool&count=true", undefined, org.users.colleague.headers);
      expect(hidden.body).toMatchObject({ total: 0, items: [] });
      expect((await server.request("GET", `/api/records/account/${free}`, undefined, org.users.colleague.headers)).status).toBe(404);
      expect((await claim(free!, org.users.colleague.headers)).status).toBe(403);
      expect((await server.request("GET", `/api/records/account/${free}`, undefined, org.users.norole.headers)).status).toBe(403);

      const permissions = await server.request("GET", "/api/me/permissions", undefined, org.users.owner.headers);
      expect(permissions.body.entities.account.claim).toBe(true);
      expect(permissions.body.entities.contact.claim).toBe(false);
      const explained = await server.request("GET", `/api/access/explain?user=${org.users.owner.id}&entity=account&id=${free}`);
      expect(explained.body.actions.read).toMatchObject({ allowed: true, role: "sales_rep" });
      expect(explained.body.actions.claim).toMatchObject({ allowed: true });
    } finally {
      await setRoles(server, org.users.colleague.id, [org.roles.sales_rep!]);
    }
  });

  it("makes the claimer the owner, records it in the history, and lets only one of two claimers win", async () => {
    const [first, second] = await pooled(2, "Claimed");
    const claimed = await claim(first!, org.users.owner.headers);
    expect(claimed.status, JSON.stringify(claimed.body)).toBe(200);
    expect(claimed.body.ownerId).toBe(org.users.owner.id);
    expect(claimed.headers.get("etag")).toBe(`"${claimed.body.version}"`);
    const history = await server.request("GET", `/api/records/account/${first}/history`);
    expect(history.body.items[0]).toMatchObject({ action: "update", actor: { kind: "user", userId: org.users.owner.id }, changes: { ownerId: { old: null, new: org.users.owner.id } } });

    const again = await claim(first!, org.users.teammate.headers);
    expect(again.status).toBe(409);
    expect(again.body.code).toBe("RECORD_OWNED");

    // Owner and teammate read each other's accounts, so the loser learns why (409).
    const race = await Promise.all([claim(second!, org.users.owner.headers), claim(second!, org.users.teammate.headers)]);
    expect(race.map((r) => r.status).sort()).toEqual([200, 409]);
    const winner = race.find((r) => r.status === 200)!.body.ownerId;
    expect((await server.sql<{ owner: string }>(`select "ownerId"::text as owner from data.account where id = $1`, [second]))[0]!.owner).toBe(winner);
    // A colleague outside the team cannot read the claimed account: it is now missing to them.
    expect((await claim(second!, org.users.colleague.headers)).status).toBe(404);
  });

  it("stops at the daily quota with 429 and Retry-After, even for concurrent claims, and writes nothing more", async () => {
    await setPool({ claimsPerDay: 2, timeZone: "Asia/Shanghai" });
    const ids = await pooled(5, "Quota");
    const answers = await Promise.all(ids.map((id) => claim(id, org.users.teammate.headers)));
    expect(answers.map((a) => a.status).sort()).toEqual([200, 200, 429, 429, 429]);
    const refused = answers.find((a) => a.status === 429)!;
    expect(refused.headers.get("content-type")).toContain("application/problem+json");
    expect(refused.body).toMatchObject({ code: "CLAIM_QUOTA_REACHED", claimedToday: 2, claimsPerDay: 2 });
    const wait = Number(refused.headers.get("retry-after"));
    expect(wait).toBeGreaterThan(0);
    expect(wait).toBeLessThanOrEqual(86_400);
    const stillFree = await server.sql<{ n: number }>(`select count(*)::int as n from data.account where id = any($1::uuid[]) and "ownerId" is null`, [`{${ids.join(",")}}`]);
    expect(stillFree[0]!.n).toBe(3);
  });

  it("refuses a claim once the caller holds the most records the pool allows", async () => {
    const held = await ownedBy(org.users.colleague.id);
    await setPool({ maxOwned: held + 1 });
    const [a, b] = await pooled(2, "Cap");
    expect((await claim(a!, org.users.colleague.headers)).status).toBe(200);
    const refused = await claim(b!, org.users.colleague.headers);
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({ code: "OWNED_LIMIT_REACHED", owned: held + 1, maxOwned: held + 1 });
    // Returning one makes room again.
    expect((await release(a!, org.users.colleague.headers)).status).toBe(200);
    expect((await claim(b!, org.users.colleague.headers)).status).toBe(200);
  });

  it("returns records to the pool: the owner, or a manager who may transfer them; not a colleague", async () => {
    const [a, b] = await pooled(2, "Release");
    expect((await claim(a!, org.users.owner.headers)).status).toBe(200);
    expect((await claim(b!, org.users.owner.headers)).status).toBe(200);
    // The teammate reads the owner's account through the team scope but may not give it away.
    const denied = await release(a!, org.users.teammate.headers);
    expect(denied.status).toBe(403);
    // The outsider cannot even read it.
    expect((await release(a!, org.users.outsider.headers)).status).toBe(404);

    const own = await release(a!, org.users.owner.headers);
    expect(own.status).toBe(200);
    expect(own.body.ownerId).toBeNull();
    expect((await release(a!, org.users.owner.headers)).body.code).toBe("RECORD_IN_POOL");
    expect((await release(b!, org.users.manager.headers)).status).toBe(200);
  });

  it("answers bad claims with clear problems", async () => {
    const contact = await server.request("POST", "/api/records/contact", { lastName: "No pool" });
    const noPool = await server.request("POST", `/api/records/contact/${contact.body.id}/claim`, undefined, org.users.owner.headers);
    expect(noPool.status).toBe(404);
    expect(noPool.body.code).toBe("NO_POOL");
    expect((await claim("not-a-uuid", org.users.owner.headers)).status).toBe(404);
    expect((await server.request("POST", `/api/records/nothing/${contact.body.id}/claim`, undefined, org.users.owner.headers)).body.code).toBe("ENTITY_NOT_FOUND");
    const [free] = await pooled(1, "Token");
    const token = await claim(free!, org.tokens.salesRep.headers);
    expect(token.status).toBe(403);
    await setPool(undefined);
    expect((await claim(free!, org.users.owner.headers)).body.code).toBe("NO_POOL");
    // Without a pool, unowned records are nobody's to see but those whose scope is every record.
    expect((await server.request("GET", `/api/records/account/${free}`, undefined, org.users.owner.headers)).status).toBe(404);
  });
});
