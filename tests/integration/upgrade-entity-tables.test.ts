import { describe, expect, it } from "vitest";
import { upgradeEntityTables } from "../../runtime/src/db/upgrade-entity-tables.ts";
import { databaseTargets } from "./support/databases.ts";
import { useTestServer } from "./support/test-server.ts";

describe.each(databaseTargets)("upgrading entity tables of an older version on $name", (target) => {
  const server = useTestServer(target);

  it("adds the ownerId column and the owner and createdAt indexes where they are missing, once", async () => {
    const account = server.runtime.registry.find("account")!.definition;
    await server.sql(`DROP INDEX data."own_${account.id}"`);
    await server.sql(`DROP INDEX data."cre_${account.id}"`);
    await server.sql(`ALTER TABLE data.account DROP COLUMN "ownerId"`);
    const indexes = async () => (await server.sql<{ name: string }>(`select indexname as name from pg_indexes where tablename = 'account' and schemaname = 'data'`)).map((r) => r.name).sort();
    expect(await indexes()).not.toContain(`own_${account.id}`);

    expect(await upgradeEntityTables(server.runtime.db, server.runtime.registry.definitions())).toEqual(["data.account"]);
    expect(await indexes()).toEqual(expect.arrayContaining([`own_${account.id}`, `cre_${account.id}`]));
    expect(await upgradeEntityTables(server.runtime.db, server.runtime.registry.definitions())).toEqual([]);

    const created = await server.request("POST", "/api/records/account", { name: "After the upgrade" });
    expect(created.status).toBe(201);
    expect(created.body.ownerId).toBe(server.admin.userId);
  });
});
