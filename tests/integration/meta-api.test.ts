import { describe, expect, it } from "vitest";
import type { EntityDefinition } from "@crm/core";
import { databaseTargets } from "./support/databases.ts";
import { entity, everyFieldType } from "./support/definitions.ts";
import { useTestServer } from "./support/test-server.ts";

describe.each(databaseTargets)("metadata API on $name", (target) => {
  const server = useTestServer(target, { seed: false });

  async function create(definition: EntityDefinition) {
    const res = await server.request("POST", "/api/meta/entities", { definition });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body;
  }

  async function columns(table: string) {
    const rows = await server.sql<{ column_name: string; data_type: string; is_nullable: string }>(
      "select column_name, data_type, is_nullable from information_schema.columns where table_schema = 'data' and table_name = $1 order by ordinal_position",
      [table],
    );
    return Object.fromEntries(rows.map((r) => [r.column_name, r.data_type]));
  }

  async function current(key: string) {
    const res = await server.request("GET", `/api/meta/entities/${key}`);
    expect(res.status).toBe(200);
    return res.body as { version: number; definition: EntityDefinition };
  }

  it("reports health with the database kind", async () => {
    const res = await server.request("GET", "/api/health");
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: "ok", database: target.name });
  });

  it("creates an entity with every field type and serves it back with its version", async () => {
    await create(entity("gadget", [{ key: "name", type: "text" }]));
    const created = await create(entity("widget", everyFieldType("gadget")));
    expect(created.entity.version).toBe(1);
    expect(created.steps.length).toBeGreaterThan(0);
    const cols = await columns("widget");
    expect(cols).toMatchObject({
      id: "uuid",
      title: "text",
      quantity: "bigint",
      weight: "numeric",
      price: "numeric",
      price_currency: "character",
      active: "boolean",
      startsOn: "date",
      startsAt: "timestamp with time zone",
      tags: "ARRAY",
      parent: "uuid",
      number: "text",
      extra: "jsonb",
    });
    expect(await columns("widget_related")).toMatchObject({ source: "uuid", target: "uuid" });
    const got = await current("widget");
    expect(got.version).toBe(1);
    expect(got.definition.fields).toHaveLength(19);
    const list = await server.request("GET", "/api/meta/entities");
    expect(list.body.items.map((e: { key: string }) => e.key)).toEqual(expect.arrayContaining(["gadget", "widget"]));
    const [row] = await server.sql<{ number: string }>(`insert into data."widget" ("title") values ('x') returning "number"`);
    expect(row!.number).toMatch(/^T-\d{5}$/);
  });

  it("renames a field and an entity without losing data", async () => {
    await create(entity("person", [{ key: "fullName", type: "text" }]));
    await server.sql(`insert into data."person" ("fullName") values ('Ada Lovelace'), ('Alan Turing')`);
    const { definition, version } = await current("person");
    const renamed = { ...definition, key: "human", fields: [{ ...definition.fields[0]!, key: "name" }] };
    const res = await server.request("PUT", "/api/meta/entities/person", { definition: renamed, baseVersion: version });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.steps.map((s: { class: string }) => s.class)).not.toContain("lossy");
    const rows = await server.sql<{ name: string }>(`select "name" from data."human" order by "name"`);
    expect(rows.map((r) => r.name)).toEqual(["Ada Lovelace", "Alan Turing"]);
    expect((await server.request("GET", "/api/meta/entities/person")).status).toBe(404);
    expect((await current("human")).version).toBe(version + 1);
  });

  it("adds, renames and soft-drops fields without rewriting the table", async () => {
    await create(entity("bulk", [{ key: "label", type: "text" }]));
    await server.sql(`insert into data."bulk" ("label") select 'row ' || g from generate_series(1, 2000) g`);
    const fileNode = async () => (await server.sql<{ f: string }>(`select pg_relation_filenode('data."bulk"')::text as f`))[0]!.f;
    const before = await fileNode();
    let { definition, version } = await current("bulk");
    const steps = [
      { ...definition, fields: [...definition.fields, { id: "t-bulk-score", key: "score", type: "integer", label: { en: "Score" }, default: 0, required: true }] },
      { ...definition, fields: [{ ...definition.fields[0]!, key: "caption" }, { id: "t-bulk-score", key: "score", type: "integer", label: { en: "Score" }, default: 0, required: true }] },
      { ...definition, fields: [{ ...definition.fields[0]!, key: "caption" }] },
    ] as EntityDefinition[];
    for (const next of steps) {
      const res = await server.request("PUT", "/api/meta/entities/bulk", { definition: next, baseVersion: version });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      version = res.body.entity.version;
    }
    expect(await fileNode()).toBe(before);
    expect((await server.sql<{ n: number }>(`select count(*)::int as n from data."bulk" where "caption" like 'row %'`))[0]!.n).toBe(2000);
  });

  it("refuses a stale edit with 409 and changes nothing", async () => {
    await create(entity("ticket", [{ key: "subject", type: "text" }]));
    const { definition, version } = await current("ticket");
    const first = { ...definition, fields: [...definition.fields, { id: "t-ticket-a", key: "a", type: "text", label: { en: "A" } }] };
    expect((await server.request("PUT", "/api/meta/entities/ticket", { definition: first, baseVersion: version })).status).toBe(200);
    const second = { ...definition, fields: [...definition.fields, { id: "t-ticket-b", key: "b", type: "text", label: { en: "B" } }] };
    const res = await server.request("PUT", "/api/meta/entities/ticket", { definition: second, baseVersion: version });
    expect(res.status).toBe(409);
    expect(res.headers.get("content-type")).toContain("application/problem+json");
    expect(res.body).toMatchObject({ code: "STALE_DEFINITION", currentVersion: version + 1 });
    expect(Object.keys(await columns("ticket"))).not.toContain("b");
  });

  it("refuses lossy steps without confirmation, with nothing changed, and applies them once confirmed", async () => {
    await create(entity("note", [{ key: "text", type: "text" }]));
    await server.sql(`insert into data."note" ("text") values ('short'), (repeat('x', 30)), (repeat('y', 40)), (null)`);
    const { definition, version } = await current("note");
    const next = { ...definition, fields: [{ ...definition.fields[0]!, maxLength: 20 }] };
    const preview = await server.request("POST", "/api/meta/entities/note/preview", { definition: next, baseVersion: version });
    expect(preview.status, JSON.stringify(preview.body)).toBe(200);
    const lossy = preview.body.steps.filter((s: { class: string }) => s.class === "lossy");
    expect(lossy).toHaveLength(1);
    expect(lossy[0].impacts[0].count).toBe(2);
    expect(preview.body.requiresConfirmation).toEqual([lossy[0].id]);

    const refused = await server.request("PUT", "/api/meta/entities/note", { definition: next, baseVersion: version });
    expect(refused.status).toBe(422);
    expect(refused.body.code).toBe("LOSSY_STEP_NOT_CONFIRMED");
    expect(refused.body.issues[0].pointer).toMatch(/^\/definition\/fields\/0/);
    expect((await current("note")).version).toBe(version);
    expect((await server.sql<{ n: number }>(`select count(*)::int as n from data."note" where length("text") > 20`))[0]!.n).toBe(2);

    const applied = await server.request("PUT", "/api/meta/entities/note", { definition: next, baseVersion: version, confirm: [lossy[0].id] });
    expect(applied.status, JSON.stringify(applied.body)).toBe(200);
    expect((await server.sql<{ n: number }>(`select count(*)::int as n from data."note" where length("text") > 20`))[0]!.n).toBe(0);
  });

  it("soft-deletes a field, keeps its data, never lends its column to a new field, and restores it", async () => {
    await create(entity("lead2", [{ key: "name", type: "text" }, { key: "phone", type: "text" }]));
    await server.sql(`insert into data."lead2" ("name", "phone") values ('a', '+1 555 0100'), ('b', '+1 555 0101')`);
    let { definition, version } = await current("lead2");
    const phone = definition.fields[1]!;
    let res = await server.request("PUT", "/api/meta/entities/lead2", { definition: { ...definition, fields: [definition.fields[0]!] }, baseVersion: version });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const trash = await server.request("GET", "/api/meta/entities/lead2/trash");
    expect(trash.body.fields.map((f: { field: { id: string } }) => f.field.id)).toEqual([phone.id]);

    // A new field with the same key starts empty, with its own settings.
    ({ definition, version } = await current("lead2"));
    const fresh = { id: "t-lead2-phone-new", key: "phone", type: "integer", label: { en: "Phone no." } };
    res = await server.request("PUT", "/api/meta/entities/lead2", { definition: { ...definition, fields: [...definition.fields, fresh] }, baseVersion: version });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect((await server.sql<{ n: number }>(`select count("phone")::int as n from data."lead2"`))[0]!.n).toBe(0);

    // Restoring needs the key free: rename the new field first, then restore.
    ({ definition, version } = await current("lead2"));
    const blocked = await server.request("POST", `/api/meta/entities/lead2/trash/${phone.id}/restore`);
    expect(blocked.status).toBe(409);
    res = await server.request("PUT", "/api/meta/entities/lead2", {
      definition: { ...definition, fields: definition.fields.map((f) => (f.id === fresh.id ? { ...f, key: "phoneNumber" } : f)) },
      baseVersion: version,
    });
    expect(res.status).toBe(200);
    res = await server.request("POST", `/api/meta/entities/lead2/trash/${phone.id}/restore`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const rows = await server.sql<{ phone: string }>(`select "phone" from data."lead2" order by "name"`);
    expect(rows.map((r) => r.phone)).toEqual(["+1 555 0100", "+1 555 0101"]);
    expect((await server.request("GET", "/api/meta/entities/lead2/trash")).body.fields).toEqual([]);
  });

  it("soft-deletes an entity with its data and restores it", async () => {
    await create(entity("memo", [{ key: "text", type: "text" }]));
    await server.sql(`insert into data."memo" ("text") values ('keep me')`);
    const { version } = await current("memo");
    const removed = await server.request("DELETE", `/api/meta/entities/memo?baseVersion=${version}`);
    expect(removed.status, JSON.stringify(removed.body)).toBe(200);
    expect((await server.request("GET", "/api/meta/entities/memo")).status).toBe(404);
    const trash = await server.request("GET", "/api/meta/trash");
    expect(trash.body.entities.map((e: { id: string }) => e.id)).toContain("t-memo");
    const restored = await server.request("POST", "/api/meta/trash/t-memo/restore");
    expect(restored.status, JSON.stringify(restored.body)).toBe(200);
    expect((await server.sql<{ text: string }>(`select "text" from data."memo"`)).map((r) => r.text)).toEqual(["keep me"]);
  });

  it("refuses deleting an entity that others refer to", async () => {
    await create(entity("company", [{ key: "name", type: "text" }]));
    await create(entity("employee", [{ key: "employer", type: "relation", relation: "manyToOne", target: "company" }]));
    const res = await server.request("DELETE", "/api/meta/entities/company");
    expect(res.status).toBe(422);
    expect(res.body.issues[0].code).toBe("DEPENDENT_DEFINITION_BROKEN");
    expect(res.body.issues[0].message).toContain("employee");
  });

  it("renaming an entity's key re-points the relations that target it, with data and links intact", async () => {
    await create(entity("org", [{ key: "name", type: "text" }, { key: "parentOrg", type: "relation", relation: "manyToOne", target: "org", onDelete: "setNull" }]));
    await create(entity("member", [{ key: "org", type: "relation", relation: "manyToOne", target: "org", onDelete: "cascade" }]));
    const [org] = await server.sql<{ id: string }>(`insert into data."org" ("name") values ('Acme') returning "id"`);
    await server.sql(`insert into data."member" ("org") values ($1)`, [org!.id]);
    const { definition, version } = await current("org");
    const res = await server.request("PUT", "/api/meta/entities/org", { definition: { ...definition, key: "organisation" }, baseVersion: version });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.entity.definition.fields[1].target).toBe("organisation");
    const member = await current("member");
    expect(member.version).toBe(2);
    expect((member.definition.fields[0] as { target: string }).target).toBe("organisation");
    // The foreign key follows the table: deleting the organisation cascades to its member.
    await server.sql(`delete from data."organisation" where "id" = $1`, [org!.id]);
    expect((await server.sql<{ n: number }>(`select count(*)::int as n from data."member"`))[0]!.n).toBe(0);
  });

  it("keeps version history", async () => {
    await create(entity("doc", [{ key: "title", type: "text" }]));
    const { definition } = await current("doc");
    await server.request("PUT", "/api/meta/entities/doc", { definition: { ...definition, label: { en: "Document" } }, baseVersion: 1 });
    const history = await server.request("GET", "/api/meta/entities/doc/versions");
    expect(history.body.versions.map((v: { version: number }) => v.version)).toEqual([2, 1]);
    const v1 = await server.request("GET", "/api/meta/entities/doc?version=1");
    expect(v1.body.definition.label).toEqual({ en: "doc" });
  });
});
