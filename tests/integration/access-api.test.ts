import { beforeAll, describe, expect, it } from "vitest";
import { createLogger, createRuntime, loadConfig } from "@crm/runtime";
import { databaseTargets } from "./support/databases.ts";
import { login, loginAsAdmin, type TestSession } from "./support/login.ts";
import { ANONYMOUS, useTestServer, type TestServer } from "./support/test-server.ts";

const PASSWORD = "a-long-password-for-access";
const MISSING = "00000000-0000-4000-8000-00000000dead";
const pointers = (body: { issues?: Array<{ pointer: string }> }) => (body.issues ?? []).map((i) => i.pointer).sort();
const sorted = (ids: string[]) => [...ids].sort();

/**
 * Departments HQ > Sales > North and Other; team Alpha = rep1, rep2. Users: a manager in Sales, rep1,
 * rep2 and an inactive rep in North, rep3 in Sales, a finance user in Other, and a rep with no
 * department and no team.
 */
async function buildOrganisation(server: TestServer, admin: TestSession) {
  const post = async (path: string, body: unknown) => {
    const res = await server.request("POST", path, body, admin.headers);
    if (res.status !== 201) throw new Error(`POST ${path} answered ${res.status}: ${JSON.stringify(res.body)}`);
    return res.body;
  };
  const roles = (await server.request("GET", "/api/admin/roles", undefined, admin.headers)).body.items as Array<{ id: string; key: string }>;
  const role = Object.fromEntries(roles.map((r) => [r.key, r.id])) as Record<string, string>;
  const hq = await post("/api/admin/departments", { name: "HQ" });
  const sales = await post("/api/admin/departments", { name: "Sales", parentId: hq.id });
  const north = await post("/api/admin/departments", { name: "North", parentId: sales.id });
  const other = await post("/api/admin/departments", { name: "Other" });
  const user = async (name: string, roleKey: string, departmentId: string | null, extra: object = {}) =>
    (await post("/api/admin/users", { email: `${name}@example.test`, name, password: PASSWORD, roleIds: [role[roleKey]], departmentId, ...extra })).id as string;
  const ids = {
    manager: await user("manager", "sales_manager", sales.id),
    rep1: await user("rep1", "sales_rep", north.id),
    rep2: await user("rep2", "sales_rep", north.id),
    gone: await user("gone", "sales_rep", north.id, { active: false }),
    rep3: await user("rep3", "sales_rep", sales.id),
    finance: await user("finance", "finance", other.id),
    loner: await user("loner", "sales_rep", null),
  };
  const team = await post("/api/admin/teams", { name: "Alpha", memberIds: [ids.rep1, ids.rep2] });
  return { role, ids, team: team.id as string, departments: { hq: hq.id, sales: sales.id, north: north.id, other: other.id } };
}

type Organisation = Awaited<ReturnType<typeof buildOrganisation>>;

/** An account owned by `ownerId`. Until the records API writes `ownerId`, the column is set directly. */
async function accountOwnedBy(server: TestServer, admin: TestSession, ownerId: string): Promise<string> {
  const created = await server.request("POST", "/api/records/account", { name: `Owned by ${ownerId}` }, admin.headers);
  if (created.status !== 201) throw new Error(`creating an account answered ${created.status}: ${JSON.stringify(created.body)}`);
  await server.sql(`update data.account set "ownerId" = $1 where id = $2`, [ownerId, created.body.id]);
  return created.body.id;
}

describe.each(databaseTargets)("access API on $name", (target) => {
  const server = useTestServer(target);
  let admin: TestSession;
  let org: Organisation;
  const as = (name: string) => login(server, `${name}@example.test`, PASSWORD);

  beforeAll(async () => {
    admin = await loginAsAdmin(server);
    org = await buildOrganisation(server, admin);
  });

  it("loads each caller's team, department and subtree, the caller included", async () => {
    const { ids } = org;
    const subject = (userId: string, roleKey: string) => server.runtime.access.subject({ kind: "user", userId, sessionId: "test", roleIds: [org.role[roleKey]!] });
    const rep1 = await subject(ids.rep1, "sales_rep");
    expect(sorted(rep1.teamUserIds)).toEqual(sorted([ids.rep1, ids.rep2]));
    expect(sorted(rep1.departmentUserIds)).toEqual(sorted([ids.rep1, ids.rep2, ids.gone]));
    expect(sorted(rep1.subtreeUserIds)).toEqual(sorted([ids.rep1, ids.rep2, ids.gone]));
    expect(rep1.roles.map((r) => r.key)).toEqual(["sales_rep"]);
    const manager = await subject(ids.manager, "sales_manager");
    expect(manager.teamUserIds).toEqual([ids.manager]);
    expect(sorted(manager.departmentUserIds)).toEqual(sorted([ids.manager, ids.rep3]));
    expect(sorted(manager.subtreeUserIds)).toEqual(sorted([ids.manager, ids.rep3, ids.rep1, ids.rep2, ids.gone]));
    const loner = await subject(ids.loner, "sales_rep");
    expect(loner).toMatchObject({ userId: ids.loner, teamUserIds: [ids.loner], departmentUserIds: [ids.loner], subtreeUserIds: [ids.loner] });
  });

  it("GET /api/me/permissions: 401 anonymous; each shipped role's matrix by entity and field key", async () => {
    const anonymous = await server.request("GET", "/api/me/permissions", undefined, ANONYMOUS);
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get("content-type")).toContain("application/problem+json");

    const rep = await server.request("GET", "/api/me/permissions", undefined, (await as("rep1")).headers);
    expect(rep.status).toBe(200);
    expect(rep.body).toMatchObject({ userId: org.ids.rep1, admin: false });
    expect(rep.body.entities.account).toMatchObject({ read: "team", update: "own", delete: "own", create: true, import: false, export: false, transfer: false });
    expect(rep.body.entities.account.fields).toMatchObject({ name: "write", annualRevenue: "write" });
    expect(rep.body.entities.product).toMatchObject({ read: "all", update: "none", create: false });
    expect(rep.body.entities.product.fields.unitPrice).toBe("read");
    expect(Object.keys(rep.body.entities).sort()).toEqual(["account", "activity", "campaign", "campaignMember", "contact", "lead", "opportunity", "product", "serviceCase"]);

    const manager = await server.request("GET", "/api/me/permissions", undefined, (await as("manager")).headers);
    expect(manager.body.entities.serviceCase).toMatchObject({ read: "subtree", update: "subtree", delete: "subtree", create: true, import: true, export: true, transfer: true });
    const finance = await server.request("GET", "/api/me/permissions", undefined, (await as("finance")).headers);
    expect(finance.body.entities.opportunity).toMatchObject({ read: "all", update: "none", delete: "none", create: false, export: true, import: false });
    expect(finance.body.entities.opportunity.fields.amount).toBe("read");

    const root = await server.request("GET", "/api/me/permissions", undefined, admin.headers);
    expect(root.body).toMatchObject({ userId: admin.userId, admin: true });
    expect(root.body.entities.account).toMatchObject({ read: "all", delete: "all", transfer: true });
    expect(Object.keys(root.body.entities)).toHaveLength(9);
  });

  it("lists only what a role can read; a role token acts for no user", async () => {
    const narrow = await server.request("POST", "/api/admin/roles", { key: "product_reader", name: "Product reader", permissions: { entities: { product: { read: "all", fields: { "product-unit-price": "none" } } } } }, admin.headers);
    const token = await server.request("POST", "/api/admin/tokens", { name: "catalogue feed", roleId: narrow.body.id }, admin.headers);
    expect(token.status).toBe(201);
    const res = await server.request("GET", "/api/me/permissions", undefined, { authorization: `Bearer ${token.body.token}` });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ userId: null, admin: false });
    expect(Object.keys(res.body.entities)).toEqual(["product"]);
    expect(res.body.entities.product.fields).toMatchObject({ name: "read", unitPrice: "none" });
  });

  it("sees a role's changed permissions on the next request, and a changed team in the next subject", async () => {
    const rep = await as("rep2");
    const before = await server.request("GET", "/api/me/permissions", undefined, rep.headers);
    expect(before.body.entities.lead.read).toBe("team");
    const role = await server.request("GET", `/api/admin/roles/${org.role.sales_rep}`, undefined, admin.headers);
    const permissions = structuredClone(role.body.permissions);
    permissions.entities.lead.read = "department";
    delete permissions.entities.campaign;
    expect((await server.request("PATCH", `/api/admin/roles/${org.role.sales_rep}`, { permissions }, admin.headers)).status).toBe(200);
    const after = await server.request("GET", "/api/me/permissions", undefined, rep.headers);
    expect(after.body.entities.lead.read).toBe("department");
    expect(after.body.entities).not.toHaveProperty("campaign");
    // A refused change keeps the cache (and changes nothing).
    expect((await server.request("PATCH", `/api/admin/roles/${org.role.sales_rep}`, { permissions: "all" }, admin.headers)).status).toBe(422);
    await server.request("PATCH", `/api/admin/roles/${org.role.sales_rep}`, { permissions: role.body.permissions }, admin.headers);
    expect((await server.request("GET", "/api/me/permissions", undefined, rep.headers)).body.entities.lead.read).toBe("team");

    const principal = { kind: "user" as const, userId: org.ids.rep2, sessionId: "test", roleIds: [org.role.sales_rep!] };
    expect(sorted((await server.runtime.access.subject(principal)).teamUserIds)).toEqual(sorted([org.ids.rep1, org.ids.rep2]));
    await server.request("POST", `/api/admin/teams/${org.team}/members`, { userId: org.ids.rep3 }, admin.headers);
    expect(sorted((await server.runtime.access.subject(principal)).teamUserIds)).toEqual(sorted([org.ids.rep1, org.ids.rep2, org.ids.rep3]));
    await server.request("DELETE", `/api/admin/teams/${org.team}/members/${org.ids.rep3}`, undefined, admin.headers);
    expect(sorted((await server.runtime.access.subject(principal)).teamUserIds)).toEqual(sorted([org.ids.rep1, org.ids.rep2]));
  });

  it.runIf(target.name === "postgres")("tells other processes on the same database to forget cached subjects", async () => {
    const other = await createRuntime(loadConfig({ DATABASE_URL: server.databaseUrl!, LOG_LEVEL: "silent" }), { logger: createLogger("silent"), seed: false });
    try {
      const principal = { kind: "user" as const, userId: org.ids.finance, sessionId: "test", roleIds: [org.role.finance!] };
      expect((await other.access.subject(principal)).teamUserIds).toEqual([org.ids.finance]);
      const team = await server.request("POST", "/api/admin/teams", { name: "Controllers", memberIds: [org.ids.finance, org.ids.manager] }, admin.headers);
      const deadline = Date.now() + 5000;
      while ((await other.access.subject(principal)).teamUserIds.length === 1 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      expect(sorted((await other.access.subject(principal)).teamUserIds)).toEqual(sorted([org.ids.finance, org.ids.manager]));
      await server.request("DELETE", `/api/admin/teams/${team.body.id}`, undefined, admin.headers);
    } finally {
      await other.close();
    }
  });

  it("GET /api/access/explain: administrators only; every bad parameter named; unknown things are 404", async () => {
    const explain = (query: string, headers = admin.headers) => server.request("GET", `/api/access/explain${query}`, undefined, headers);
    expect((await explain(`?user=${org.ids.rep1}&entity=account`, ANONYMOUS)).status).toBe(401);
    const refused = await explain(`?user=${org.ids.rep1}&entity=account`, (await as("rep1")).headers);
    expect(refused.status).toBe(403);
    expect(refused.body.code).toBe("ADMIN_REQUIRED");

    const cases: Array<[string, number, string, string[]]> = [
      ["", 400, "BAD_REQUEST", ["/query/entity", "/query/user"]],
      ["?user=&entity=", 400, "BAD_REQUEST", ["/query/entity", "/query/user"]],
      ["?user=nobody'--&entity=account&id=42", 400, "BAD_REQUEST", ["/query/id", "/query/user"]],
      [`?user=${org.ids.rep1}&entity=account&id=`, 400, "BAD_REQUEST", ["/query/id"]],
      [`?user=${MISSING}&entity=account`, 404, "USER_NOT_FOUND", []],
      [`?user=${org.ids.rep1}&entity=nothing`, 404, "ENTITY_NOT_FOUND", []],
      [`?user=${org.ids.rep1}&entity=${"x".repeat(5000)}`, 404, "ENTITY_NOT_FOUND", []],
      [`?user=${org.ids.rep1}&entity=account&id=${MISSING}`, 404, "RECORD_NOT_FOUND", []],
    ];
    for (const [query, status, code, expected] of cases) {
      const res = await explain(query);
      expect(res.status, query).toBe(status);
      expect(res.headers.get("content-type"), query).toContain("application/problem+json");
      expect(res.body.code, query).toBe(code);
      expect(pointers(res.body), query).toEqual(expected);
    }
  });

  it("explains a user's access without a record, and whether each scope reaches a given record", async () => {
    const { ids } = org;
    const explain = async (user: string, id?: string) => {
      const res = await server.request("GET", `/api/access/explain?user=${user}&entity=account${id ? `&id=${id}` : ""}`, undefined, admin.headers);
      expect(res.status).toBe(200);
      return res.body;
    };
    const general = await explain(ids.rep1);
    expect(general).toMatchObject({ entity: "account", actions: { read: { allowed: true, scope: "team", role: "sales_rep" }, export: { allowed: false } } });
    expect(general).not.toHaveProperty("recordOwner");
    expect(general.fields.name).toEqual({ access: "write", role: "sales_rep" });

    const ofRep2 = await accountOwnedBy(server, admin, ids.rep2);
    const teammate = await explain(ids.rep1, ofRep2);
    expect(teammate.recordOwner).toBe(ids.rep2);
    expect(teammate.actions.read).toMatchObject({ allowed: true, reachesRecord: true });
    expect(teammate.actions.update).toMatchObject({ allowed: false, reachesRecord: false });
    expect(teammate.actions.update.rule).toContain("does not reach");
    expect((await explain(ids.rep2, ofRep2)).actions.delete).toMatchObject({ allowed: true, scope: "own" });

    // Inactive users' records stay in their department's scope; Other is outside the manager's subtree.
    const ofGone = await accountOwnedBy(server, admin, ids.gone);
    expect((await explain(ids.manager, ofGone)).actions.update).toMatchObject({ allowed: true, scope: "subtree", reachesRecord: true });
    expect((await explain(ids.rep1, ofGone)).actions.read.allowed).toBe(false);
    const ofFinance = await accountOwnedBy(server, admin, ids.finance);
    expect((await explain(ids.manager, ofFinance)).actions.read).toMatchObject({ allowed: false, reachesRecord: false });
    expect((await explain(ids.finance, ofRep2)).actions.read).toMatchObject({ allowed: true, scope: "all", role: "finance" });
    expect((await explain(ids.finance, ofRep2)).actions.update.allowed).toBe(false);

    const unowned = await accountOwnedBy(server, admin, ids.loner);
    await server.sql(`update data.account set "ownerId" = null where id = $1`, [unowned]);
    const nobody = await explain(ids.loner, unowned);
    expect(nobody.recordOwner).toBeNull();
    // Accounts nobody owns sit in the pool, which reps may see and claim, not change.
    expect(nobody.actions.read).toMatchObject({ allowed: true, reachesRecord: true, role: "sales_rep" });
    expect(nobody.actions.claim).toMatchObject({ allowed: true, role: "sales_rep" });
    expect(nobody.actions.update.allowed).toBe(false);
    expect((await explain(ids.finance, unowned)).actions.claim.allowed).toBe(false);
    expect((await explain(admin.userId, unowned)).actions.delete).toMatchObject({ allowed: true, role: "admin" });
  });

  it("explains department scope from a custom role, fresh after a user moves", async () => {
    const { ids, departments } = org;
    const role = await server.request("POST", "/api/admin/roles", { key: "dept_reader", name: "Department reader", permissions: { entities: { account: { read: "department" } } } }, admin.headers);
    await server.request("PATCH", `/api/admin/users/${ids.rep3}`, { roleIds: [role.body.id] }, admin.headers);
    const ofManager = await accountOwnedBy(server, admin, ids.manager);
    const ofRep1 = await accountOwnedBy(server, admin, ids.rep1);
    const read = async (user: string, id: string) =>
      (await server.request("GET", `/api/access/explain?user=${user}&entity=account&id=${id}`, undefined, admin.headers)).body.actions.read;
    expect(await read(ids.rep3, ofManager)).toMatchObject({ allowed: true, scope: "department", role: "dept_reader" });
    expect((await read(ids.rep3, ofRep1)).allowed).toBe(false);
    await server.request("PATCH", `/api/admin/users/${ids.rep3}`, { departmentId: departments.north }, admin.headers);
    expect((await read(ids.rep3, ofRep1)).allowed).toBe(true);
    expect((await read(ids.rep3, ofManager)).allowed).toBe(false);
  });
});
