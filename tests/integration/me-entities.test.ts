import { beforeAll, describe, expect, it } from "vitest";
import { databaseTargets } from "./support/databases.ts";
import { buildOrg, createRole, setRoles, type Org } from "./support/org-fixture.ts";
import { ANONYMOUS, useTestServer } from "./support/test-server.ts";

type Readable = { version: number; definition: { key: string; fields: Array<{ key: string }> } };

describe.each(databaseTargets)("GET /api/me/entities on $name", (target) => {
  const server = useTestServer(target);
  let org: Org;
  const entities = async (headers: Record<string, string>) => {
    const res = await server.request("GET", "/api/me/entities", undefined, headers);
    expect(res.status).toBe(200);
    return res.body.items as Readable[];
  };

  beforeAll(async () => {
    org = await buildOrg(server);
  });

  it("refuses anonymous callers", async () => {
    const res = await server.request("GET", "/api/me/entities", undefined, ANONYMOUS);
    expect(res.status).toBe(401);
    expect(res.body.code).toBe("AUTHENTICATION_REQUIRED");
  });

  it("gives an administrator every live definition, whole, with its version", async () => {
    const items = await entities({});
    const live = server.runtime.registry.all();
    expect(items.map((i) => i.definition.key).sort()).toEqual(live.map((e) => e.definition.key).sort());
    for (const item of items) {
      const entity = server.runtime.registry.find(item.definition.key)!;
      expect(item.version).toBe(entity.version);
      expect(item.definition).toEqual(entity.definition);
    }
  });

  it("gives a user only the entities and fields their roles let them read", async () => {
    const account = server.runtime.registry.find("account")!.definition;
    const hidden = account.fields.find((f) => f.type !== "relation")!;
    const role = await createRole(server, org, "account_reader", { entities: { [account.id]: { read: "own", fields: { [hidden.id]: "none" } } } });
    const user = org.users.norole;
    await setRoles(server, user.id, [role]);
    const items = await entities(user.headers);
    expect(items.map((i) => i.definition.key)).toEqual(["account"]);
    const keys = items[0]!.definition.fields.map((f) => f.key);
    expect(keys).not.toContain(hidden.key);
    expect(keys).toEqual(account.fields.filter((f) => f.key !== hidden.key).map((f) => f.key));
  });

  it("gives a user without roles nothing", async () => {
    await setRoles(server, org.users.norole.id, []);
    expect(await entities(org.users.norole.headers)).toEqual([]);
  });
});
