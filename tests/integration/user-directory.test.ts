import { beforeAll, describe, expect, it } from "vitest";
import { databaseTargets } from "./support/databases.ts";
import { buildOrg, type Org } from "./support/org-fixture.ts";
import { ANONYMOUS, useTestServer } from "./support/test-server.ts";

describe.each(databaseTargets)("GET /api/users (the user directory) on $name", (target) => {
  const server = useTestServer(target);
  let org: Org;

  beforeAll(async () => {
    org = await buildOrg(server);
  });

  it("gives any signed-in user every colleague's id, name, email and active flag, and nothing more", async () => {
    const deactivated = await server.request("PATCH", `/api/admin/users/${org.users.norole.id}`, { active: false });
    expect(deactivated.status, JSON.stringify(deactivated.body)).toBe(200);
    for (const headers of [org.users.owner.headers, org.tokens.owner.headers]) {
      const res = await server.request("GET", "/api/users", undefined, headers);
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      const byId = new Map((res.body.items as Array<Record<string, unknown>>).map((u) => [u.id, u]));
      expect(byId.get(org.users.manager.id)).toEqual({ id: org.users.manager.id, name: expect.any(String), email: org.users.manager.email, active: true });
      // Past owners keep their names.
      expect(byId.get(org.users.norole.id)).toMatchObject({ active: false });
      expect(byId.get(server.admin.userId)).toBeDefined();
      for (const user of byId.values()) expect(Object.keys(user).sort()).toEqual(["active", "email", "id", "name"]);
    }
  });

  it("refuses anonymous callers and role tokens that act for no user", async () => {
    expect((await server.request("GET", "/api/users", undefined, ANONYMOUS)).status).toBe(401);
    const role = await server.request("GET", "/api/users", undefined, org.tokens.salesRep.headers);
    expect(role.status).toBe(403);
    expect(role.body.code).toBe("USER_REQUIRED");
  });
});
