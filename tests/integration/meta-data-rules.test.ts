import { describe, expect, it } from "vitest";
import type { EntityDefinition, FieldDefinition } from "@crm/core";
import { databaseTargets } from "./support/databases.ts";
import { entity } from "./support/definitions.ts";
import { useTestServer } from "./support/test-server.ts";

describe.each(databaseTargets)("data rules of schema changes on $name", (target) => {
  const server = useTestServer(target, { seed: false });

  async function setUp(key: string, fields: Parameters<typeof entity>[1], rows: string) {
    const res = await server.request("POST", "/api/meta/entities", { definition: entity(key, fields) });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    await server.sql(rows);
    return res.body.entity.definition as EntityDefinition;
  }

  async function count(sql: string) {
    return (await server.sql<{ n: number }>(sql))[0]!.n;
  }

  it("a field that becomes required with empty rows and no default is blocked, counted, and nothing changes", async () => {
    const definition = await setUp("req", [{ key: "city", type: "text" }], `insert into data."req" ("city") values ('Paris'), (null), (null)`);
    const next = { ...definition, fields: [{ ...definition.fields[0]!, required: true }] };
    const preview = await server.request("POST", "/api/meta/entities/req/preview", { definition: next, baseVersion: 1 });
    expect(preview.status).toBe(200);
    expect(preview.body.blocked).toBe(true);
    const impact = preview.body.steps.flatMap((s: { impacts: unknown[] }) => s.impacts).find((i: { blocks: boolean }) => i.blocks);
    expect(impact).toMatchObject({ count: 2, blocks: true });
    expect(impact.message).toContain("2");
    const applied = await server.request("PUT", "/api/meta/entities/req", { definition: next, baseVersion: 1, confirm: preview.body.requiresConfirmation });
    expect(applied.status).toBe(422);
    expect(applied.body.code).toBe("MIGRATION_BLOCKED");
    expect(applied.body.issues[0].pointer).toMatch(/^\/definition\/fields\/0/);
    expect(await count(`select count(*)::int as n from data."req" where "city" is null`)).toBe(2);
  });

  it("a field that becomes required with a default fills the empty rows with it", async () => {
    const definition = await setUp("reqd", [{ key: "city", type: "text" }], `insert into data."reqd" ("city") values ('Paris'), (null)`);
    const next = { ...definition, fields: [{ ...definition.fields[0]!, required: true, default: "Unknown" } as FieldDefinition] };
    const preview = await server.request("POST", "/api/meta/entities/reqd/preview", { definition: next, baseVersion: 1 });
    expect(preview.body.blocked).toBe(false);
    expect(preview.body.steps.flatMap((s: { impacts: Array<{ count: number }> }) => s.impacts.map((i) => i.count))).toContain(1);
    const applied = await server.request("PUT", "/api/meta/entities/reqd", { definition: next, baseVersion: 1, confirm: preview.body.requiresConfirmation });
    expect(applied.status, JSON.stringify(applied.body)).toBe(200);
    expect((await server.sql<{ city: string }>(`select "city" from data."reqd" order by "city"`)).map((r) => r.city)).toEqual(["Paris", "Unknown"]);
  });

  it("a unique rule over duplicate values is blocked with the duplicate count", async () => {
    const definition = await setUp("uniq", [{ key: "code", type: "text" }], `insert into data."uniq" ("code") values ('A'), ('A'), ('B')`);
    const next = { ...definition, fields: [{ ...definition.fields[0]!, unique: true }] };
    const preview = await server.request("POST", "/api/meta/entities/uniq/preview", { definition: next, baseVersion: 1 });
    expect(preview.body.blocked).toBe(true);
    const applied = await server.request("PUT", "/api/meta/entities/uniq", { definition: next, baseVersion: 1 });
    expect(applied.status).toBe(422);
    expect(applied.body.code).toBe("MIGRATION_BLOCKED");
  });

  it("purging a deleted field erases its column only after confirmation", async () => {
    const definition = await setUp("purge", [{ key: "a", type: "text" }, { key: "b", type: "text" }], `insert into data."purge" ("a", "b") values ('x', 'y')`);
    expect((await server.request("PUT", "/api/meta/entities/purge", { definition: { ...definition, fields: [definition.fields[0]!] }, baseVersion: 1 })).status).toBe(200);
    const fieldId = definition.fields[1]!.id;
    const refused = await server.request("DELETE", `/api/meta/entities/purge/trash/${fieldId}`);
    expect(refused.status).toBe(422);
    expect(refused.body.code).toBe("LOSSY_STEP_NOT_CONFIRMED");
    const stepId = refused.body.requiresConfirmation[0];
    const columnsBefore = await count(`select count(*)::int as n from information_schema.columns where table_schema = 'data' and table_name = 'purge'`);
    const purged = await server.request("DELETE", `/api/meta/entities/purge/trash/${fieldId}?confirm=${encodeURIComponent(stepId)}`);
    expect(purged.status, JSON.stringify(purged.body)).toBe(200);
    expect(await count(`select count(*)::int as n from information_schema.columns where table_schema = 'data' and table_name = 'purge'`)).toBe(columnsBefore - 1);
    expect((await server.request("GET", "/api/meta/entities/purge/trash")).body.fields).toEqual([]);
    expect((await server.request("POST", `/api/meta/entities/purge/trash/${fieldId}/restore`)).status).toBe(404);
  });

  it("purging a deleted entity drops its table; its key can then be reused from scratch", async () => {
    await setUp("gone", [{ key: "a", type: "text" }], `insert into data."gone" ("a") values ('x')`);
    expect((await server.request("DELETE", "/api/meta/entities/gone")).status).toBe(200);
    const refused = await server.request("DELETE", "/api/meta/trash/t-gone");
    expect(refused.status).toBe(422);
    const purged = await server.request("DELETE", `/api/meta/trash/t-gone?confirm=${encodeURIComponent(refused.body.requiresConfirmation[0])}`);
    expect(purged.status, JSON.stringify(purged.body)).toBe(200);
    expect(await count(`select count(*)::int as n from information_schema.tables where table_schema in ('data', 'data_trash') and table_name like '%gone%'`)).toBe(0);
    const again = await server.request("POST", "/api/meta/entities", { definition: entity("gone", [{ key: "a", type: "integer" }], { id: "t-gone-2" }) });
    expect(again.status, JSON.stringify(again.body)).toBe(201);
    expect(await count(`select count(*)::int as n from data."gone"`)).toBe(0);
  });

  it("records every applied plan with its confirmations in the history", async () => {
    const definition = await setUp("hist", [{ key: "t", type: "text" }], `insert into data."hist" ("t") values ('long text here')`);
    const next = { ...definition, fields: [{ ...definition.fields[0]!, maxLength: 4 } as FieldDefinition] };
    const preview = await server.request("POST", "/api/meta/entities/hist/preview", { definition: next, baseVersion: 1 });
    await server.request("PUT", "/api/meta/entities/hist", { definition: next, baseVersion: 1, confirm: preview.body.requiresConfirmation });
    const history = await server.request("GET", "/api/meta/entities/hist/versions");
    expect(history.body.plans).toHaveLength(2);
    expect(history.body.plans[0]).toMatchObject({ fromVersion: 1, toVersion: 2, confirmed: preview.body.requiresConfirmation });
    expect(history.body.plans[0].impacts[0]).toMatchObject({ count: 1 });
  });
});
