import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { FieldDefinition } from "../definition/types.ts";
import { fieldColumns } from "./field-columns.ts";
import { createTestDatabase } from "./pglite-harness.test-support.ts";
import type { TestDatabase } from "./pglite-harness.test-support.ts";
import { planMigration } from "./plan-migration.ts";
import { entity, field, withFields } from "./test-fixtures.ts";
import type { PlanContext, StepClass } from "./types.ts";

/**
 * Every supported type change, run for real on PGlite: golden SQL, class, impact counts measured
 * before the change, and the values after it (read back as text). Rows are inserted in order; a
 * currency input is written "amount|code".
 */
interface TypeCase {
  name: string;
  from: FieldDefinition;
  to: FieldDefinition;
  context?: PlanContext;
  input: Array<string | null>;
  expected: Array<string | null>;
  class: StepClass;
  impacts: number[];
  sql: string[];
  /** The currency column after the change, when the field becomes a currency. */
  currency?: Array<string | null>;
}

const v = (type: FieldDefinition["type"], extra: Partial<FieldDefinition> = {}) => field(type, { key: "v", ...extra });

const CASES: TypeCase[] = [
  { name: "text → longText", from: v("text"), to: v("longText"), input: ["a", null], expected: ["a", null], class: "lossless", impacts: [], sql: [] },
  { name: "longText → text", from: v("longText"), to: v("text"), input: ["long"], expected: ["long"], class: "lossless", impacts: [], sql: [] },
  { name: "richText → text", from: v("richText"), to: v("text"), input: ["<p>x</p>"], expected: ["<p>x</p>"], class: "lossless", impacts: [], sql: [] },
  { name: "text → richText", from: v("text"), to: v("richText"), input: ["x"], expected: ["x"], class: "lossless", impacts: [], sql: [] },
  {
    name: "text → email",
    from: v("text"),
    to: v("email"),
    input: ["a@b.co", "nope", null, "x y@b.c"],
    expected: ["a@b.co", null, null, null],
    class: "lossy",
    impacts: [2],
    sql: [
      `UPDATE "data"."thing" SET "v" = CASE WHEN "v" ~ $1 THEN "v" END WHERE "v" IS DISTINCT FROM CASE WHEN "v" ~ $1 THEN "v" END`,
    ],
  },
  {
    name: "longText → phone",
    from: v("longText"),
    to: v("phone"),
    input: ["+49 (30) 123-45", "call me", "12"],
    expected: ["+49 (30) 123-45", null, null],
    class: "lossy",
    impacts: [2],
    sql: [
      `UPDATE "data"."thing" SET "v" = CASE WHEN "v" ~ $1 THEN "v" END WHERE "v" IS DISTINCT FROM CASE WHEN "v" ~ $1 THEN "v" END`,
    ],
  },
  { name: "text → url", from: v("text"), to: v("url"), input: ["https://x.org", "ftp://x", "http://y"], expected: ["https://x.org", null, "http://y"], class: "lossy", impacts: [1], sql: [
    `UPDATE "data"."thing" SET "v" = CASE WHEN "v" ~ $1 THEN "v" END WHERE "v" IS DISTINCT FROM CASE WHEN "v" ~ $1 THEN "v" END`,
  ] },
  { name: "email → phone", from: v("email"), to: v("phone"), input: ["a@b.co", "+1 555 0100"], expected: [null, "+1 555 0100"], class: "lossy", impacts: [1], sql: [
    `UPDATE "data"."thing" SET "v" = CASE WHEN "v" ~ $1 THEN "v" END WHERE "v" IS DISTINCT FROM CASE WHEN "v" ~ $1 THEN "v" END`,
  ] },
  { name: "email → text", from: v("email"), to: v("text"), input: ["a@b.co"], expected: ["a@b.co"], class: "lossless", impacts: [], sql: [] },
  { name: "url → longText", from: v("url"), to: v("longText"), input: ["https://x.org"], expected: ["https://x.org"], class: "lossless", impacts: [], sql: [] },
  { name: "phone → text", from: v("phone"), to: v("text"), input: ["+1 555"], expected: ["+1 555"], class: "lossless", impacts: [], sql: [] },
  { name: "integer → decimal", from: v("integer"), to: v("decimal"), input: ["12", "-3", null], expected: ["12.00", "-3.00", null], class: "lossless", impacts: [0], sql: [
    `ALTER TABLE "data"."thing" ALTER COLUMN "v" TYPE numeric(18,2) USING "v"::numeric(18,2)`,
  ] },
  { name: "integer → percent (wide)", from: v("integer"), to: v("percent", { precision: 25, scale: 1 }), input: ["7"], expected: ["7.0"], class: "lossless", impacts: [], sql: [
    `ALTER TABLE "data"."thing" ALTER COLUMN "v" TYPE numeric(25,1) USING "v"::numeric(25,1)`,
  ] },
  {
    name: "decimal → integer",
    from: v("decimal"),
    to: v("integer"),
    input: ["1.50", "2.49", "3.00", "-2.50", null],
    expected: ["2", "2", "3", "-3", null],
    class: "lossy",
    impacts: [3],
    sql: [
      `ALTER TABLE "data"."thing" ALTER COLUMN "v" TYPE bigint USING round("v")::bigint`,
    ],
  },
  { name: "percent → integer", from: v("percent", { precision: 30, scale: 0 }), to: v("integer"), input: ["5"], expected: ["5"], class: "lossless", impacts: [0], sql: [
    `ALTER TABLE "data"."thing" ALTER COLUMN "v" TYPE bigint USING round("v")::bigint`,
  ] },
  { name: "decimal → percent (same storage)", from: v("decimal", { precision: 10 }), to: v("percent", { precision: 10 }), input: ["1.25"], expected: ["1.25"], class: "lossless", impacts: [], sql: [] },
  {
    name: "percent → decimal (more scale)",
    from: v("percent", { precision: 10, scale: 2 }),
    to: v("decimal", { precision: 10, scale: 3 }),
    input: ["1.25", "-99999.99"],
    expected: ["1.250", "-99999.990"],
    class: "lossless",
    impacts: [0],
    sql: [
      `ALTER TABLE "data"."thing" ALTER COLUMN "v" TYPE numeric(10,3) USING "v"::numeric(10,3)`,
    ],
  },
  {
    name: "decimal → percent (less scale)",
    from: v("decimal", { precision: 10, scale: 3 }),
    to: v("percent", { precision: 10, scale: 1 }),
    input: ["1.250", "2.000", "-0.050"],
    expected: ["1.3", "2.0", "-0.1"],
    class: "lossy",
    impacts: [2],
    sql: [
      `ALTER TABLE "data"."thing" ALTER COLUMN "v" TYPE numeric(10,1) USING "v"::numeric(10,1)`,
    ],
  },
  { name: "integer → text", from: v("integer"), to: v("text"), input: ["42", null], expected: ["42", null], class: "lossless", impacts: [], sql: [
    `ALTER TABLE "data"."thing" ALTER COLUMN "v" TYPE text USING "v"::text`,
  ] },
  { name: "decimal → text", from: v("decimal"), to: v("text"), input: ["1.50"], expected: ["1.50"], class: "lossless", impacts: [], sql: [
    `ALTER TABLE "data"."thing" ALTER COLUMN "v" TYPE text USING "v"::text`,
  ] },
  { name: "percent → longText", from: v("percent"), to: v("longText"), input: ["-0.25"], expected: ["-0.25"], class: "lossless", impacts: [], sql: [
    `ALTER TABLE "data"."thing" ALTER COLUMN "v" TYPE text USING "v"::text`,
  ] },
  {
    name: "text → integer",
    from: v("text"),
    to: v("integer"),
    input: [" 42 ", "4.5", "abc", "99999999999999999999", null, "-7", "+9223372036854775807"],
    expected: ["42", null, null, null, null, "-7", "9223372036854775807"],
    class: "lossy",
    impacts: [3],
    sql: [
      `ALTER TABLE "data"."thing" ALTER COLUMN "v" TYPE bigint USING CASE WHEN (CASE WHEN btrim("v") ~ '^[+-]?[0-9]+$' THEN btrim("v")::numeric END) BETWEEN -9223372036854775808 AND 9223372036854775807 THEN (CASE WHEN btrim("v") ~ '^[+-]?[0-9]+$' THEN btrim("v")::numeric END)::bigint END`,
    ],
  },
  {
    name: "text → decimal",
    from: v("text"),
    to: v("decimal", { precision: 6, scale: 2 }),
    input: ["1.005", "abc", "12345", "1234.5", ".5", "-3."],
    expected: ["1.01", null, null, "1234.50", "0.50", "-3.00"],
    class: "lossy",
    impacts: [2, 1],
    sql: [
      `ALTER TABLE "data"."thing" ALTER COLUMN "v" TYPE numeric(6,2) USING CASE WHEN abs(round((CASE WHEN btrim("v") ~ '^[+-]?([0-9]+[.]?[0-9]*|[.][0-9]+)$' THEN btrim("v")::numeric END), 2)) < 10000 THEN (CASE WHEN btrim("v") ~ '^[+-]?([0-9]+[.]?[0-9]*|[.][0-9]+)$' THEN btrim("v")::numeric END)::numeric(6,2) END`,
    ],
  },
  { name: "longText → percent", from: v("longText"), to: v("percent"), input: ["12.5", "x"], expected: ["12.50", null], class: "lossy", impacts: [1, 0], sql: [
    `ALTER TABLE "data"."thing" ALTER COLUMN "v" TYPE numeric(18,2) USING CASE WHEN abs(round((CASE WHEN btrim("v") ~ '^[+-]?([0-9]+[.]?[0-9]*|[.][0-9]+)$' THEN btrim("v")::numeric END), 2)) < 10000000000000000 THEN (CASE WHEN btrim("v") ~ '^[+-]?([0-9]+[.]?[0-9]*|[.][0-9]+)$' THEN btrim("v")::numeric END)::numeric(18,2) END`,
  ] },
  {
    name: "text → select (with value map)",
    from: v("text"),
    to: v("select"),
    context: { conversions: { "f-v": { valueMap: { Open: "a", gone: null } } } },
    input: ["a", "Open", "b", "zzz", "gone", null],
    expected: ["a", "a", "b", null, null, null],
    class: "lossy",
    impacts: [2],
    sql: [
      `UPDATE "data"."thing" SET "v" = $1::jsonb ->> "v" WHERE "v" IS DISTINCT FROM $1::jsonb ->> "v"`,
    ],
  },
  { name: "select → text", from: v("select"), to: v("text"), input: ["a"], expected: ["a"], class: "lossless", impacts: [], sql: [] },
  { name: "select → multiSelect", from: v("select"), to: v("multiSelect"), input: ["a", null], expected: ["{a}", null], class: "lossless", impacts: [], sql: [
    `ALTER TABLE "data"."thing" ALTER COLUMN "v" TYPE text[] USING CASE WHEN "v" IS NULL THEN NULL ELSE ARRAY["v"] END`,
  ] },
  {
    name: "multiSelect → select",
    from: v("multiSelect"),
    to: v("select"),
    input: ["{a,b}", "{c}", "{}", null],
    expected: ["a", "c", null, null],
    class: "lossy",
    impacts: [1],
    sql: [
      `ALTER TABLE "data"."thing" ALTER COLUMN "v" TYPE text USING ("v")[1]`,
    ],
  },
  { name: "boolean → text", from: v("boolean"), to: v("text"), input: ["true", "false", null], expected: ["true", "false", null], class: "lossless", impacts: [], sql: [
    `ALTER TABLE "data"."thing" ALTER COLUMN "v" TYPE text USING "v"::text`,
  ] },
  { name: "date → datetime", from: v("date"), to: v("datetime"), input: ["2024-03-01"], expected: ["2024-03-01 00:00:00+00"], class: "lossless", impacts: [], sql: [
    `ALTER TABLE "data"."thing" ALTER COLUMN "v" TYPE timestamptz USING ("v"::timestamp AT TIME ZONE 'UTC')`,
  ] },
  {
    name: "datetime → date",
    from: v("datetime"),
    to: v("date"),
    input: ["2024-03-01 00:00:00+00", "2024-03-01 13:30:00+00", "2024-02-29 23:30:00-02"],
    expected: ["2024-03-01", "2024-03-01", "2024-03-01"],
    class: "lossy",
    impacts: [2],
    sql: [
      `ALTER TABLE "data"."thing" ALTER COLUMN "v" TYPE date USING ("v" AT TIME ZONE 'UTC')::date`,
    ],
  },
  { name: "date → text", from: v("date"), to: v("text"), input: ["2024-03-01"], expected: ["2024-03-01"], class: "lossless", impacts: [], sql: [
    `ALTER TABLE "data"."thing" ALTER COLUMN "v" TYPE text USING to_char("v", 'YYYY-MM-DD')`,
  ] },
  {
    name: "datetime → text",
    from: v("datetime"),
    to: v("text"),
    input: ["2024-03-01 13:30:00.123+00", "2024-03-01 08:00:00-05"],
    expected: ["2024-03-01T13:30:00.123Z", "2024-03-01T13:00:00.000Z"],
    class: "lossless",
    impacts: [],
    sql: [
      `ALTER TABLE "data"."thing" ALTER COLUMN "v" TYPE text USING to_char("v" AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`,
    ],
  },
  { name: "json → text", from: v("json"), to: v("text"), input: ['{"a":1}', "[1, 2]"], expected: ['{"a": 1}', "[1, 2]"], class: "lossless", impacts: [], sql: [
    `ALTER TABLE "data"."thing" ALTER COLUMN "v" TYPE text USING "v"::text`,
  ] },
  { name: "text → json", from: v("text"), to: v("json"), input: ["hi", 'say "x"', null], expected: ['"hi"', '"say \\"x\\""', null], class: "lossless", impacts: [], sql: [
    `ALTER TABLE "data"."thing" ALTER COLUMN "v" TYPE jsonb USING to_jsonb("v")`,
  ] },
  {
    name: "decimal → currency",
    from: v("decimal"),
    to: v("currency", { defaultCurrency: "EUR" }),
    input: ["1.50", null],
    expected: ["1.50", null],
    currency: ["EUR", null],
    class: "lossless",
    impacts: [],
    sql: [
      `ALTER TABLE "data"."thing" DROP COLUMN IF EXISTS "_del_f-v.cur", ADD COLUMN "v_currency" char(3)`,
      `UPDATE "data"."thing" SET "v_currency" = $1 WHERE "v" IS NOT NULL`,
    ],
  },
  {
    name: "integer → currency",
    from: v("integer"),
    to: v("currency", { precision: 12, scale: 2 }),
    input: ["5"],
    expected: ["5.00"],
    currency: [null],
    class: "lossless",
    impacts: [0],
    sql: [
      `ALTER TABLE "data"."thing" ALTER COLUMN "v" TYPE numeric(12,2) USING "v"::numeric(12,2)`,
      `ALTER TABLE "data"."thing" DROP COLUMN IF EXISTS "_del_f-v.cur", ADD COLUMN "v_currency" char(3)`,
    ],
  },
  {
    name: "currency → decimal",
    from: v("currency"),
    to: v("decimal", { precision: 20, scale: 2 }),
    input: ["1.50|USD", "2.00|", null],
    expected: ["1.50", "2.00", null],
    class: "lossy",
    impacts: [1],
    sql: [
      `ALTER TABLE "data"."thing" RENAME COLUMN "v_currency" TO "_del_f-v.cur"`,
      `ALTER TABLE "data"."thing" ALTER COLUMN "v" TYPE numeric(20,2) USING "v"::numeric(20,2)`,
    ],
  },
  { name: "autoNumber → text", from: v("autoNumber", { prefix: "X-", digits: 3 }), to: v("text"), input: ["X-007"], expected: ["X-007"], class: "lossless", impacts: [], sql: [
    `ALTER TABLE "data"."thing" ALTER COLUMN "v" DROP DEFAULT`,
    `DROP SEQUENCE "data"."seq_e-thing.f-v"`,
  ] },
];

describe("type changes on PGlite", () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase();
  });
  afterAll(async () => {
    await t.db.close();
  });

  it.each(CASES)("$name", async (c) => {
    await t.reset();
    const before = entity("thing", [c.from]);
    await t.apply(planMigration(null, before));
    const columns = fieldColumns(c.from);
    for (const [i, value] of c.input.entries()) {
      const [amount, code] = value === null ? [null, null] : value.split("|");
      const values = columns.length === 2 ? [amount, code || null] : [value];
      const casts = columns.map((col, j) => `$${j + 2}::${col.sqlType}`).join(", ");
      await t.rows(`INSERT INTO "data"."thing" ("createdAt", ${columns.map((col) => `"${col.name}"`).join(", ")}) VALUES (now() + $1 * interval '1 second', ${casts})`, [i, ...values]);
    }
    const plan = planMigration(before, withFields(before, c.to), c.context);
    expect(plan.refusals).toEqual([]);
    const step = plan.steps.find((s) => s.kind === "changeType");
    expect(step?.sql.map((s) => s.text)).toEqual(c.sql);
    expect(step?.class).toBe(c.class);
    const counts = await t.apply(plan);
    expect(counts[step?.id ?? ""]).toEqual(c.impacts);
    expect(await t.column(`"data"."thing"`, `"v"`)).toEqual(c.expected);
    if (c.currency) expect(await t.column(`"data"."thing"`, `"v_currency"`)).toEqual(c.currency);
  });
});
