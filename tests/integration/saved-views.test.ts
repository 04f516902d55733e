import { beforeAll, describe, expect, it } from "vitest";
import { databaseTargets } from "./support/databases.ts";
import { login } from "./support/login.ts";
import { bearer, setRoles } from "./support/org-fixture.ts";
import { useTestServer } from "./support/test-server.ts";

const PASSWORD = "a-long-password-for-views";
type User = { id: string; headers: Record<string, string> };

describe.each(databaseTargets)("saved views on $name", (target) => {
  const server = useTestServer(target);
  /** Three users, no teams: `owner` and `other` are sales reps who see only their own records. */
  const org = { users: {} as Record<"owner" | "other" | "norole", User>, roles: {} as Record<string, string>, tokens: { salesRep: { headers: {} as Record<string, string> } } };
  let contactOnly: string;

  async function created(path: string, body: unknown): Promise<any> {
    const res = await server.request("POST", path, body);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body;
  }
  const createRole = async (key: string, permissions: unknown) => (org.roles[key] = (await created("/api/admin/roles", { key, name: key, permissions })).id as string);

  const save = (body: unknown, headers?: Record<string, string>) => server.request("POST", "/api/views", body, headers);
  const listViews = async (headers?: Record<string, string>, entity?: string) => {
    const res = await server.request("GET", `/api/views${entity ? `?entity=${entity}` : ""}`, undefined, headers);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(typeof res.body.canShare).toBe("boolean");
    return res.body.items as Array<Record<string, any>>;
  };

  beforeAll(async () => {
    for (const role of (await server.request("GET", "/api/admin/roles")).body.items as Array<{ id: string; key: string }>) org.roles[role.key] = role.id;
    for (const [key, roleIds] of [["owner", [org.roles.sales_rep]], ["other", [org.roles.sales_rep]], ["norole", []]] as const) {
      const user = await created("/api/admin/users", { email: `${key}@views.test`, name: key, password: PASSWORD, roleIds });
      org.users[key] = { id: user.id, headers: (await login(server, `${key}@views.test`, PASSWORD)).headers };
    }
    org.tokens.salesRep.headers = bearer((await created("/api/admin/tokens", { name: "sales_rep views", roleId: org.roles.sales_rep })).token);
    const contact = await server.request("GET", "/api/meta/entities/contact");
    contactOnly = await createRole("contact_reader", { entities: { [contact.body.definition.id]: { read: "all" } } });
  });

  it("saves, lists, renames and deletes a user's own views, which no one else sees", async () => {
    const created = await save({ entity: "opportunity", name: "Big deals", columns: ["name", "amount", "stage"], sort: "-amount", filter: ["or(stage:eq:proposal,stage:eq:negotiation)"], q: "acme", mode: "kanban" }, org.users.owner.headers);
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.headers.get("location")).toBe(`/api/views/${created.body.id}`);
    expect(created.body).toMatchObject({ entity: "opportunity", name: "Big deals", shared: false, mine: true, editable: true, ownerId: org.users.owner.id, sort: "-amount", q: "acme", mode: "kanban" });

    expect((await listViews(org.users.owner.headers, "opportunity")).map((v) => v.name)).toContain("Big deals");
    expect((await listViews(org.users.other.headers)).map((v) => v.id)).not.toContain(created.body.id);
    expect((await server.request("GET", `/api/views/${created.body.id}`, undefined, org.users.other.headers)).status).toBe(404);
    expect((await server.request("PATCH", `/api/views/${created.body.id}`, { name: "Mine" }, org.users.other.headers)).status).toBe(404);

    const renamed = await server.request("PATCH", `/api/views/${created.body.id}`, { name: "Biggest deals", filter: [] }, org.users.owner.headers);
    expect(renamed.status, JSON.stringify(renamed.body)).toBe(200);
    expect(renamed.body).toMatchObject({ name: "Biggest deals", filter: [], sort: "-amount", columns: ["name", "amount", "stage"] });

    const twin = await save({ entity: "opportunity", name: "Biggest deals" }, org.users.owner.headers);
    expect(twin.status).toBe(409);
    expect(twin.body).toMatchObject({ code: "VIEW_NAME_TAKEN", issues: [{ pointer: "/name" }] });
    // The same name is free for another user and for another entity.
    expect((await save({ entity: "opportunity", name: "Biggest deals" }, org.users.other.headers)).status).toBe(201);
    expect((await save({ entity: "account", name: "Biggest deals" }, org.users.owner.headers)).status).toBe(201);

    expect((await server.request("DELETE", `/api/views/${created.body.id}`, undefined, org.users.owner.headers)).status).toBe(204);
    expect((await server.request("GET", `/api/views/${created.body.id}`, undefined, org.users.owner.headers)).status).toBe(404);
  });

  it("answers bad views with 422 issues that point at each problem", async () => {
    const bad = await save({ entity: "opportunity", name: "", columns: ["name", "nope"], sort: "-nothing", filter: ["stage:eq:proposal", "amount:near:3"], mode: "grid", extra: 1 }, org.users.owner.headers);
    expect(bad.status).toBe(422);
    expect(bad.headers.get("content-type")).toContain("application/problem+json");
    expect(bad.body.issues.map((i: { pointer: string }) => i.pointer).sort()).toEqual(["/extra", "/mode", "/name"]);

    const unfit = await save({ entity: "opportunity", name: "Unfit", columns: ["name", "nope"], sort: "-nothing", filter: ["nothing:eq:3"] }, org.users.owner.headers);
    expect(unfit.status).toBe(422);
    const pointers = unfit.body.issues.map((i: { pointer: string }) => i.pointer);
    expect(pointers).toContain("/columns/1");
    expect(pointers).toContain("/sort");
    expect(pointers.some((p: string) => p.startsWith("/filter"))).toBe(true);

    const syntax = await save({ entity: "opportunity", name: "Syntax", filter: ["amount:near:3"] }, org.users.owner.headers);
    expect(syntax.status).toBe(422);
    expect(syntax.body.issues[0].pointer).toMatch(/^\/filter/);

    const unreadable = await save({ entity: "account", name: "Nope" }, org.users.norole.headers);
    expect(unreadable.status).toBe(422);
    expect(unreadable.body.issues).toEqual([expect.objectContaining({ code: "ENTITY_NOT_READABLE", pointer: "/entity" })]);
    expect((await save({ entity: "account", name: "Token" }, org.tokens.salesRep.headers)).status).toBe(403);
    expect((await server.request("GET", "/api/views/not-a-uuid", undefined, org.users.owner.headers)).status).toBe(404);
  });

  it("lets only admins and roles with shareViews share, lists shared views to readers of the entity only, and runs them under the viewer's permissions", async () => {
    const denied = await save({ entity: "account", name: "Shared by rep", shared: true }, org.users.owner.headers);
    expect(denied.status).toBe(403);
    expect(denied.body.issues).toEqual([expect.objectContaining({ pointer: "/shared" })]);

    const accounts = await server.request("POST", "/api/records/account", [
      { name: "SV owner's", ownerId: org.users.owner.id },
      { name: "SV outsider's", ownerId: org.users.other.id },
    ]);
    expect(accounts.status, JSON.stringify(accounts.body)).toBe(201);
    const shared = await save({ entity: "account", name: "SV accounts", shared: true, columns: ["name"], filter: ["name:startsWith:SV"] });
    expect(shared.status, JSON.stringify(shared.body)).toBe(201);

    const seen = (await listViews(org.users.owner.headers, "account")).find((v) => v.id === shared.body.id);
    expect(seen).toMatchObject({ shared: true, mine: false, editable: false, filter: ["name:startsWith:SV"] });
    const params = new URLSearchParams(seen!.filter.map((f: string) => ["filter", f]));
    const asOwner = await server.request("GET", `/api/records/account?${params}`, undefined, org.users.owner.headers);
    expect(asOwner.body.items.map((r: { name: string }) => r.name)).toEqual(["SV owner's"]);
    const asAdmin = await server.request("GET", `/api/records/account?${params}&sort=name`);
    expect(asAdmin.body.items.map((r: { name: string }) => r.name)).toEqual(["SV outsider's", "SV owner's"]);

    // A shared view is changed or deleted only by those who may share.
    expect((await server.request("PATCH", `/api/views/${shared.body.id}`, { name: "Taken over" }, org.users.owner.headers)).status).toBe(403);
    expect((await server.request("DELETE", `/api/views/${shared.body.id}`, undefined, org.users.owner.headers)).status).toBe(403);

    // Users who cannot read accounts do not see account views at all.
    expect((await listViews(org.users.norole.headers)).map((v) => v.id)).not.toContain(shared.body.id);
    expect((await server.request("GET", `/api/views/${shared.body.id}`, undefined, org.users.norole.headers)).status).toBe(404);

    const curator = await createRole("view_curator", { shareViews: true });
    await setRoles(server, org.users.other.id, [org.roles.sales_rep!, curator]);
    await setRoles(server, org.users.norole.id, [contactOnly]);
    try {
      expect((await server.request("GET", "/api/views", undefined, org.users.other.headers)).body.canShare).toBe(true);
      const own = await save({ entity: "contact", name: "Curated contacts" }, org.users.other.headers);
      expect(own.status).toBe(201);
      const published = await server.request("PATCH", `/api/views/${own.body.id}`, { shared: true }, org.users.other.headers);
      expect(published.status, JSON.stringify(published.body)).toBe(200);
      expect(published.body.shared).toBe(true);
      const forContactReader = await listViews(org.users.norole.headers);
      expect(forContactReader.map((v) => v.name)).toContain("Curated contacts");
      expect(forContactReader.every((v) => v.entity === "contact")).toBe(true);
      expect((await server.request("PATCH", `/api/views/${shared.body.id}`, { name: "SV accounts (curated)" }, org.users.other.headers)).status).toBe(200);
    } finally {
      await setRoles(server, org.users.other.id, [org.roles.sales_rep!]);
      await setRoles(server, org.users.norole.id, []);
    }
  });
});
