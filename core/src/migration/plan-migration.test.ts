import { describe, expect, it } from "vitest";
import type { EntityDefinition, FieldDefinition } from "../definition/types.ts";
import { planMigration } from "./plan-migration.ts";
import { parkedColumns, planPurge } from "./plan-purge.ts";
import { entity, field, options, withFields } from "./test-fixtures.ts";
import type { MigrationPlan, PlanContext } from "./types.ts";

const name = field("text", { key: "name", required: true });
const amount = field("decimal", { key: "amount" });
const stage = field("select", { key: "stage", options: options("new", "won", "lost"), default: "new" });
const owner = field("relation", { key: "owner", relation: "manyToOne", target: "user" });
const tags = field("relation", { key: "tags", relation: "manyToMany", target: "tag" });
const deal = entity("deal", [name, amount, stage, owner, tags]);

const change = (...fields: Array<Partial<FieldDefinition> & { id: string }>) =>
  withFields(deal, ...fields.map((f) => ({ ...deal.fields.find((d) => d.id === f.id), ...f }) as FieldDefinition));
/** Step ids without the hash that lossy steps carry, with their class. */
const summary = (plan: MigrationPlan) => plan.steps.map((s) => `${s.id.replace(/:[0-9a-f]{8}$/, "")} ${s.class}`);

describe("planMigration", () => {
  it.each<[string, EntityDefinition | null, EntityDefinition | null, string[], PlanContext?]>([
    ["a new entity", null, deal, ["createTable:e-deal additive"]],
    ["a removed entity", deal, null, ["parkTable:e-deal lossless"]],
    ["an entity key rename", deal, { ...deal, key: "opportunity" }, ["renameTable:e-deal lossless"]],
    ["a new field", deal, { ...deal, fields: [...deal.fields, field("text", { key: "notes" })] }, ["addColumn:f-notes additive"]],
    ["a removed field", deal, { ...deal, fields: deal.fields.filter((f) => f !== amount) }, ["parkColumn:f-amount lossless"]],
    ["a removed manyToMany", deal, { ...deal, fields: deal.fields.filter((f) => f !== tags) }, ["parkJoinTable:f-tags lossless"]],
    ["a field key rename", deal, change({ id: "f-amount", key: "value" }), ["renameColumn:f-amount lossless"]],
    ["a manyToMany key rename", deal, change({ id: "f-tags", key: "labels" }), ["renameJoinTable:f-tags lossless"]],
    ["a lossless type change", deal, change({ id: "f-name", type: "longText" }), ["changeType:f-name lossless"]],
    ["a lossy type change", deal, change({ id: "f-amount", type: "integer" }), ["changeType:f-amount lossy"]],
    ["a lower maxLength", deal, change({ id: "f-name", maxLength: 5 }), ["truncateText:f-name lossy"]],
    ["a higher maxLength", withFields(deal, { ...name, maxLength: 5 } as FieldDefinition), change({ id: "f-name", maxLength: 50 }), []],
    ["a removed option", deal, change({ id: "f-stage", options: options("new", "won") }), ["changeOptions:f-stage lossy"]],
    ["an added, relabelled or recoloured option", deal, change({ id: "f-stage", options: [{ key: "new", label: { en: "Fresh" }, color: "#ff0000" }, ...options("won", "lost", "later")] }), []],
    ["a scale decrease", deal, change({ id: "f-amount", scale: 0 }), ["changePrecision:f-amount lossy"]],
    ["a precision increase", deal, change({ id: "f-amount", precision: 30 }), ["changePrecision:f-amount lossless"]],
    ["a required field", deal, change({ id: "f-amount", required: true }), ["setNotNull:f-amount lossless"]],
    ["an optional field", deal, change({ id: "f-name", required: false }), ["dropNotNull:f-name lossless"]],
    ["a new default", deal, change({ id: "f-amount", default: 0 }), ["setDefault:f-amount lossless"]],
    ["a removed default", deal, change({ id: "f-stage", default: undefined }), ["dropDefault:f-stage lossless"]],
    ["a unique field", deal, change({ id: "f-name", unique: true }), ["addUnique:f-name additive"]],
    ["an indexed field", deal, change({ id: "f-amount", indexed: true }), ["addIndex:f-amount additive"]],
    ["a changed onDelete", deal, change({ id: "f-owner", onDelete: "cascade" }), ["changeOnDelete:f-owner lossless"]],
    ["a stricter rule", deal, change({ id: "f-amount", min: 0 }), ["checkConstraint:f-amount lossless"]],
    ["a looser rule", withFields(deal, { ...amount, min: 0 } as FieldDefinition), change({ id: "f-amount", min: -10 }), []],
    ["a composite unique", deal, { ...deal, uniques: [{ id: "u1", fields: ["name", "owner"] }] }, ["addCompositeUnique:u1 additive"]],
    ["a composite index", deal, { ...deal, indexes: [{ id: "i1", fields: ["stage", "amount"] }] }, ["addCompositeIndex:i1 additive"]],
    ["a removed composite", { ...deal, uniques: [{ id: "u1", fields: ["name"] }], indexes: [{ id: "i1", fields: ["name"] }] }, deal, ["dropCompositeUnique:u1 lossless", "dropCompositeIndex:i1 lossless"]],
  ])("classifies %s", (_what, previous, next, expected, context) => {
    const plan = planMigration(previous, next, context);
    expect(plan.refusals).toEqual([]);
    expect(summary(plan)).toEqual(expected);
  });

  it("produces no step for labels, help, descriptions, icons, display field or field order", () => {
    const cosmetic: EntityDefinition = {
      ...deal,
      label: { en: "Opportunity", de: "Chance" },
      pluralLabel: { en: "Opportunities" },
      description: "Sales",
      icon: "handshake",
      displayField: "amount",
      fields: [...deal.fields].reverse().map((f) => ({ ...f, label: { en: `${f.key}!` }, help: { en: "help" }, description: "d" }) as FieldDefinition),
    };
    expect(planMigration(deal, cosmetic).steps).toEqual([]);
  });

  it("gives the same ids to the same change, and new ids to a different lossy change", () => {
    const next = change({ id: "f-name", maxLength: 5, key: "title" }, { id: "f-amount", type: "integer" });
    const first = planMigration(deal, next);
    expect(planMigration(deal, next)).toEqual(first);
    expect(new Set(first.steps.map((s) => s.id)).size).toBe(first.steps.length);
    expect(first.steps.find((s) => s.kind === "renameColumn")?.id).toBe("renameColumn:f-name");
    const lossy = first.steps.find((s) => s.kind === "truncateText")?.id;
    expect(lossy).toMatch(/^truncateText:f-name:[0-9a-f]{8}$/);
    const other = planMigration(deal, change({ id: "f-name", maxLength: 4, key: "title" }, { id: "f-amount", type: "integer" }));
    expect(other.steps.find((s) => s.kind === "truncateText")?.id).not.toBe(lossy);
  });

  it("parks a deleted field before adding a new one with the same key", () => {
    const next = { ...deal, fields: [...deal.fields.filter((f) => f !== amount), field("currency", { key: "amount", id: "f-amount-2" })] };
    const plan = planMigration(deal, next);
    expect(summary(plan)).toEqual(["parkColumn:f-amount lossless", "addColumn:f-amount-2 additive"]);
    expect(plan.steps.map((s) => s.pointer)).toEqual(["/fields/1", "/fields/4"]);
    expect(plan.steps.flatMap((s) => s.sql.map((q) => q.text))).toEqual([
      `ALTER TABLE "data"."deal" RENAME COLUMN "amount" TO "_del_f-amount"`,
      `ALTER TABLE "data"."deal" ADD COLUMN "amount" numeric(18,2), ADD COLUMN "amount_currency" char(3)`,
    ]);
  });

  it("renames before adding a field that takes the old key", () => {
    const next = { ...change({ id: "f-name", key: "title" }), fields: [...change({ id: "f-name", key: "title" }).fields, field("text", { key: "name", id: "f-name-2" })] };
    expect(summary(planMigration(deal, next))).toEqual(["renameColumn:f-name lossless", "addColumn:f-name-2 additive"]);
  });

  it("orders a chain of renames so no name is taken while in use", () => {
    const next = change({ id: "f-name", key: "title" }, { id: "f-amount", key: "name" });
    expect(summary(planMigration(deal, next))).toEqual(["renameColumn:f-name lossless", "renameColumn:f-amount lossless"]);
  });

  it("runs type changes before constraints, and indexes last", () => {
    const next = change({ id: "f-name", type: "email", unique: true, indexed: true, required: true }, { id: "f-amount", type: "integer", indexed: true });
    const previous = withFields(deal, { ...amount, indexed: true } as FieldDefinition, { ...name, unique: true } as FieldDefinition);
    expect(summary(planMigration(previous, next))).toEqual([
      "dropUnique:f-name lossless",
      "changeType:f-name lossy",
      "changeType:f-amount lossy",
      "setNotNull:f-name lossless",
      "addUnique:f-name additive",
      "addIndex:f-name additive",
    ]);
  });

  it("measures impacts on the table as it is before the change", () => {
    const next = { ...change({ id: "f-name", key: "title", type: "email", unique: true }), key: "opportunity" };
    const plan = planMigration(deal, next);
    const impacts = plan.steps.flatMap((s) => s.impacts.map((i) => [s.kind, i.sql.text, i.sql.params, i.message, i.blocksWhenNonZero ?? false]));
    expect(impacts).toEqual([
      ["changeType", `SELECT count(*)::int AS count FROM "data"."deal" WHERE "name" !~ $1`, ["^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$"], "{count} values are not a valid email and will be cleared", false],
      [
        "setNotNull",
        `SELECT count(*)::int AS count FROM "data"."deal" WHERE (CASE WHEN "name" ~ $1 THEN "name" END) IS NULL`,
        ["^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$"],
        "{count} rows are empty but the field becomes required",
        true,
      ],
      [
        "addUnique",
        `SELECT coalesce(sum(d.n), 0)::int AS count FROM (SELECT count(*) AS n FROM (SELECT (CASE WHEN "name" ~ $1 THEN "name" END) AS k0 FROM "data"."deal") AS s WHERE k0 IS NOT NULL GROUP BY k0 HAVING count(*) > 1) AS d`,
        ["^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$"],
        "{count} rows share their value with another row; make them unique first",
        true,
      ],
    ]);
    expect(plan.steps.map((s) => s.sql[0]?.text ?? "")).toEqual([
      `ALTER TABLE "data"."deal" RENAME TO "opportunity"`,
      `ALTER TABLE "data"."opportunity" RENAME COLUMN "name" TO "title"`,
      `ALTER TABLE "data"."opportunity" ALTER COLUMN "title" DROP NOT NULL`,
      `ALTER TABLE "data"."opportunity" ALTER COLUMN "title" SET NOT NULL`,
      `ALTER TABLE "data"."opportunity" ADD CONSTRAINT "uq_e-deal.f-name" UNIQUE ("title")`,
    ]);
  });

  it("describes steps with labels and keys", () => {
    const plan = planMigration(deal, change({ id: "f-amount", key: "value", type: "integer" }));
    expect(plan.steps.map((s) => s.description)).toEqual([
      `Rename "Amount" (amount) to value.`,
      `Change "Amount" (value) from decimal to integer: numbers are rounded to whole numbers.`,
    ]);
  });

  it.each<[string, Partial<FieldDefinition> & { id: string }, string, RegExp]>([
    ["text → boolean", { id: "f-name", type: "boolean" }, "/fields/0/type", /from text to boolean is not supported.*Add a new boolean field/],
    ["decimal → autoNumber", { id: "f-amount", type: "autoNumber" }, "/fields/1/type", /auto numbers are given by the platform/],
    ["select → json", { id: "f-stage", type: "json" }, "/fields/2/type", /only plain text can be turned into JSON/],
    ["relation → text", { id: "f-owner", type: "text" }, "/fields/3/type", /a relation holds links/],
    ["relation kind", { id: "f-owner", relation: "manyToMany" }, "/fields/3/relation", /from a manyToOne to a manyToMany relation/],
    ["relation target", { id: "f-owner", target: "team" }, "/fields/3/target", /instead of "user"/],
    ["multiSelect → text", { id: "f-stage", type: "multiSelect" }, "", /./],
  ])("refuses %s with a pointer", (what, changed, pointer, message) => {
    if (what === "multiSelect → text") {
      const from = withFields(deal, { ...stage, type: "multiSelect", default: undefined } as FieldDefinition);
      const plan = planMigration(from, withFields(deal, field("text", { key: "stage" })));
      expect(plan.refusals).toMatchObject([{ code: "UNSUPPORTED_TYPE_CHANGE", pointer: "/fields/2/type" }]);
      return;
    }
    const plan = planMigration(deal, change(changed));
    expect(plan.refusals).toHaveLength(1);
    expect(plan.refusals[0]).toMatchObject({ code: "UNSUPPORTED_TYPE_CHANGE", pointer });
    expect(plan.refusals[0]?.message).toMatch(message);
    expect(plan.steps.filter((s) => s.id.endsWith(changed.id))).toEqual([]);
  });

  it("keeps a relation whose target entity was renamed in the same change", () => {
    const next = change({ id: "f-owner", target: "member" });
    expect(planMigration(deal, next, { entityKeyRenames: { user: "member" } })).toMatchObject({ steps: [], refusals: [] });
  });

  it("refuses a value map to an unknown option, and a changed entity id", () => {
    const plan = planMigration(deal, change({ id: "f-stage", options: options("new", "won") }), { conversions: { "f-stage": { valueMap: { lost: "gone" } } } });
    expect(plan.refusals).toMatchObject([{ code: "INVALID_VALUE_MAP", pointer: "/fields/2/options" }]);
    expect(planMigration(deal, { ...deal, id: "other" }).refusals).toMatchObject([{ code: "ENTITY_ID_CHANGED", pointer: "/id" }]);
  });

  it("maps removed options through the value map", () => {
    const plan = planMigration(deal, change({ id: "f-stage", options: options("new", "won") }), { conversions: { "f-stage": { valueMap: { lost: "won" } } } });
    expect(plan.steps[0]?.sql[0]?.params).toEqual([JSON.stringify({ lost: "won" })]);
    expect(plan.steps[0]?.description).toBe(`Update "Stage" (stage) for removed options: "lost" → "won".`);
  });

  it("turns a select into a multiSelect, then applies removed options through the value map", () => {
    const next = change({ id: "f-stage", type: "multiSelect", options: options("new", "won"), default: undefined });
    const plan = planMigration(deal, next, { conversions: { "f-stage": { valueMap: { lost: "won" } } } });
    expect(summary(plan)).toEqual(["changeType:f-stage lossless", "changeOptions:f-stage lossy"]);
    expect(plan.steps[1]?.sql[0]?.params).toEqual([JSON.stringify({ lost: "won" })]);
  });

  it("restores a parked field by id and re-applies what changed meanwhile", () => {
    const parked = { entityId: deal.id, field: { ...amount, required: true, indexed: true } as FieldDefinition, columns: parkedColumns(amount) };
    const without = { ...deal, fields: deal.fields.filter((f) => f !== amount) };
    const next = { ...deal, fields: [...without.fields, { ...amount, key: "total", required: true, indexed: true, scale: 4 } as FieldDefinition] };
    const plan = planMigration(without, next, { parkedFields: [parked] });
    expect(summary(plan)).toEqual(["restoreColumn:f-amount lossless", "changePrecision:f-amount lossless", "setNotNull:f-amount lossless"]);
    expect(plan.steps[0]?.sql.map((s) => s.text)).toEqual([`ALTER TABLE "data"."deal" RENAME COLUMN "_del_f-amount" TO "total"`]);
    expect(plan.steps[2]?.impacts[0]?.sql.text).toBe(`SELECT count(*)::int AS count FROM "data"."deal" WHERE (round("_del_f-amount", 4)) IS NULL`);
  });

  it("plans purges as lossy drops", () => {
    const parkedEntity = { entity: deal, table: "_del_e-deal" };
    expect(summary(planPurge(parkedEntity))).toEqual(["dropTable:e-deal lossy"]);
    const parkedField = { entityId: deal.id, field: field("currency", { key: "price" }), columns: ["_del_f-price", "_del_f-price.cur"] };
    const plan = planPurge(parkedField, deal);
    expect(summary(plan)).toEqual(["dropColumn:f-price lossy"]);
    expect(plan.steps[0]?.impacts[0]?.sql.text).toBe(`SELECT count(*)::int AS count FROM "data"."deal" WHERE "_del_f-price" IS NOT NULL OR "_del_f-price.cur" IS NOT NULL`);
    expect(summary(planPurge(parkedField, parkedEntity))[0]).toBe("dropColumn:f-price lossy");
    expect(planPurge(parkedField, parkedEntity).steps[0]?.sql[0]?.text).toContain(`"data_trash"."_del_e-deal"`);
  });
});
