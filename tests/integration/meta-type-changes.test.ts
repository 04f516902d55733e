import { describe, expect, it } from "vitest";
import type { EntityDefinition, FieldDefinition } from "@crm/core";
import { databaseTargets } from "./support/databases.ts";
import { entity } from "./support/definitions.ts";
import { useTestServer } from "./support/test-server.ts";

type Field = Partial<FieldDefinition> & { key: string; type: FieldDefinition["type"] };

/**
 * Each case: a field, rows in it, the changed field, and what the rows must read afterwards. The
 * preview's counts for lossy steps must equal the number of rows the conversion actually changed.
 */
const cases: Array<{ name: string; from: Field; to: Partial<FieldDefinition>; rows: unknown[]; after: unknown[]; changed: number; conversions?: Record<string, unknown> }> = [
  { name: "text → longText", from: { key: "v", type: "text" }, to: { type: "longText" }, rows: ["a", null], after: ["a", null], changed: 0 },
  { name: "longText → text", from: { key: "v", type: "longText" }, to: { type: "text" }, rows: ["a"], after: ["a"], changed: 0 },
  { name: "integer → decimal", from: { key: "v", type: "integer" }, to: { type: "decimal", precision: 12, scale: 2 }, rows: [1, 42], after: ["1.00", "42.00"], changed: 0 },
  { name: "decimal → integer (rounding counted)", from: { key: "v", type: "decimal", precision: 10, scale: 2 }, to: { type: "integer" }, rows: ["1.50", "2.00", "3.25", null], after: ["2", "2", "3", null], changed: 2 },
  { name: "text → email (invalid counted)", from: { key: "v", type: "text" }, to: { type: "email" }, rows: ["ada@example.com", "not an email", "x@y"], after: ["ada@example.com", null, null], changed: 2 },
  { name: "text → integer (unparsable counted)", from: { key: "v", type: "text" }, to: { type: "integer" }, rows: ["12", "twelve", " 7 "], after: ["12", null, "7"], changed: 1 },
  { name: "select → text", from: { key: "v", type: "select", options: [{ key: "hot", label: { en: "Hot" } }] }, to: { type: "text" }, rows: ["hot"], after: ["hot"], changed: 0 },
  {
    name: "text → select with a value map (unmapped counted)",
    from: { key: "v", type: "text" },
    to: { type: "select", options: [{ key: "hot", label: { en: "Hot" } }, { key: "cold", label: { en: "Cold" } }] },
    rows: ["Hot", "hot", "Cold", "lukewarm"],
    after: ["hot", "hot", "cold", null],
    changed: 1,
    conversions: { valueMap: { Hot: "hot", Cold: "cold" } },
  },
  {
    name: "select → multiSelect",
    from: { key: "v", type: "select", options: [{ key: "a", label: { en: "A" } }] },
    to: { type: "multiSelect", options: [{ key: "a", label: { en: "A" } }] },
    rows: ["a", null],
    after: [["a"], null],
    changed: 0,
  },
  {
    name: "select option removed (holders counted)",
    from: { key: "v", type: "select", options: [{ key: "a", label: { en: "A" } }, { key: "b", label: { en: "B" } }] },
    to: { options: [{ key: "a", label: { en: "A" } }] },
    rows: ["a", "b", "b"],
    after: ["a", null, null],
    changed: 2,
  },
  { name: "date → datetime", from: { key: "v", type: "date" }, to: { type: "datetime" }, rows: ["2026-03-14"], after: ["2026-03-14T00:00:00.000Z"], changed: 0 },
];

function normalise(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString();
  if (typeof value === "string" && /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d/.test(value)) return new Date(value).toISOString();
  if (typeof value === "number" || typeof value === "bigint") return String(value);
  return value;
}

describe.each(databaseTargets)("type changes on $name", (target) => {
  const server = useTestServer(target, { seed: false });

  it.each(cases.map((c, i) => ({ ...c, i })))("$name", async ({ i, from, to, rows, after, changed, conversions }) => {
    const key = `conv${i}`;
    const created = await server.request("POST", "/api/meta/entities", { definition: entity(key, [from]) });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const definition = created.body.entity.definition as EntityDefinition;
    for (const [n, value] of rows.entries()) {
      await server.sql(`insert into data."${key}" ("v", "createdAt") values ($1, now() + make_interval(secs => $2))`, [value, n]);
    }
    const old = definition.fields[0]!;
    // A type change replaces the type-specific settings; an option change keeps the rest.
    const field = (to.type ? { id: old.id, key: old.key, label: old.label, ...to } : { ...old, ...to }) as FieldDefinition;
    const next = { ...definition, fields: [field] };
    const body = { definition: next, baseVersion: 1, ...(conversions ? { conversions: { [field.id]: conversions } } : {}) };
    const preview = await server.request("POST", `/api/meta/entities/${key}/preview`, body);
    expect(preview.status, JSON.stringify(preview.body)).toBe(200);
    const lossy = preview.body.steps.filter((s: { class: string }) => s.class === "lossy");
    const counted = lossy.flatMap((s: { impacts: Array<{ count: number }> }) => s.impacts.map((x) => x.count)).reduce((a: number, b: number) => a + b, 0);
    expect(counted).toBe(changed);
    if (changed > 0) expect(lossy.length).toBeGreaterThan(0);

    const applied = await server.request("PUT", `/api/meta/entities/${key}`, { ...body, confirm: preview.body.requiresConfirmation });
    expect(applied.status, JSON.stringify(applied.body)).toBe(200);
    const result = await server.sql<{ v: unknown }>(`select "v" from data."${key}" order by "createdAt"`);
    expect(result.map((r) => (Array.isArray(r.v) ? r.v : normalise(r.v)))).toEqual(after);
  });

  it("explains why an unsupported type change cannot be made", async () => {
    const created = await server.request("POST", "/api/meta/entities", { definition: entity("refusal", [{ key: "flag", type: "boolean" }, { key: "other", type: "text" }]) });
    const definition = created.body.entity.definition as EntityDefinition;
    const next = { ...definition, fields: [{ ...definition.fields[0]!, type: "relation", relation: "manyToOne", target: "refusal" }, definition.fields[1]!] };
    for (const method of ["POST", "PUT"] as const) {
      const path = method === "POST" ? "/api/meta/entities/refusal/preview" : "/api/meta/entities/refusal";
      const res = await server.request(method, path, { definition: next, baseVersion: 1 });
      expect(res.status).toBe(422);
      expect(res.body.issues[0]).toMatchObject({ code: "UNSUPPORTED_TYPE_CHANGE", pointer: "/definition/fields/0/type" });
    }
  });
});
