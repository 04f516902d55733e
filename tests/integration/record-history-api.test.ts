import { beforeAll, describe, expect, it } from "vitest";
import { databaseTargets } from "./support/databases.ts";
import { login, type TestSession } from "./support/login.ts";
import { ANONYMOUS, useTestServer, type TestServer } from "./support/test-server.ts";

const PASSWORD = "a-long-password-for-history";
const MISSING = "00000000-0000-4000-8000-00000000beef";

type Response = { status: number; headers: Headers; body: any };
type HistoryItem = { id: number; action: string; actor: { kind: string; id: string | null; userId: string | null; name?: string }; requestId: string | null; changes: Record<string, { old: unknown; new: unknown }> };

/**
 * Team Alpha = rep1, rep2 (sales_rep, read team / update and delete own); rep3, a sales_rep outside the
 * team; finance (read all); an auditor whose custom role reads and updates every account but not its
 * annual revenue; a role token for an integration that creates accounts (owned by no one).
 */
async function buildOrganisation(server: TestServer) {
  const post = async (path: string, body: unknown) => {
    const res = await server.request("POST", path, body);
    if (res.status !== 201) throw new Error(`POST ${path} answered ${res.status}: ${JSON.stringify(res.body)}`);
    return res.body;
  };
  const roles = (await server.request("GET", "/api/admin/roles")).body.items as Array<{ id: string; key: string }>;
  const role = Object.fromEntries(roles.map((r) => [r.key, r.id])) as Record<string, string>;
  const auditor = await post("/api/admin/roles", {
    key: "revenue_blind",
    name: "Revenue blind",
    permissions: { entities: { account: { read: "all", update: "all", fields: { "account-annual-revenue": "none" } } } },
  });
  const integration = await post("/api/admin/roles", { key: "account_feed", name: "Account feed", permissions: { entities: { account: { read: "all", create: true, update: "all" } } } });
  const user = async (name: string, roleId: string) => (await post("/api/admin/users", { email: `${name}@history.test`, name: `User ${name}`, password: PASSWORD, roleIds: [roleId] })).id as string;
  const ids = {
    rep1: await user("rep1", role["sales_rep"]!),
    rep2: await user("rep2", role["sales_rep"]!),
    rep3: await user("rep3", role["sales_rep"]!),
    finance: await user("finance", role["finance"]!),
    auditor: await user("auditor", auditor.id),
  };
  await post("/api/admin/teams", { name: "Alpha", memberIds: [ids.rep1, ids.rep2] });
  const feed = await post("/api/admin/tokens", { name: "account feed", roleId: integration.id });
  return { ids, feed: { id: feed.id as string, headers: { authorization: `Bearer ${feed.token}` } } };
}

describe.each(databaseTargets)("record history API on $name", (target) => {
  const server = useTestServer(target);
  let org: Awaited<ReturnType<typeof buildOrganisation>>;
  const sessions = new Map<string, TestSession>();
  let adminName: string;
  let adminTokenId: string;

  /** A signed-in session per user name, kept for the suite. */
  async function as(name: string): Promise<Record<string, string>> {
    if (!sessions.has(name)) sessions.set(name, await login(server, `${name}@history.test`, PASSWORD));
    return sessions.get(name)!.headers;
  }

  const history = (id: string, headers: Record<string, string> = {}, query = "", entity = "account") => server.request("GET", `/api/records/${entity}/${id}/history${query}`, undefined, headers);
  const actions = (res: Response) => (res.body.items as HistoryItem[]).map((i) => i.action);

  async function create(body: object, headers: Record<string, string> = {}, entity = "account"): Promise<string> {
    const res = await server.request("POST", `/api/records/${entity}`, body, headers);
    if (res.status !== 201) throw new Error(`create answered ${res.status}: ${JSON.stringify(res.body)}`);
    return res.body.id;
  }

  async function update(id: string, body: object, headers: Record<string, string> = {}): Promise<void> {
    const res = await server.request("PATCH", `/api/records/account/${id}`, body, headers);
    if (res.status !== 200) throw new Error(`update answered ${res.status}: ${JSON.stringify(res.body)}`);
  }

  /** The history answers exactly as reading the record does (status and code), for this caller. */
  async function expectSameAsRecord(id: string, headers: Record<string, string>, status: number, entity = "account") {
    const record = await server.request("GET", `/api/records/${entity}/${id}`, undefined, headers);
    const changes = await history(id, headers, "", entity);
    expect({ status: changes.status, code: changes.body.code }).toEqual({ status: record.status, code: record.body.code });
    expect(changes.status).toBe(status);
    if (status >= 400) expect(changes.headers.get("content-type")).toContain("application/problem+json");
    return changes;
  }

  beforeAll(async () => {
    org = await buildOrganisation(server);
    adminName = (await server.request("GET", "/api/me")).body.user.name;
    const tokens = (await server.request("GET", "/api/me/tokens")).body.items as Array<{ id: string; name: string }>;
    adminTokenId = tokens.find((t) => t.name === "test suite")!.id;
  });

  it("shows a sales rep the history of records in their team's scope, and 404 exactly like the record otherwise", async () => {
    const mine = await create({ name: "Rep one's" }, await as("rep1"));
    await update(mine, { name: "Rep one's, renamed" }, await as("rep1"));
    const teammate = await expectSameAsRecord(mine, await as("rep2"), 200);
    expect(actions(teammate)).toEqual(["update", "create"]);
    expect(teammate.body.items[0].changes).toEqual({ name: { old: "Rep one's", new: "Rep one's, renamed" } });

    await expectSameAsRecord(mine, await as("rep3"), 404);
    const ofAdmin = await create({ name: "The admin's" });
    for (const name of ["rep1", "rep2", "rep3"]) await expectSameAsRecord(ofAdmin, await as(name), 404);
    await expectSameAsRecord(MISSING, await as("rep1"), 404);
    await expectSameAsRecord(MISSING.toUpperCase(), await as("rep1"), 404);
    await expectSameAsRecord("not-a-uuid", await as("rep1"), 404);
    await expectSameAsRecord(ofAdmin, await as("finance"), 200);
    expect(actions(await history(ofAdmin, await as("finance")))).toEqual(["create"]);

    // Given to rep2 by an administrator: now rep3 still sees nothing, the team still sees all of it.
    await update(ofAdmin, { ownerId: org.ids.rep2 });
    expect(actions(await expectSameAsRecord(ofAdmin, await as("rep1"), 200))).toEqual(["update", "create"]);
    await expectSameAsRecord(ofAdmin, await as("rep3"), 404);

    // No read permission on the entity at all: 403 like the record; no credentials: 401.
    const contact = await create({ lastName: "Hidden" }, {}, "contact");
    await expectSameAsRecord(contact, await as("auditor"), 403, "contact");
    expect((await history(contact, { ...ANONYMOUS }, "", "contact")).body).toMatchObject({ status: 401, code: "AUTHENTICATION_REQUIRED" });
    expect((await history(mine, {}, "", "nothing")).body).toMatchObject({ status: 404, code: "ENTITY_NOT_FOUND" });
  });

  it("leaves out changes to fields the caller may not read, and updates that changed only those", async () => {
    const id = await create({ name: "Revenue", annualRevenue: { amount: 100, currency: "EUR" } });
    await update(id, { name: "Revenue 2", annualRevenue: { amount: 200, currency: "EUR" } });
    await update(id, { annualRevenue: { amount: 300, currency: "EUR" } });
    await update(id, { employees: 12 }, await as("auditor"));

    const stored = await server.sql<{ changes: string }>(`select changes::text as changes from record_history where record_id = $1 order by id`, [id]);
    expect(stored.filter((row) => row.changes.includes("account-annual-revenue"))).toHaveLength(3);

    const everything = await history(id);
    expect(actions(everything)).toEqual(["update", "update", "update", "create"]);
    expect(everything.body.items[1].changes).toEqual({ annualRevenue: { old: { amount: 200, currency: "EUR" }, new: { amount: 300, currency: "EUR" } } });

    const blind = await history(id, await as("auditor"));
    expect(blind.status).toBe(200);
    expect(actions(blind)).toEqual(["update", "update", "create"]);
    const [own, renamed, created] = blind.body.items as HistoryItem[];
    expect(own!.changes).toEqual({ employees: { old: null, new: 12 } });
    expect(own!.actor).toEqual({ kind: "user", id: org.ids.auditor, userId: org.ids.auditor, name: "User auditor" });
    expect(renamed!.changes).toEqual({ name: { old: "Revenue", new: "Revenue 2" } });
    expect(created!.changes).toMatchObject({ ownerId: { old: null, new: server.admin.userId }, name: { old: null, new: "Revenue" } });
    expect(JSON.stringify(blind.body)).not.toContain("annualRevenue");
    // The limit counts what the caller sees: two pages of one visible entry, then the create.
    const first = await history(id, await as("auditor"), "?limit=2");
    expect(first.body.items.map((i: HistoryItem) => i.id)).toEqual([own!.id, renamed!.id]);
    const rest = await history(id, await as("auditor"), `?limit=2&before=${first.body.nextBefore}`);
    expect(rest.body).toEqual({ items: [created], nextBefore: null });
  });

  it("keeps a deleted record's history for callers who read every record, and 404 for scoped callers", async () => {
    const id = await create({ name: "Short-lived", city: "Basel" }, await as("rep1"));
    const removed = await server.request("DELETE", `/api/records/account/${id}`, undefined, await as("rep1"));
    expect(removed.status).toBe(204);
    for (const name of ["rep1", "rep2"]) await expectSameAsRecord(id, await as(name), 404);
    for (const headers of [{}, await as("finance"), await as("auditor")]) {
      const res = await history(id, headers);
      expect(res.status).toBe(200);
      expect(actions(res)).toEqual(["delete", "create"]);
    }
    const [deleted] = (await history(id)).body.items as HistoryItem[];
    expect(deleted!.actor).toEqual({ kind: "user", id: org.ids.rep1, userId: org.ids.rep1, name: "User rep1" });
    expect(deleted!.changes).toMatchObject({ ownerId: { old: org.ids.rep1, new: null }, name: { old: "Short-lived", new: null }, city: { old: "Basel", new: null } });
  });

  it("pages newest first with before and limit", async () => {
    const id = await create({ name: "v0" });
    for (let n = 1; n <= 7; n++) await update(id, { name: `v${n}` });
    const all = (await history(id)).body.items as HistoryItem[];
    expect(all).toHaveLength(8);
    expect(all.map((i) => i.id)).toEqual([...all.map((i) => i.id)].sort((a, b) => b - a));
    expect(all.map((i) => i.changes["name"]!.new)).toEqual(["v7", "v6", "v5", "v4", "v3", "v2", "v1", "v0"]);

    const seen: number[] = [];
    const sizes: number[] = [];
    let query = "?limit=3";
    for (let pages = 0; pages < 5; pages++) {
      const page = await history(id, await as("finance"), query);
      expect(page.status).toBe(200);
      seen.push(...page.body.items.map((i: HistoryItem) => i.id));
      sizes.push(page.body.items.length);
      if (page.body.nextBefore === null) break;
      expect(page.body.nextBefore).toBe(page.body.items.at(-1).id);
      query = `?limit=3&before=${page.body.nextBefore}`;
    }
    expect(sizes).toEqual([3, 3, 2]);
    expect(seen).toEqual(all.map((i) => i.id));
    expect((await history(id, {}, `?before=${all.at(-1)!.id}`)).body).toEqual({ items: [], nextBefore: null });
    expect((await history(id, {}, "?limit=8")).body.nextBefore).toBeNull();
    expect((await history(id, {}, "?limit=7")).body.nextBefore).toBe(all[6]!.id);
    expect((await history(id, {}, "?limit=200")).body.items).toHaveLength(8);
  });

  it("names the actor: a session's user, a user's token, and a role token that acts for no one", async () => {
    const id = await create({ name: "Feed" }, org.feed.headers);
    await update(id, { name: "Feed, by the admin's token" });
    await update(id, { city: "Bern" }, await as("auditor"));
    const items = (await history(id)).body.items as HistoryItem[];
    expect(items.map((i) => i.actor)).toEqual([
      { kind: "user", id: org.ids.auditor, userId: org.ids.auditor, name: "User auditor" },
      { kind: "token", id: adminTokenId, userId: server.admin.userId, name: adminName },
      { kind: "token", id: org.feed.id, userId: null },
    ]);
    expect(items[2]!.changes["ownerId"]).toBeUndefined();
    for (const item of items) expect(item.requestId).toEqual(expect.any(String));
    expect(new Set(items.map((i) => i.requestId)).size).toBe(3);
  });

  it("answers 400 for a bad limit or before, naming each", async () => {
    const id = await create({ name: "Paged" });
    for (const query of ["limit=0", "limit=201", "limit=abc", "limit=-1", "limit=1.5", "limit=", "limit=1e2"]) {
      for (const headers of [{}, await as("rep3")]) {
        const res = await history(id, headers, `?${query}`);
        expect(res.status, query).toBe(400);
        expect(res.headers.get("content-type")).toContain("application/problem+json");
        expect(res.body.code, query).toBe("INVALID_QUERY");
        expect(res.body.issues, query).toEqual([expect.objectContaining({ pointer: "/query/limit" })]);
      }
    }
    const both = await history(id, {}, "?limit=500&before=x");
    expect(both.body.issues.map((i: { pointer: string }) => i.pointer)).toEqual(["/query/limit", "/query/before"]);
    expect((await history(id, {}, "?limit=1")).body.items).toHaveLength(1);
    expect((await history(id, {}, "?limit=200")).status).toBe(200);
  });
});
