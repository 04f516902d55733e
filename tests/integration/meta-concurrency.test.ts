import postgres from "postgres";
import { describe, expect, it } from "vitest";
import type { EntityDefinition } from "@crm/core";
import { postgresOnly } from "./support/databases.ts";
import { entity } from "./support/definitions.ts";
import { useTestServer } from "./support/test-server.ts";

// Needs a second connection to the same database: real PostgreSQL only.


describe.runIf(postgresOnly.run).each(postgresOnly.targets)("schema changes under concurrent writes on $name", (target) => {
  const server = useTestServer(target, { seed: false, env: { MIGRATION_LOCK_TIMEOUT_MS: "300" } });

  function otherConnection() {
    return postgres(server.databaseUrl!, { max: 4, onnotice: () => {} });
  }

  it("loses no write while fields are added, renamed and removed", async () => {
    expect((await server.request("POST", "/api/meta/entities", { definition: entity("busy", [{ key: "n", type: "integer" }]) })).status).toBe(201);
    const sql = otherConnection();
    let writes = 0;
    const errors: unknown[] = [];
    let running = true;
    const writer = (async () => {
      while (running) {
        try {
          await sql`insert into data."busy" ("n") values (${writes + 1})`;
          writes++;
        } catch (error) {
          errors.push(error);
        }
      }
    })();
    let version = 1;
    let definition = (await server.request("GET", "/api/meta/entities/busy")).body.definition as EntityDefinition;
    for (let i = 0; i < 6; i++) {
      const fields = i % 2 === 0 ? [...definition.fields, { id: `t-busy-f${i}`, key: `f${i}`, type: "text", label: { en: "F" } }] : definition.fields.slice(0, 1);
      let res;
      do {
        res = await server.request("PUT", "/api/meta/entities/busy", { definition: { ...definition, fields }, baseVersion: version });
        expect([200, 423, 409]).toContain(res.status);
        if (res.status !== 200) expect(res.body.retryable).toBe(true);
      } while (res.status !== 200);
      version = res.body.entity.version;
      definition = res.body.entity.definition;
    }
    running = false;
    await writer;
    const [row] = await sql`select count(*)::int as n from data."busy"`;
    await sql.end();
    expect(errors).toEqual([]);
    expect(row!.n).toBe(writes);
    expect(writes).toBeGreaterThan(0);
  });

  it("answers 423 with Retry-After when the table stays locked past the lock timeout, and changes nothing", async () => {
    expect((await server.request("POST", "/api/meta/entities", { definition: entity("locked", [{ key: "n", type: "integer" }]) })).status).toBe(201);
    const sql = otherConnection();
    const holder = await sql.reserve();
    await holder`begin`;
    await holder`lock table data."locked" in access share mode`;
    const definition = (await server.request("GET", "/api/meta/entities/locked")).body.definition as EntityDefinition;
    const res = await server.request("PUT", "/api/meta/entities/locked", {
      definition: { ...definition, fields: [...definition.fields, { id: "t-locked-x", key: "x", type: "text", label: { en: "X" } }] },
      baseVersion: 1,
    });
    await holder`rollback`;
    holder.release();
    await sql.end();
    expect(res.status).toBe(423);
    expect(res.headers.get("retry-after")).toBe("1");
    expect(res.body).toMatchObject({ code: "SCHEMA_BUSY", retryable: true });
    expect((await server.request("GET", "/api/meta/entities/locked")).body.version).toBe(1);
  });
});
