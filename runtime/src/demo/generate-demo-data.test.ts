import { describe, expect, it } from "vitest";
import type { EntityDefinition, FieldDefinition } from "@crm/core";
// Not yet exported from @crm/core's entry point; switch to `from "@crm/core"` once they are.
import { compileRecordValidator } from "@crm/core";
import { DEMO_COUNTS, DEMO_LOAD_ORDER, generateDemoData, type DemoData } from "./generate-demo-data.ts";
import { loadShippedCrm } from "../shipped-crm.ts";

const definitions = loadShippedCrm();
const byKey = new Map(definitions.map((d) => [d.key, d]));
const data = generateDemoData();
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

function definitionOf(entity: string): EntityDefinition {
  const def = byKey.get(entity);
  if (!def) throw new Error(`no shipped definition for ${entity}`);
  return def;
}

function* fieldValues(demo: DemoData): Generator<[EntityDefinition, FieldDefinition, Record<string, unknown>]> {
  for (const { entity, records } of demo) {
    const def = definitionOf(entity);
    for (const record of records) for (const field of def.fields) yield [def, field, record];
  }
}

describe("generateDemoData", () => {
  it("is deterministic for a seed and differs across seeds", () => {
    expect(generateDemoData()).toEqual(data);
    expect(generateDemoData({ seed: 2 })).not.toEqual(data);
  });

  it("generates the documented counts, in the shipped load order", () => {
    expect(data.map((d) => d.entity)).toEqual([...DEMO_LOAD_ORDER]);
    expect(definitions.map((d) => d.key)).toEqual([...DEMO_LOAD_ORDER]);
    for (const { entity, records } of data) expect(records.length, entity).toBe(DEMO_COUNTS[entity as keyof typeof DEMO_COUNTS]);
    const small = generateDemoData({ scale: 0.05 });
    for (const { entity, records } of small) expect(records.length, entity).toBeGreaterThan(0);
  });

  it("dates everything relative to the base date", () => {
    const later = generateDemoData({ baseDate: "2027-01-01T00:00:00Z" });
    const dueDates = later.find((d) => d.entity === "activity")!.records.map((r) => String(r.dueAt));
    expect(dueDates.every((d) => d >= "2026-08")).toBe(true);
  });

  it("gives every record a unique uuid and only writable fields of its definition", () => {
    const ids = new Set<string>();
    for (const { entity, records } of data) {
      const writable = new Set(
        definitionOf(entity).fields
          .filter((f) => f.type !== "autoNumber" && !(f.type === "relation" && f.relation === "oneToMany"))
          .map((f) => f.key),
      );
      for (const record of records) {
        expect(record.id).toMatch(UUID);
        ids.add(record.id);
        for (const key of Object.keys(record)) if (key !== "id") expect(writable.has(key), `${entity}.${key}`).toBe(true);
      }
    }
    expect(ids.size).toBe(data.reduce((n, d) => n + d.records.length, 0));
  });

  it("references only generated records of the target entity, generated earlier", () => {
    const seen = new Map<string, Set<string>>();
    for (const { entity, records } of data) {
      const def = definitionOf(entity);
      for (const record of records) {
        for (const field of def.fields) {
          if (field.type !== "relation" || field.relation === "oneToMany" || record[field.key] === undefined) continue;
          const targets = seen.get(field.target) ?? new Set();
          const ids = field.relation === "manyToOne" ? [record[field.key]] : (record[field.key] as unknown[]);
          for (const id of ids) expect(targets.has(id as string), `${entity}.${field.key}`).toBe(true);
        }
      }
      seen.set(entity, new Set(records.map((r) => r.id)));
    }
  });

  it("uses option keys, fills required fields and respects lengths and bounds", () => {
    for (const [def, field, record] of fieldValues(data)) {
      const value = record[field.key];
      const where = `${def.key}.${field.key}`;
      const hasDefault = "default" in field && field.default !== undefined;
      if (field.required && !hasDefault && field.type !== "autoNumber") expect(value, where).not.toBeUndefined();
      if (value === undefined) continue;
      if (field.type === "select") expect(field.options.map((o) => o.key), where).toContain(value);
      if (field.type === "multiSelect") for (const v of value as unknown[]) expect(field.options.map((o) => o.key), where).toContain(v);
      if ("maxLength" in field && field.maxLength !== undefined) expect((value as string).length, where).toBeLessThanOrEqual(field.maxLength);
      if (field.type === "currency") expect(value, where).toEqual({ amount: expect.any(Number), currency: "USD" });
      if (field.type === "date") expect(value, where).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      if (field.type === "datetime") expect(new Date(value as string).toISOString(), where).toBe(value);
      const amount = field.type === "currency" ? (value as { amount: number }).amount : value;
      if ("min" in field && typeof field.min === "number") expect(amount, where).toBeGreaterThanOrEqual(field.min);
      if ("max" in field && typeof field.max === "number") expect(amount, where).toBeLessThanOrEqual(field.max);
    }
  });

  it("respects unique fields and composite uniques", () => {
    for (const { entity, records } of data) {
      const def = definitionOf(entity);
      const constraints = [
        ...def.fields.filter((f) => f.unique).map((f) => [f.key]),
        ...(def.uniques ?? []).map((u) => u.fields),
      ];
      for (const fields of constraints) {
        // As in PostgreSQL, a tuple with a null never conflicts.
        const tuples = records.filter((r) => fields.every((f) => r[f] != null)).map((r) => JSON.stringify(fields.map((f) => r[f])));
        expect(new Set(tuples).size, `${entity} unique ${fields.join("+")}`).toBe(tuples.length);
      }
    }
  });

  it("keeps the pipeline consistent: probability by stage, closed deals closed, accounts in the pool idle", () => {
    const opportunities = data.find((d) => d.entity === "opportunity")!.records;
    for (const o of opportunities) {
      if (o.stage === "closed_won") expect(o.probability).toBe(100);
      if (o.stage === "closed_lost") expect([o.probability, typeof o.lossReason]).toEqual([0, "string"]);
      expect(typeof o.closedAt === "string").toBe(o.stage === "closed_won" || o.stage === "closed_lost");
    }
    const accounts = data.find((d) => d.entity === "account")!.records;
    const pool = accounts.filter((a) => a.status === "public_pool");
    expect(pool.length).toBeGreaterThan(0);
    for (const a of pool) expect(String(a.lastFollowUpAt) < "2025-12-02", "idle for over 30 days").toBe(true);
  });

  it("passes the API's record validation for creates (the pre-assigned id aside)", () => {
    const failures: unknown[] = [];
    for (const { entity, records } of data) {
      const check = compileRecordValidator(definitionOf(entity), "create");
      for (const { id, ...fields } of records) {
        const result = check(fields);
        if (!result.ok) failures.push({ entity, id, issues: result.issues });
      }
    }
    expect(failures.slice(0, 5)).toEqual([]);
  });
});
