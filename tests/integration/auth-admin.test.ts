import { describe, expect, it } from "vitest";
import { databaseTargets } from "./support/databases.ts";
import { login, loginAsAdmin, type TestSession } from "./support/login.ts";
import { ANONYMOUS, useTestServer, type TestServer } from "./support/test-server.ts";

const pointers = (body: { issues?: Array<{ pointer: string }> }) => (body.issues ?? []).map((i) => i.pointer).sort();

async function roleId(server: TestServer, admin: TestSession, key: string): Promise<string> {
  const roles = await server.request("GET", "/api/admin/roles", undefined, admin.headers);
  return roles.body.items.find((r: { key: string }) => r.key === key).id;
}

describe.each(databaseTargets)("admin API on $name", (target) => {
  const server = useTestServer(target, { seed: false });

  it("requireAdmin: 401 anonymous, 403 for a signed-in non-admin, 200 for an admin", async () => {
    const anonymous = await server.request("GET", "/api/admin/users", undefined, ANONYMOUS);
    expect(anonymous.status).toBe(401);
    expect(anonymous.body.code).toBe("AUTHENTICATION_REQUIRED");
    const admin = await loginAsAdmin(server);
    await server.request("POST", "/api/admin/users", { email: "rep@example.test", name: "Rep", password: "a-long-password-1", roleIds: [await roleId(server, admin, "sales_rep")] }, admin.headers);
    const rep = await login(server, "rep@example.test", "a-long-password-1");
    for (const path of ["/api/admin/users", "/api/admin/roles", "/api/admin/audit", "/api/admin/departments"]) {
      const res = await server.request("GET", path, undefined, rep.headers);
      expect(res.status, path).toBe(403);
      expect(res.body.code).toBe("ADMIN_REQUIRED");
    }
    expect((await server.request("POST", "/api/admin/teams", { name: "x" }, rep.headers)).status).toBe(403);
    expect((await server.request("GET", "/api/admin/users", undefined, admin.headers)).status).toBe(200);
  });

  it("creates users with a generated password shown once, refuses duplicate emails whatever their case, and reports every bad field", async () => {
    const admin = await loginAsAdmin(server);
    const created = await server.request("POST", "/api/admin/users", { email: "Ann@Example.test", name: "Ann" }, admin.headers);
    expect(created.status).toBe(201);
    expect(created.body.password).toMatch(/^\w{20}$/);
    expect(created.body).toMatchObject({ email: "Ann@Example.test", locale: "en", active: true, roleIds: [], teamIds: [] });
    expect((await login(server, "ann@example.test", created.body.password)).userId).toBe(created.body.id);
    const fetched = await server.request("GET", `/api/admin/users/${created.body.id}`, undefined, admin.headers);
    expect(fetched.body).not.toHaveProperty("password");

    const duplicate = await server.request("POST", "/api/admin/users", { email: "ANN@example.TEST", name: "Ann 2" }, admin.headers);
    expect(duplicate.status).toBe(409);
    expect(duplicate.body.code).toBe("EMAIL_TAKEN");
    expect(pointers(duplicate.body)).toEqual(["/email"]);

    const bad = await server.request("POST", "/api/admin/users", { email: "nope", name: "", password: "short", locale: "English!", roleIds: ["x"], color: "red" }, admin.headers);
    expect(bad.status).toBe(422);
    expect(pointers(bad.body)).toEqual(["/color", "/email", "/locale", "/name", "/password", "/roleIds/0"]);
    const missing = await server.request("POST", "/api/admin/users", { email: "ghost@example.test", name: "Ghost", departmentId: "00000000-0000-4000-8000-000000000001", teamIds: ["00000000-0000-4000-8000-000000000002"] }, admin.headers);
    expect(missing.status).toBe(422);
    expect(pointers(missing.body)).toEqual(["/departmentId", "/teamIds/0"]);
    expect((await server.request("GET", "/api/admin/users/not-an-id", undefined, admin.headers)).status).toBe(404);
    expect((await server.request("PATCH", "/api/admin/users/00000000-0000-4000-8000-000000000003", { name: "x" }, admin.headers)).status).toBe(404);
  });

  it("sets department, manager, roles and teams; refuses manager cycles; audits role changes", async () => {
    const admin = await loginAsAdmin(server);
    const dept = await server.request("POST", "/api/admin/departments", { name: "Sales" }, admin.headers);
    const team = await server.request("POST", "/api/admin/teams", { name: "North" }, admin.headers);
    const boss = await server.request("POST", "/api/admin/users", { email: "boss@example.test", name: "Boss" }, admin.headers);
    const worker = await server.request("POST", "/api/admin/users", { email: "worker@example.test", name: "Worker" }, admin.headers);
    const rep = await roleId(server, admin, "sales_rep");
    const patched = await server.request("PATCH", `/api/admin/users/${worker.body.id}`, { departmentId: dept.body.id, managerId: boss.body.id, roleIds: [rep], teamIds: [team.body.id], locale: "de-CH" }, admin.headers);
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ departmentId: dept.body.id, managerId: boss.body.id, roleIds: [rep], teamIds: [team.body.id], locale: "de-CH" });
    const teamNow = await server.request("GET", `/api/admin/teams/${team.body.id}`, undefined, admin.headers);
    expect(teamNow.body.memberIds).toEqual([worker.body.id]);

    const cycle = await server.request("PATCH", `/api/admin/users/${boss.body.id}`, { managerId: worker.body.id }, admin.headers);
    expect(cycle.status).toBe(422);
    expect(cycle.body.code).toBe("MANAGER_CYCLE");
    expect(pointers(cycle.body)).toEqual(["/managerId"]);
    expect((await server.request("PATCH", `/api/admin/users/${boss.body.id}`, { managerId: boss.body.id }, admin.headers)).status).toBe(422);

    const me = await login(server, "worker@example.test", (await server.request("POST", `/api/admin/users/${worker.body.id}/password`, {}, admin.headers)).body.password);
    const profile = await server.request("GET", "/api/me", undefined, me.headers);
    expect(profile.body).toMatchObject({ department: { id: dept.body.id, name: "Sales" }, teams: [{ id: team.body.id, name: "North" }], roles: [{ key: "sales_rep" }] });

    const audit = await server.request("GET", `/api/admin/audit?action=user_roles_changed&user=${worker.body.id}`, undefined, admin.headers);
    expect(audit.body.items[0]).toMatchObject({ subject: worker.body.id, actorUserId: admin.userId, details: { added: [rep], removed: [] } });
  });

  it("keeps at least one active administrator", async () => {
    const admin = await loginAsAdmin(server);
    const adminRole = await roleId(server, admin, "admin");
    const self = await server.request("PATCH", `/api/admin/users/${admin.userId}`, { active: false }, admin.headers);
    expect(self.status).toBe(409);
    expect(self.body.code).toBe("LAST_ADMIN");
    expect((await server.request("PATCH", `/api/admin/users/${admin.userId}`, { roleIds: [] }, admin.headers)).status).toBe(409);
    expect((await server.request("PATCH", `/api/admin/roles/${adminRole}`, { isAdmin: false }, admin.headers)).status).toBe(409);
    expect((await server.request("DELETE", `/api/admin/roles/${adminRole}`, undefined, admin.headers)).status).toBe(409);
    expect((await server.request("GET", "/api/me", undefined, admin.headers)).status).toBe(200);
  });

  it("manages roles: permissions stored as given, unique keys, no delete while held", async () => {
    const admin = await loginAsAdmin(server);
    const permissions = { entities: { account: { read: "team", update: "own" } }, anything: [1, 2] };
    const created = await server.request("POST", "/api/admin/roles", { key: "support", name: "Support", permissions }, admin.headers);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ key: "support", isAdmin: false, permissions, description: null });
    const taken = await server.request("POST", "/api/admin/roles", { key: "support", name: "Again" }, admin.headers);
    expect(taken.status).toBe(409);
    expect(pointers(taken.body)).toEqual(["/key"]);
    const bad = await server.request("POST", "/api/admin/roles", { key: "Bad Key", name: "x", permissions: [] }, admin.headers);
    expect(pointers(bad.body)).toEqual(["/key", "/permissions"]);

    const changed = await server.request("PATCH", `/api/admin/roles/${created.body.id}`, { description: "Helps customers", permissions: {} }, admin.headers);
    expect(changed.body).toMatchObject({ description: "Helps customers", permissions: {}, name: "Support" });
    const audit = await server.request("GET", "/api/admin/audit?action=role_changed", undefined, admin.headers);
    expect(audit.body.items[0].details).toMatchObject({ key: "support", previousPermissions: permissions });

    const holder = await server.request("POST", "/api/admin/users", { email: "holder@example.test", name: "Holder", roleIds: [created.body.id] }, admin.headers);
    const inUse = await server.request("DELETE", `/api/admin/roles/${created.body.id}`, undefined, admin.headers);
    expect(inUse.status).toBe(409);
    expect(inUse.body.code).toBe("ROLE_IN_USE");
    await server.request("PATCH", `/api/admin/users/${holder.body.id}`, { roleIds: [] }, admin.headers);
    expect((await server.request("DELETE", `/api/admin/roles/${created.body.id}`, undefined, admin.headers)).status).toBe(204);
    expect((await server.request("GET", `/api/admin/roles/${created.body.id}`, undefined, admin.headers)).status).toBe(404);
  });

  it("manages teams and their members", async () => {
    const admin = await loginAsAdmin(server);
    const user = await server.request("POST", "/api/admin/users", { email: "member@example.test", name: "Member" }, admin.headers);
    const team = await server.request("POST", "/api/admin/teams", { name: "South" }, admin.headers);
    expect(team.status).toBe(201);
    const added = await server.request("POST", `/api/admin/teams/${team.body.id}/members`, { userId: user.body.id }, admin.headers);
    expect(added.body.memberIds).toEqual([user.body.id]);
    expect((await server.request("POST", `/api/admin/teams/${team.body.id}/members`, { userId: "00000000-0000-4000-8000-000000000009" }, admin.headers)).status).toBe(422);
    expect((await server.request("PATCH", `/api/admin/teams/${team.body.id}`, { name: "South-West" }, admin.headers)).body.name).toBe("South-West");
    expect((await server.request("DELETE", `/api/admin/teams/${team.body.id}/members/${user.body.id}`, undefined, admin.headers)).status).toBe(204);
    expect((await server.request("DELETE", `/api/admin/teams/${team.body.id}/members/${user.body.id}`, undefined, admin.headers)).status).toBe(404);
    expect((await server.request("DELETE", `/api/admin/teams/${team.body.id}`, undefined, admin.headers)).status).toBe(204);
    expect((await server.request("GET", `/api/admin/teams/${team.body.id}`, undefined, admin.headers)).status).toBe(404);
    const actions = (await server.request("GET", `/api/admin/audit?user=${admin.userId}&limit=10`, undefined, admin.headers)).body.items.map((e: { action: string }) => e.action);
    expect(actions.slice(0, 4)).toEqual(["team_deleted", "team_member_removed", "team_changed", "team_member_added"]);
  });
});

describe.each(databaseTargets)("department tree on $name", (target) => {
  const server = useTestServer(target, { seed: false });
  const create = async (admin: TestSession, name: string, parentId?: string) => {
    const res = await server.request("POST", "/api/admin/departments", { name, ...(parentId ? { parentId } : {}) }, admin.headers);
    expect(res.status).toBe(201);
    return res.body as { id: string; path: string };
  };

  it("stores materialised paths, answers a subtree with one prefix match, and moves whole subtrees", async () => {
    const admin = await loginAsAdmin(server);
    const company = await create(admin, "Company");
    const sales = await create(admin, "Sales", company.id);
    const emea = await create(admin, "EMEA", sales.id);
    const dach = await create(admin, "DACH", emea.id);
    const finance = await create(admin, "Finance", company.id);
    expect(dach.path).toBe(`/${company.id}/${sales.id}/${emea.id}/${dach.id}/`);

    const subtree = async (id: string) =>
      (await server.sql<{ name: string }>(`select d.name from departments d, departments root where root.id = $1 and d.path like root.path || '%' order by d.path`, [id])).map((r) => r.name);
    expect(await subtree(sales.id)).toEqual(["Sales", "EMEA", "DACH"]);

    const moved = await server.request("PATCH", `/api/admin/departments/${emea.id}`, { parentId: finance.id }, admin.headers);
    expect(moved.status).toBe(200);
    expect(moved.body).toMatchObject({ parentId: finance.id, path: `/${company.id}/${finance.id}/${emea.id}/` });
    const [dachNow] = await server.sql<{ path: string }>(`select path from departments where id = $1`, [dach.id]);
    expect(dachNow!.path).toBe(`/${company.id}/${finance.id}/${emea.id}/${dach.id}/`);
    expect(await subtree(sales.id)).toEqual(["Sales"]);
    expect(await subtree(finance.id)).toEqual(["Finance", "EMEA", "DACH"]);

    const toRoot = await server.request("PATCH", `/api/admin/departments/${emea.id}`, { parentId: null, name: "Europe" }, admin.headers);
    expect(toRoot.body).toMatchObject({ parentId: null, name: "Europe", path: `/${emea.id}/` });
    const [dachRoot] = await server.sql<{ path: string }>(`select path from departments where id = $1`, [dach.id]);
    expect(dachRoot!.path).toBe(`/${emea.id}/${dach.id}/`);

    const tree = await server.request("GET", "/api/admin/departments", undefined, admin.headers);
    const shape = (nodes: Array<{ name: string; children: unknown[] }>): unknown => nodes.map((n) => [n.name, shape(n.children as never)]);
    expect(shape(tree.body.items)).toEqual([["Company", [["Finance", []], ["Sales", []]]], ["Europe", [["DACH", []]]]]);
  });

  it("refuses cycles with a pointer, unknown parents, and deleting a department in use", async () => {
    const admin = await loginAsAdmin(server);
    const top = await create(admin, "Top");
    const middle = await create(admin, "Middle", top.id);
    const bottom = await create(admin, "Bottom", middle.id);
    for (const parentId of [top.id, bottom.id]) {
      const cycle = await server.request("PATCH", `/api/admin/departments/${top.id}`, { parentId }, admin.headers);
      expect(cycle.status).toBe(422);
      expect(cycle.body.code).toBe("DEPARTMENT_CYCLE");
      expect(pointers(cycle.body)).toEqual(["/parentId"]);
    }
    const [topNow] = await server.sql<{ path: string }>(`select path from departments where id = $1`, [top.id]);
    expect(topNow!.path).toBe(`/${top.id}/`);
    const unknown = await server.request("POST", "/api/admin/departments", { name: "Orphan", parentId: "00000000-0000-4000-8000-000000000005" }, admin.headers);
    expect(unknown.status).toBe(422);
    expect(pointers(unknown.body)).toEqual(["/parentId"]);

    expect((await server.request("DELETE", `/api/admin/departments/${middle.id}`, undefined, admin.headers)).status).toBe(409);
    const user = await server.request("POST", "/api/admin/users", { email: "bottom@example.test", name: "B", departmentId: bottom.id }, admin.headers);
    expect((await server.request("DELETE", `/api/admin/departments/${bottom.id}`, undefined, admin.headers)).status).toBe(409);
    await server.request("PATCH", `/api/admin/users/${user.body.id}`, { departmentId: null }, admin.headers);
    expect((await server.request("DELETE", `/api/admin/departments/${bottom.id}`, undefined, admin.headers)).status).toBe(204);
    const actions = (await server.request("GET", `/api/admin/audit?user=${admin.userId}&limit=3`, undefined, admin.headers)).body.items.map((e: { action: string }) => e.action);
    expect(actions[0]).toBe("department_deleted");
  });
});
