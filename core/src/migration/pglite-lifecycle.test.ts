import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { EntityDefinition, FieldDefinition } from "../definition/types.ts";
import { createTestDatabase } from "./pglite-harness.test-support.ts";
import type { TestDatabase } from "./pglite-harness.test-support.ts";
import { planMigration } from "./plan-migration.ts";
import { parkedColumns, planPurge } from "./plan-purge.ts";
import { entity, field, options, withFields } from "./test-fixtures.ts";
import { parkedTableName } from "./table-ref.ts";
import type { MigrationPlan } from "./types.ts";

/** Whole changes run on PGlite: renames, park and restore, purge, and the column rules. */

const user = entity("user", [field("text", { key: "login" })]);
const U1 = "00000000-0000-0000-0000-000000000001";
const ids = (plan: MigrationPlan) => plan.steps.map((s) => s.id.replace(/:[0-9a-f]{8}$/, ""));
const impacts = (counts: Record<string, number[]>) => Object.fromEntries(Object.entries(counts).map(([id, n]) => [id.replace(/:[0-9a-f]{8}$/, ""), n]));

describe("migration lifecycle on PGlite", () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase();
  });
  afterAll(async () => {
    await t.db.close();
  });
  beforeEach(async () => {
    await t.reset();
    await t.apply(planMigration(null, user));
    await t.rows(`INSERT INTO "data"."user" ("id", "login") VALUES ($1, 'ada')`, [U1]);
  });

  async function create(def: EntityDefinition, rows: string[] = []) {
    await t.apply(planMigration(null, def));
    for (const row of rows) await t.rows(`INSERT INTO ${`"data"."${def.key}"`} ${row}`);
  }

  it("creates a table with every field type and stores a record", async () => {
    const all = entity(
      "everything",
      [
        field("text", { key: "name", required: true, unique: true, maxLength: 20 }),
        field("longText", { key: "notes" }),
        field("richText", { key: "body" }),
        field("email", { key: "mail", indexed: true }),
        field("phone", { key: "tel" }),
        field("url", { key: "site" }),
        field("integer", { key: "qty", default: 1, required: true }),
        field("decimal", { key: "rate", precision: 8, scale: 3 }),
        field("percent", { key: "share" }),
        field("currency", { key: "price", defaultCurrency: "EUR", default: { amount: 1, currency: "EUR" } }),
        field("boolean", { key: "active", default: true }),
        field("date", { key: "since", default: "now" }),
        field("datetime", { key: "seen", default: "now" }),
        field("select", { key: "stage", default: "a" }),
        field("multiSelect", { key: "labels", default: [] }),
        field("relation", { key: "owner", relation: "manyToOne", target: "user", onDelete: "cascade" }),
        field("relation", { key: "parent", relation: "manyToOne", target: "everything" }),
        field("relation", { key: "watchers", relation: "manyToMany", target: "user" }),
        field("relation", { key: "children", relation: "oneToMany", target: "everything", inverse: "parent" }),
        field("autoNumber", { key: "number", prefix: "E-", digits: 4 }),
        field("json", { key: "meta", default: { a: 1 } }),
      ],
      { uniques: [{ id: "u-name-stage", fields: ["name", "stage"] }], indexes: [{ id: "i-stage", fields: ["stage", "since"] }] },
    );
    await create(all, [`("name", "owner") VALUES ('x', '${U1}')`, `("name") VALUES ('y')`]);
    const row = await t.rows(`SELECT "number", "qty"::int, "price_currency", "labels", "meta", "stage", "since" = CURRENT_DATE AS today FROM "data"."everything" ORDER BY "number"`);
    expect(row).toEqual([
      { number: "E-0001", qty: 1, price_currency: "EUR", labels: [], meta: { a: 1 }, stage: "a", today: true },
      { number: "E-0002", qty: 1, price_currency: "EUR", labels: [], meta: { a: 1 }, stage: "a", today: true },
    ]);
    await t.rows(`DELETE FROM "data"."user"`);
    expect(await t.column(`"data"."everything"`, `"name"`)).toEqual(["y"]);
  });

  it("renames an entity, its join tables, and swaps two keys through temporary names", async () => {
    const before = entity("account", [
      field("text", { key: "first" }),
      field("text", { key: "second" }),
      field("relation", { key: "tags", relation: "manyToMany", target: "user" }),
    ]);
    await create(before, [`("first", "second") VALUES ('1', '2')`]);
    await t.rows(`INSERT INTO "data"."account_tags" SELECT "id", $1 FROM "data"."account"`, [U1]);
    const after: EntityDefinition = {
      ...before,
      key: "client",
      fields: [
        { ...before.fields[0], key: "second" } as FieldDefinition,
        { ...before.fields[1], key: "first" } as FieldDefinition,
        { ...before.fields[2], key: "labels" } as FieldDefinition,
      ],
    };
    const plan = planMigration(before, after);
    expect(ids(plan)).toEqual([
      "renameTable:e-account",
      "renameColumn:f-first:aside",
      "renameColumn:f-second:aside",
      "renameJoinTable:f-tags",
      "renameColumn:f-first",
      "renameColumn:f-second",
    ]);
    expect(plan.steps.every((s) => s.class === "lossless")).toBe(true);
    await t.apply(plan);
    expect(await t.rows(`SELECT "first", "second" FROM "data"."client"`)).toEqual([{ first: "2", second: "1" }]);
    expect(await t.rows(`SELECT count(*)::int AS n FROM "data"."client_labels"`)).toEqual([{ n: 1 }]);
  });

  it("parks a deleted field, reuses its key for a new field, then restores it with a type change", async () => {
    const code = field("integer", { key: "code", required: true, unique: true });
    const before = entity("item", [field("text", { key: "name" }), code]);
    await create(before, [`("name", "code") VALUES ('a', 7)`, `("name", "code") VALUES ('b', 8)`]);
    const fresh = field("text", { key: "code", id: "f-code-2" });
    const middle = { ...before, fields: [before.fields[0] as FieldDefinition, fresh] };
    const plan = planMigration(before, middle);
    expect(ids(plan)).toEqual(["parkColumn:f-code", "addColumn:f-code-2"]);
    expect(plan.steps[0]?.sql.map((s) => s.text)).toEqual([
      `ALTER TABLE "data"."item" RENAME COLUMN "code" TO "_del_f-code"`,
      `ALTER TABLE "data"."item" ALTER COLUMN "_del_f-code" DROP NOT NULL`,
    ]);
    await t.apply(plan);
    await t.rows(`INSERT INTO "data"."item" ("name") VALUES ('c')`);
    expect(await t.column(`"data"."item"`, `"_del_f-code"`, `"name"`)).toEqual(["7", "8", null]);

    const restored = { ...code, key: "legacy", type: "text", required: false } as FieldDefinition;
    const after = { ...middle, fields: [...middle.fields, restored] };
    const parked = { entityId: before.id, field: code, columns: parkedColumns(code) };
    const restore = planMigration(middle, after, { parkedFields: [parked] });
    expect(ids(restore)).toEqual(["dropUnique:f-code", "restoreColumn:f-code", "changeType:f-code", "addUnique:f-code"]);
    await t.apply(restore);
    expect(await t.column(`"data"."item"`, `"legacy"`, `"name"`)).toEqual(["7", "8", null]);
  });

  it("parks a required manyToOne so new records save and deleting its target is no longer blocked", async () => {
    const owner = field("relation", { key: "owner", relation: "manyToOne", target: "user", required: true });
    const before = entity("deal", [field("text", { key: "name" }), owner]);
    await create(before, [`("name", "owner") VALUES ('a', '${U1}')`]);
    const after = { ...before, fields: [before.fields[0] as FieldDefinition] };
    const plan = planMigration(before, after);
    expect(plan.steps[0]?.sql.map((s) => s.text)).toEqual([
      `ALTER TABLE "data"."deal" RENAME COLUMN "owner" TO "_del_f-owner"`,
      `ALTER TABLE "data"."deal" ALTER COLUMN "_del_f-owner" DROP NOT NULL`,
      `ALTER TABLE "data"."deal" DROP CONSTRAINT "fk_f-owner", ADD CONSTRAINT "fk_f-owner" FOREIGN KEY ("_del_f-owner") REFERENCES "data"."user" ("id") ON DELETE SET NULL`,
    ]);
    await t.apply(plan);
    await t.rows(`INSERT INTO "data"."deal" ("name") VALUES ('b')`);
    await t.rows(`DELETE FROM "data"."user"`);
    expect(await t.column(`"data"."deal"`, `"_del_f-owner"`)).toEqual([null, null]);

    const back = planMigration(after, before, { parkedFields: [{ entityId: before.id, field: owner, columns: parkedColumns(owner) }] });
    expect(ids(back)).toEqual(["restoreColumn:f-owner", "changeOnDelete:f-owner", "setNotNull:f-owner"]);
    expect(impacts(await t.measure(back))).toEqual({ "restoreColumn:f-owner": [], "changeOnDelete:f-owner": [], "setNotNull:f-owner": [2] });
  });

  it("parks an entity with its join tables, restores it under a new key, then purges", async () => {
    const before = entity("project", [
      field("text", { key: "name", unique: true }),
      field("relation", { key: "members", relation: "manyToMany", target: "user" }),
      field("autoNumber", { key: "number", prefix: "P" }),
    ]);
    await create(before, [`("name") VALUES ('p1')`, `("name") VALUES ('p2')`]);
    await t.rows(`INSERT INTO "data"."project_members" SELECT "id", $1 FROM "data"."project"`, [U1]);
    const park = planMigration(before, null);
    expect(park.steps.map((s) => [s.id, s.class])).toEqual([["parkTable:e-project", "lossless"]]);
    expect(park.steps[0]?.sql.map((s) => s.text)).toEqual([
      `ALTER TABLE "data"."project_members" RENAME TO "_del_e-project.f-members"`,
      `ALTER TABLE "data"."_del_e-project.f-members" SET SCHEMA "data_trash"`,
      `ALTER TABLE "data"."project" RENAME TO "_del_e-project"`,
      `ALTER TABLE "data"."_del_e-project" SET SCHEMA "data_trash"`,
    ]);
    await t.apply(park);
    // The key is free again at once.
    await t.apply(planMigration(null, { ...before, id: "e-other", fields: [] }));
    await t.apply(planMigration({ ...before, id: "e-other", fields: [] }, null));

    const parked = { entity: before, table: parkedTableName(before) };
    const after = { ...before, key: "initiative", fields: [{ ...before.fields[0], key: "title" } as FieldDefinition, ...before.fields.slice(1)] };
    const restore = planMigration(null, after, { parkedEntities: [parked] });
    expect(ids(restore)).toEqual(["restoreTable:e-project", "renameColumn:f-name"]);
    expect(restore.steps[0]?.sql.map((s) => s.text)).toEqual([
      `ALTER TABLE "data_trash"."_del_e-project" SET SCHEMA "data"`,
      `ALTER TABLE "data"."_del_e-project" RENAME TO "initiative"`,
      `ALTER TABLE "data_trash"."_del_e-project.f-members" SET SCHEMA "data"`,
      `ALTER TABLE "data"."_del_e-project.f-members" RENAME TO "initiative_members"`,
    ]);
    await t.apply(restore);
    // The sequence, the unique constraint and the index names moved with the table and back.
    await t.rows(`INSERT INTO "data"."initiative" ("title") VALUES ('p3')`);
    await expect(t.rows(`INSERT INTO "data"."initiative" ("title") VALUES ('p3')`)).rejects.toThrow(/uq_e-project.f-name/);
    expect(await t.column(`"data"."initiative"`, `"number"`, `"title"`)).toEqual(["P000001", "P000002", "P000003"]);
    expect(await t.rows(`SELECT count(*)::int AS n FROM "data"."initiative_members"`)).toEqual([{ n: 2 }]);

    await t.apply(planMigration(after, null));
    const purge = planPurge({ entity: after, table: parkedTableName(after) });
    expect(purge.steps.map((s) => [s.id.replace(/:[0-9a-f]{8}$/, ""), s.class])).toEqual([["dropTable:e-project", "lossy"]]);
    expect(await t.measure(purge)).toEqual({ [purge.steps[0]?.id ?? ""]: [3] });
    await t.apply(purge);
    expect(await t.rows(`SELECT tablename FROM pg_tables WHERE schemaname = 'data_trash'`)).toEqual([{ tablename: "_del_e-other" }]);
  });

  it("purges a parked field, including a manyToMany's links", async () => {
    const price = field("decimal", { key: "price" });
    const tags = field("relation", { key: "tags", relation: "manyToMany", target: "user" });
    const before = entity("offer", [field("text", { key: "name" }), price, tags]);
    await create(before, [`("name", "price") VALUES ('a', 1), ('b', NULL)`]);
    await t.rows(`INSERT INTO "data"."offer_tags" SELECT "id", $1 FROM "data"."offer"`, [U1]);
    const after = { ...before, fields: [before.fields[0] as FieldDefinition] };
    await t.apply(planMigration(before, after));
    const purgePrice = planPurge({ entityId: before.id, field: price, columns: parkedColumns(price) }, after);
    expect(purgePrice.steps[0]?.sql.map((s) => s.text)).toEqual([`ALTER TABLE "data"."offer" DROP COLUMN "_del_f-price", DROP COLUMN IF EXISTS "_del_f-price.cur"`]);
    expect(Object.values(await t.apply(purgePrice))).toEqual([[1]]);
    const purgeTags = planPurge({ entityId: before.id, field: tags, columns: [] }, after);
    expect(Object.values(await t.apply(purgeTags))).toEqual([[2]]);
    expect(await t.rows(`SELECT count(*)::int AS n FROM pg_tables WHERE schemaname = 'data_trash'`)).toEqual([{ n: 0 }]);
  });

  it("clears or re-keys removed options of select and multiSelect fields", async () => {
    const stage = field("select", { key: "stage", required: true, options: options("new", "won", "lost") });
    const labels = field("multiSelect", { key: "labels", options: options("x", "y", "z") });
    const before = entity("lead", [stage, labels]);
    await create(before, [
      `("stage", "labels") VALUES ('new', '{x,y}')`,
      `("stage", "labels") VALUES ('won', '{y,z}')`,
      `("stage", "labels") VALUES ('lost', '{z}')`,
    ]);
    const after = withFields(before, { ...stage, options: options("new", "won") } as FieldDefinition, { ...labels, options: options("x", "z") } as FieldDefinition);
    const plan = planMigration(before, after, { conversions: { "f-labels": { valueMap: { y: "x" } } } });
    expect(ids(plan)).toEqual(["changeOptions:f-stage", "changeOptions:f-labels", "setNotNull:f-stage"]);
    expect(plan.steps.map((s) => s.class)).toEqual(["lossy", "lossy", "lossless"]);
    expect(impacts(await t.measure(plan))).toEqual({ "changeOptions:f-stage": [1], "changeOptions:f-labels": [2], "setNotNull:f-stage": [1] });
    await expect(t.apply(plan)).rejects.toThrow(/null/);
    const relaxed = withFields(after, { ...stage, required: false, options: options("new", "won") } as FieldDefinition);
    const applied = await t.apply(planMigration(before, relaxed, { conversions: { "f-labels": { valueMap: { y: "x" } } } }));
    expect(Object.values(applied).flat()).toEqual([1, 2]);
    expect(await t.column(`"data"."lead"`, `"stage"`, `"stage"`)).toEqual(["new", "won", null]);
    expect(await t.column(`"data"."lead"`, `"labels"`, `"labels"`)).toEqual(["{x}", "{x,z}", "{z}"]);
  });

  it("truncates texts, fills empty rows with the default and blocks NOT NULL without one", async () => {
    const name = field("text", { key: "name", maxLength: 10 });
    const code = field("text", { key: "code" });
    const before = entity("note", [name, code]);
    await create(before, [`("name", "code") VALUES ('abcdefghij', 'x')`, `("name", "code") VALUES ('abc', NULL)`, `("name") VALUES (NULL)`]);
    const filled = withFields(before, { ...name, maxLength: 4, required: true, default: "none" } as FieldDefinition);
    const plan = planMigration(before, filled);
    expect(ids(plan)).toEqual(["truncateText:f-name", "setDefault:f-name", "setNotNull:f-name"]);
    expect(plan.steps.map((s) => s.sql.map((q) => q.text))).toEqual([
      [`UPDATE "data"."note" SET "name" = left("name", $1) WHERE char_length("name") > $1`],
      [`ALTER TABLE "data"."note" ALTER COLUMN "name" SET DEFAULT 'none'`],
      [`UPDATE "data"."note" SET "name" = DEFAULT WHERE "name" IS NULL`, `ALTER TABLE "data"."note" ALTER COLUMN "name" SET NOT NULL`],
    ]);
    expect(plan.steps[2]?.impacts[0]?.blocksWhenNonZero).toBeUndefined();
    expect(impacts(await t.apply(plan))).toEqual({ "truncateText:f-name": [1], "setDefault:f-name": [], "setNotNull:f-name": [1] });
    expect(await t.column(`"data"."note"`, `"name"`, `"name"`)).toEqual(["abc", "abcd", "none"]);

    const strict = withFields(filled, { ...code, required: true } as FieldDefinition);
    const blocked = planMigration(filled, strict);
    expect(blocked.steps[0]?.impacts[0]).toMatchObject({ message: "{count} rows are empty but the field becomes required", blocksWhenNonZero: true });
    expect(Object.values(await t.measure(blocked))).toEqual([[2]]);
    const optional = planMigration(filled, withFields(filled, { ...name, maxLength: 4, default: "none" } as FieldDefinition));
    expect(optional.steps.map((s) => s.sql[0]?.text)).toEqual([`ALTER TABLE "data"."note" ALTER COLUMN "name" DROP NOT NULL`]);
  });

  it("measures later steps on the converted values", async () => {
    const mail = field("text", { key: "mail" });
    const before = entity("contact", [mail]);
    await create(before, [`("mail") VALUES ('a@b.co'), ('a@b.co'), ('bad'), (NULL), ('c@d.io')`]);
    const plan = planMigration(before, withFields(before, { ...mail, type: "email", required: true, unique: true } as FieldDefinition));
    expect(impacts(await t.measure(plan))).toEqual({ "changeType:f-mail": [1], "setNotNull:f-mail": [2], "addUnique:f-mail": [2] });
    await t.rows(`DELETE FROM "data"."contact" WHERE "mail" IS NULL OR "mail" = 'bad' OR "mail" = 'a@b.co'`);
    expect(Object.values(await t.apply(plan)).flat()).toEqual([0, 0, 0]);
  });

  it("counts duplicates before adding unique constraints, single and composite", async () => {
    const a = field("text", { key: "a" });
    const b = field("integer", { key: "b" });
    const before = entity("pair", [a, b]);
    await create(before, [`("a", "b") VALUES ('x', 1), ('x', 2), ('x', 2), ('y', NULL), ('y', NULL)`]);
    const after = {
      ...withFields(before, { ...a, unique: true } as FieldDefinition, { ...b, indexed: true } as FieldDefinition),
      uniques: [{ id: "u-ab", fields: ["a", "b"] }],
      indexes: [{ id: "i-ba", fields: ["b", "a"] }],
    };
    const plan = planMigration(before, after);
    expect(ids(plan)).toEqual(["addUnique:f-a", "addCompositeUnique:u-ab", "addIndex:f-b", "addCompositeIndex:i-ba"]);
    expect(impacts(await t.measure(plan))).toEqual({ "addUnique:f-a": [5], "addCompositeUnique:u-ab": [2], "addIndex:f-b": [], "addCompositeIndex:i-ba": [] });
    await t.rows(`DELETE FROM "data"."pair"`);
    await t.apply(plan);
    const back = planMigration(after, before);
    expect(ids(back)).toEqual(["dropUnique:f-a", "dropIndex:f-b", "dropCompositeUnique:u-ab", "dropCompositeIndex:i-ba"]);
    await t.apply(back);
    expect(await t.rows(`SELECT count(*)::int AS n FROM pg_indexes WHERE schemaname = 'data' AND tablename = 'pair'`)).toEqual([{ n: 3 }]); // the primary key, the owner and the createdAt indexes
  });

  it("changes ON DELETE, precision, defaults, auto numbering and counts rows breaking stricter rules", async () => {
    const owner = field("relation", { key: "owner", relation: "manyToOne", target: "user" });
    const amount = field("decimal", { key: "amount", precision: 10, scale: 3, min: 0 });
    const number = field("autoNumber", { key: "number", prefix: "A", digits: 4 });
    const before = entity("order", [owner, amount, number]);
    await create(before, [`("owner", "amount") VALUES ('${U1}', 1.234), ('${U1}', 5), (NULL, 12345.678)`]);
    const after = withFields(
      before,
      { ...owner, onDelete: "cascade" } as FieldDefinition,
      { ...amount, precision: 5, scale: 1, min: 2, default: 3 } as FieldDefinition,
      { ...number, prefix: "B-", digits: 6 } as FieldDefinition,
    );
    const plan = planMigration(before, after);
    expect(ids(plan)).toEqual(["changePrecision:f-amount", "changeOnDelete:f-owner", "setDefault:f-amount", "setDefault:f-number", "checkConstraint:f-amount"]);
    expect(impacts(await t.measure(plan))).toEqual({
      "changePrecision:f-amount": [2, 1],
      "changeOnDelete:f-owner": [],
      "setDefault:f-amount": [],
      "setDefault:f-number": [],
      "checkConstraint:f-amount": [1],
    });
    await expect(t.apply(plan)).rejects.toThrow(/overflow/);
    await t.rows(`DELETE FROM "data"."order" WHERE "amount" > 1000`);
    await t.apply(plan);
    await t.rows(`INSERT INTO "data"."order" ("owner") VALUES (NULL)`);
    expect(await t.column(`"data"."order"`, `"amount"`, `"amount"`)).toEqual(["1.2", "3.0", "5.0"]);
    expect(await t.column(`"data"."order"`, `"number"`, `"number"`)).toEqual(["A0001", "A0002", "B-000004"]);
    await t.rows(`DELETE FROM "data"."user"`);
    expect(await t.column(`"data"."order"`, `"number"`)).toEqual(["B-000004"]);

    const narrower = planMigration(after, withFields(after, { ...number, prefix: "B-", digits: 1 } as FieldDefinition));
    expect(impacts(await t.measure(narrower))).toEqual({ "setDefault:f-number": [0] });
    await t.rows(`INSERT INTO "data"."order" DEFAULT VALUES`);
    await t.rows(`SELECT setval('"data"."seq_e-order.f-number"', 10)`);
    expect(impacts(await t.measure(narrower))).toEqual({ "setDefault:f-number": [1] });
    await expect(t.apply(narrower)).rejects.toThrow();
  });
});
