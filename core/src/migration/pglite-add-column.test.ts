import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { FieldDefinition } from "../definition/types.ts";
import { createTestDatabase } from "./pglite-harness.test-support.ts";
import type { TestDatabase } from "./pglite-harness.test-support.ts";
import { planMigration } from "./plan-migration.ts";
import { entity, field } from "./test-fixtures.ts";

/**
 * Adding a field of every type to a table that already holds two rows, run on PGlite: golden SQL of
 * the whole plan, and what the existing rows hold afterwards.
 */
interface AddCase {
  name: string;
  field: FieldDefinition;
  /** The value column of the two existing rows, read as text. */
  expected: Array<string | null>;
  /** Impact counts of a blocked plan, which must then fail to apply. */
  blocked?: number[];
  sql: string[];
}

const CASES: AddCase[] = [
  { name: "text", field: field("text", { key: "nick" }), expected: [null, null], sql: [
    `ALTER TABLE "data"."thing" ADD COLUMN "nick" text`,
  ] },
  { name: "required text with default", field: field("text", { key: "nick", required: true, default: "it's" }), expected: ["it's", "it's"], sql: [
    `ALTER TABLE "data"."thing" ADD COLUMN "nick" text DEFAULT 'it''s' NOT NULL`,
  ] },
  { name: "longText", field: field("longText", { key: "notes", default: "n/a" }), expected: ["n/a", "n/a"], sql: [
    `ALTER TABLE "data"."thing" ADD COLUMN "notes" text DEFAULT 'n/a'`,
  ] },
  { name: "richText", field: field("richText", { key: "body" }), expected: [null, null], sql: [
    `ALTER TABLE "data"."thing" ADD COLUMN "body" text`,
  ] },
  { name: "email", field: field("email", { key: "mail", unique: true }), expected: [null, null], sql: [
    `ALTER TABLE "data"."thing" ADD COLUMN "mail" text`,
    `ALTER TABLE "data"."thing" ADD CONSTRAINT "uq_e-thing.f-mail" UNIQUE ("mail")`,
  ] },
  { name: "phone", field: field("phone", { key: "tel", indexed: true }), expected: [null, null], sql: [
    `ALTER TABLE "data"."thing" ADD COLUMN "tel" text`,
    `CREATE INDEX "ix_e-thing.f-tel" ON "data"."thing" ("tel")`,
  ] },
  { name: "url", field: field("url", { key: "site", default: "https://example.org" }), expected: ["https://example.org", "https://example.org"], sql: [
    `ALTER TABLE "data"."thing" ADD COLUMN "site" text DEFAULT 'https://example.org'`,
  ] },
  { name: "integer", field: field("integer", { key: "qty", default: -5 }), expected: ["-5", "-5"], sql: [
    `ALTER TABLE "data"."thing" ADD COLUMN "qty" bigint DEFAULT -5`,
  ] },
  { name: "decimal", field: field("decimal", { key: "rate", precision: 9, scale: 4, default: 1.25 }), expected: ["1.2500", "1.2500"], sql: [
    `ALTER TABLE "data"."thing" ADD COLUMN "rate" numeric(9,4) DEFAULT 1.25`,
  ] },
  { name: "percent", field: field("percent", { key: "share" }), expected: [null, null], sql: [
    `ALTER TABLE "data"."thing" ADD COLUMN "share" numeric(18,2)`,
  ] },
  {
    name: "currency with default",
    field: field("currency", { key: "price", default: { amount: 9.99, currency: "EUR" }, required: true }),
    expected: ["9.99", "9.99"],
    sql: [
      `ALTER TABLE "data"."thing" ADD COLUMN "price" numeric(18,2) DEFAULT 9.99 NOT NULL, ADD COLUMN "price_currency" char(3) DEFAULT 'EUR'`,
    ],
  },
  { name: "boolean", field: field("boolean", { key: "active", required: true, default: false }), expected: ["false", "false"], sql: [
    `ALTER TABLE "data"."thing" ADD COLUMN "active" boolean DEFAULT false NOT NULL`,
  ] },
  { name: "date", field: field("date", { key: "since", default: "2024-01-31" }), expected: ["2024-01-31", "2024-01-31"], sql: [
    `ALTER TABLE "data"."thing" ADD COLUMN "since" date DEFAULT '2024-01-31'::date`,
  ] },
  { name: "datetime", field: field("datetime", { key: "seen", default: "2024-01-31T10:00:00Z" }), expected: ["2024-01-31 10:00:00+00", "2024-01-31 10:00:00+00"], sql: [
    `ALTER TABLE "data"."thing" ADD COLUMN "seen" timestamptz DEFAULT '2024-01-31T10:00:00Z'::timestamptz`,
  ] },
  { name: "select", field: field("select", { key: "stage", default: "b" }), expected: ["b", "b"], sql: [
    `ALTER TABLE "data"."thing" ADD COLUMN "stage" text DEFAULT 'b'`,
  ] },
  { name: "multiSelect", field: field("multiSelect", { key: "tagsList", default: ["a", "c"] }), expected: ["{a,c}", "{a,c}"], sql: [
    `ALTER TABLE "data"."thing" ADD COLUMN "tagsList" text[] DEFAULT ARRAY['a', 'c']::text[]`,
  ] },
  { name: "json", field: field("json", { key: "meta", default: { a: [1, "x'y"] } }), expected: ['{"a": [1, "x\'y"]}', '{"a": [1, "x\'y"]}'], sql: [
    `ALTER TABLE "data"."thing" ADD COLUMN "meta" jsonb DEFAULT '{"a":[1,"x''y"]}'::jsonb`,
  ] },
  { name: "autoNumber", field: field("autoNumber", { key: "number", prefix: "INV-", digits: 3, required: true, unique: true }), expected: ["INV-001", "INV-002"], sql: [
    `CREATE SEQUENCE "data"."seq_e-thing.f-number" AS bigint MAXVALUE 999`,
    `ALTER TABLE "data"."thing" ADD COLUMN "number" text`,
    `UPDATE "data"."thing" AS r SET "number" = $1::text || lpad(o.n::text, 3, '0') FROM (SELECT "id", row_number() OVER (ORDER BY "createdAt", "id") AS n FROM "data"."thing") AS o WHERE r."id" = o."id"`,
    `SELECT setval('"data"."seq_e-thing.f-number"'::regclass, greatest(count(*), 1), count(*) > 0) FROM "data"."thing"`,
    `ALTER SEQUENCE "data"."seq_e-thing.f-number" OWNED BY "data"."thing"."number"`,
    `ALTER TABLE "data"."thing" ALTER COLUMN "number" SET DEFAULT 'INV-' || lpad(nextval('"data"."seq_e-thing.f-number"'::regclass)::text, 3, '0'), ALTER COLUMN "number" SET NOT NULL`,
    `ALTER TABLE "data"."thing" ADD CONSTRAINT "uq_e-thing.f-number" UNIQUE ("number")`,
  ] },
  { name: "manyToOne", field: field("relation", { key: "owner", relation: "manyToOne", target: "user", onDelete: "setNull" }), expected: [null, null], sql: [
    `ALTER TABLE "data"."thing" ADD COLUMN "owner" uuid`,
    `ALTER TABLE "data"."thing" ADD CONSTRAINT "fk_f-owner" FOREIGN KEY ("owner") REFERENCES "data"."user" ("id") ON DELETE SET NULL`,
  ] },
  { name: "required without default", field: field("integer", { key: "score", required: true }), expected: [null, null], blocked: [2], sql: [
    `ALTER TABLE "data"."thing" ADD COLUMN "score" bigint`,
    `ALTER TABLE "data"."thing" ALTER COLUMN "score" SET NOT NULL`,
  ] },
];

const user = entity("user", [field("text", { key: "login" })]);
const base = entity("thing", [field("text", { key: "name" })]);

describe("addColumn on PGlite", () => {
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
    await t.apply(planMigration(null, base));
    await t.rows(`INSERT INTO "data"."thing" ("name", "createdAt") VALUES ('first', now() - interval '1 day'), ('second', now())`);
  });

  it.each(CASES)("$name", async (c) => {
    const plan = planMigration(base, { ...base, fields: [...base.fields, c.field] });
    expect(plan.steps.flatMap((s) => s.sql.map((q) => q.text))).toEqual(c.sql);
    expect(plan.steps[0]?.class).toBe("additive");
    if (c.blocked) {
      const counts = await t.measure(plan);
      expect(Object.values(counts).flat()).toEqual(c.blocked);
      expect(plan.steps.some((s) => s.impacts.some((i) => i.blocksWhenNonZero))).toBe(true);
      await expect(t.apply(plan)).rejects.toThrow(/null/);
      return;
    }
    const counts = await t.apply(plan);
    expect(Object.values(counts).flat().every((n) => n === 0)).toBe(true);
    expect(await t.column(`"data"."thing"`, `"${c.field.key}"`)).toEqual(c.expected);
  });

  it("keeps numbering after the backfill of an autoNumber", async () => {
    const number = field("autoNumber", { key: "number", prefix: "INV-", digits: 3 });
    await t.apply(planMigration(base, { ...base, fields: [...base.fields, number] }));
    await t.rows(`INSERT INTO "data"."thing" ("name") VALUES ('third')`);
    expect(await t.column(`"data"."thing"`, `"number"`)).toEqual(["INV-001", "INV-002", "INV-003"]);
  });

  it("blocks an autoNumber too narrow for the existing rows", async () => {
    const number = field("autoNumber", { key: "number", digits: 1 });
    await t.rows(`INSERT INTO "data"."thing" ("name") SELECT 'n' || g FROM generate_series(1, 10) AS g`);
    const plan = planMigration(base, { ...base, fields: [...base.fields, number] });
    expect(Object.values(await t.measure(plan)).flat()).toEqual([3]);
  });

  it("adds a manyToMany join table and a oneToMany needs nothing", async () => {
    const tags = field("relation", { key: "tags", relation: "manyToMany", target: "user" });
    const back = field("relation", { key: "things", relation: "oneToMany", target: "user", inverse: "owner" });
    const plan = planMigration(base, { ...base, fields: [...base.fields, tags, back] });
    expect(plan.steps.map((s) => s.id)).toEqual(["createJoinTable:f-tags"]);
    expect(plan.steps[0]?.sql.map((s) => s.text)).toEqual([
      [
        `CREATE TABLE "data"."thing_tags" (`,
        `  "source" uuid NOT NULL,`,
        `  "target" uuid NOT NULL,`,
        `  CONSTRAINT "jpk_e-thing.f-tags" PRIMARY KEY ("source", "target"),`,
        `  CONSTRAINT "fk_source" FOREIGN KEY ("source") REFERENCES "data"."thing" ("id") ON DELETE CASCADE,`,
        `  CONSTRAINT "fk_target" FOREIGN KEY ("target") REFERENCES "data"."user" ("id") ON DELETE CASCADE`,
        `)`,
      ].join("\n"),
      `CREATE INDEX "jix_e-thing.f-tags" ON "data"."thing_tags" ("target")`,
    ]);
    await t.apply(plan);
    await t.rows(`INSERT INTO "data"."user" ("id") VALUES ('00000000-0000-0000-0000-000000000001')`);
    await t.rows(`INSERT INTO "data"."thing_tags" SELECT "id", '00000000-0000-0000-0000-000000000001' FROM "data"."thing"`);
    await t.rows(`DELETE FROM "data"."user"`);
    expect(await t.rows(`SELECT count(*)::int AS n FROM "data"."thing_tags"`)).toEqual([{ n: 0 }]);
  });
});
