import { describe, expect, it } from "vitest";
import { renderStep } from "./render-step.ts";
import { sql } from "./sql.ts";
import type { StepKind, StepSpec } from "./step-spec.ts";
import { entity, field } from "./test-fixtures.ts";
import type { SqlStatement } from "./types.ts";

const T = { schema: "data", name: "deal" };

/**
 * Golden SQL for every step kind (the mapped type makes a missing kind a type error). Statements
 * without parameters are written as their text. The same SQL runs for real in the pglite-*.test.ts suites.
 */
const GOLDEN: { [K in StepKind]: [StepSpec & { kind: K }, Array<string | SqlStatement>] } = {
  createTable: [
    { kind: "createTable", table: T, entity: entity("deal", [field("text", { key: "name", required: true, unique: true }), field("autoNumber", { key: "number", prefix: "D-" }), field("relation", { key: "account", relation: "manyToOne", target: "account" }), field("relation", { key: "tags", relation: "manyToMany", target: "tag" })], { uniques: [{ id: "u1", fields: ["name", "account"] }], indexes: [{ id: "i1", fields: ["account"] }] }) },
    [
      `CREATE SEQUENCE "data"."seq_e-deal.f-number" AS bigint MAXVALUE 999999`,
      `CREATE TABLE "data"."deal" (
  "id" uuid NOT NULL DEFAULT gen_random_uuid(),
  "createdAt" timestamptz NOT NULL DEFAULT now(),
  "updatedAt" timestamptz NOT NULL DEFAULT now(),
  "createdBy" uuid,
  "updatedBy" uuid,
  "version" integer NOT NULL DEFAULT 1,
  "ownerId" uuid,
  "name" text NOT NULL,
  "number" text DEFAULT 'D-' || lpad(nextval('"data"."seq_e-deal.f-number"'::regclass)::text, 6, '0'),
  "account" uuid,
  CONSTRAINT "pk_e-deal" PRIMARY KEY ("id")
)`,
      `ALTER SEQUENCE "data"."seq_e-deal.f-number" OWNED BY "data"."deal"."number"`,
      `CREATE INDEX "own_e-deal" ON "data"."deal" ("ownerId")`,
      `CREATE INDEX "cre_e-deal" ON "data"."deal" ("createdAt")`,
      `ALTER TABLE "data"."deal" ADD CONSTRAINT "fk_f-account" FOREIGN KEY ("account") REFERENCES "data"."account" ("id") ON DELETE RESTRICT`,
      `ALTER TABLE "data"."deal" ADD CONSTRAINT "uq_e-deal.f-name" UNIQUE ("name")`,
      `CREATE TABLE "data"."deal_tags" (
  "source" uuid NOT NULL,
  "target" uuid NOT NULL,
  CONSTRAINT "jpk_e-deal.f-tags" PRIMARY KEY ("source", "target"),
  CONSTRAINT "fk_source" FOREIGN KEY ("source") REFERENCES "data"."deal" ("id") ON DELETE CASCADE,
  CONSTRAINT "fk_target" FOREIGN KEY ("target") REFERENCES "data"."tag" ("id") ON DELETE CASCADE
)`,
      `CREATE INDEX "jix_e-deal.f-tags" ON "data"."deal_tags" ("target")`,
      `ALTER TABLE "data"."deal" ADD CONSTRAINT "uqc_e-deal.u1" UNIQUE ("name", "account")`,
      `CREATE INDEX "ixc_e-deal.i1" ON "data"."deal" ("account")`,
    ],
  ],
  renameTable: [
    { kind: "renameTable", from: T, to: "opportunity", joinTables: [{ from: "deal_tags", to: "opportunity_tags" }] },
    [
      `ALTER TABLE "data"."deal" RENAME TO "opportunity"`,
      `ALTER TABLE "data"."deal_tags" RENAME TO "opportunity_tags"`,
    ],
  ],
  parkTable: [
    { kind: "parkTable", table: T, parked: { schema: "data_trash", name: "_del_e-deal" }, joinTables: [{ from: { schema: "data", name: "deal_tags" }, to: { schema: "data_trash", name: "_del_e-deal.f-tags" } }] },
    [
      `ALTER TABLE "data"."deal_tags" RENAME TO "_del_e-deal.f-tags"`,
      `ALTER TABLE "data"."_del_e-deal.f-tags" SET SCHEMA "data_trash"`,
      `ALTER TABLE "data"."deal" RENAME TO "_del_e-deal"`,
      `ALTER TABLE "data"."_del_e-deal" SET SCHEMA "data_trash"`,
    ],
  ],
  restoreTable: [
    { kind: "restoreTable", parked: { schema: "data_trash", name: "_del_e-deal" }, table: { schema: "data", name: "opportunity" }, joinTables: [{ from: { schema: "data_trash", name: "_del_e-deal.f-tags" }, to: { schema: "data", name: "opportunity_tags" } }] },
    [
      `ALTER TABLE "data_trash"."_del_e-deal" SET SCHEMA "data"`,
      `ALTER TABLE "data"."_del_e-deal" RENAME TO "opportunity"`,
      `ALTER TABLE "data_trash"."_del_e-deal.f-tags" SET SCHEMA "data"`,
      `ALTER TABLE "data"."_del_e-deal.f-tags" RENAME TO "opportunity_tags"`,
    ],
  ],
  addColumn: [
    { kind: "addColumn", table: T, entity: entity("deal", []), field: field("currency", { key: "amount", required: true, default: { amount: 0, currency: "USD" } }) },
    [
      `ALTER TABLE "data"."deal" ADD COLUMN "amount" numeric(18,2) DEFAULT 0 NOT NULL, ADD COLUMN "amount_currency" char(3) DEFAULT 'USD'`,
    ],
  ],
  renameColumn: [
    { kind: "renameColumn", table: T, renames: [{ from: "amount", to: "value" }, { from: "amount_currency", to: "value_currency" }] },
    [
      `ALTER TABLE "data"."deal" RENAME COLUMN "amount" TO "value"`,
      `ALTER TABLE "data"."deal" RENAME COLUMN "amount_currency" TO "value_currency"`,
    ],
  ],
  parkColumn: [
    { kind: "parkColumn", table: T, renames: [{ from: "account", to: "_del_f-account" }], dropNotNull: "_del_f-account", foreignKey: { name: "fk_f-account", column: "_del_f-account", target: { schema: "data", name: "account" }, onDelete: "setNull" } },
    [
      `ALTER TABLE "data"."deal" RENAME COLUMN "account" TO "_del_f-account"`,
      `ALTER TABLE "data"."deal" ALTER COLUMN "_del_f-account" DROP NOT NULL`,
      `ALTER TABLE "data"."deal" DROP CONSTRAINT "fk_f-account", ADD CONSTRAINT "fk_f-account" FOREIGN KEY ("_del_f-account") REFERENCES "data"."account" ("id") ON DELETE SET NULL`,
    ],
  ],
  restoreColumn: [
    { kind: "restoreColumn", table: T, renames: [{ from: "_del_f-amount", to: "amount" }, { from: "_del_f-amount.cur", to: "amount_currency" }] },
    [
      `ALTER TABLE "data"."deal" RENAME COLUMN "_del_f-amount" TO "amount"`,
      `ALTER TABLE "data"."deal" RENAME COLUMN "_del_f-amount.cur" TO "amount_currency"`,
    ],
  ],
  createJoinTable: [
    { kind: "createJoinTable", table: { schema: "data", name: "deal_tags" }, source: T, target: { schema: "data", name: "tag" }, primaryKey: "jpk_e-deal.f-tags", targetIndex: "jix_e-deal.f-tags" },
    [
      `CREATE TABLE "data"."deal_tags" (
  "source" uuid NOT NULL,
  "target" uuid NOT NULL,
  CONSTRAINT "jpk_e-deal.f-tags" PRIMARY KEY ("source", "target"),
  CONSTRAINT "fk_source" FOREIGN KEY ("source") REFERENCES "data"."deal" ("id") ON DELETE CASCADE,
  CONSTRAINT "fk_target" FOREIGN KEY ("target") REFERENCES "data"."tag" ("id") ON DELETE CASCADE
)`,
      `CREATE INDEX "jix_e-deal.f-tags" ON "data"."deal_tags" ("target")`,
    ],
  ],
  renameJoinTable: [
    { kind: "renameJoinTable", from: { schema: "data", name: "deal_tags" }, to: "deal_labels" },
    [
      `ALTER TABLE "data"."deal_tags" RENAME TO "deal_labels"`,
    ],
  ],
  parkJoinTable: [
    { kind: "parkJoinTable", from: { schema: "data", name: "deal_tags" }, to: { schema: "data_trash", name: "_del_e-deal.f-tags" } },
    [
      `ALTER TABLE "data"."deal_tags" RENAME TO "_del_e-deal.f-tags"`,
      `ALTER TABLE "data"."_del_e-deal.f-tags" SET SCHEMA "data_trash"`,
    ],
  ],
  restoreJoinTable: [
    { kind: "restoreJoinTable", from: { schema: "data_trash", name: "_del_e-deal.f-tags" }, to: { schema: "data", name: "deal_labels" } },
    [
      `ALTER TABLE "data_trash"."_del_e-deal.f-tags" SET SCHEMA "data"`,
      `ALTER TABLE "data"."_del_e-deal.f-tags" RENAME TO "deal_labels"`,
    ],
  ],
  changeType: [
    { kind: "changeType", table: T, column: "stage", sqlType: "text[]", convert: sql`ARRAY["stage"]`, dropDefaults: ["stage"], dropNotNull: true },
    [
      `ALTER TABLE "data"."deal" ALTER COLUMN "stage" DROP DEFAULT, ALTER COLUMN "stage" DROP NOT NULL`,
      `ALTER TABLE "data"."deal" ALTER COLUMN "stage" TYPE text[] USING ARRAY["stage"]`,
    ],
  ],
  changePrecision: [
    { kind: "changePrecision", table: T, column: "amount", sqlType: "numeric(10,1)", convert: sql`"amount"::numeric(10,1)` },
    [
      `ALTER TABLE "data"."deal" ALTER COLUMN "amount" TYPE numeric(10,1) USING "amount"::numeric(10,1)`,
    ],
  ],
  changeOptions: [
    { kind: "changeOptions", table: T, column: "stage", multiple: false, valueMap: { lost: null, "it's": "won" }, dropNotNull: true },
    [
      `ALTER TABLE "data"."deal" ALTER COLUMN "stage" DROP NOT NULL`,
      { text: `UPDATE "data"."deal" SET "stage" = CASE WHEN ($1::jsonb -> "stage") IS NULL THEN "stage" ELSE $1::jsonb ->> "stage" END WHERE ($1::jsonb -> "stage") IS NOT NULL`, params: ["{\"lost\":null,\"it's\":\"won\"}"] },
    ],
  ],
  truncateText: [
    { kind: "truncateText", table: T, column: "name", maxLength: 20 },
    [
      { text: `UPDATE "data"."deal" SET "name" = left("name", $1) WHERE char_length("name") > $1`, params: [20] },
    ],
  ],
  changeOnDelete: [
    { kind: "changeOnDelete", table: T, foreignKey: { name: "fk_f-account", column: "account", target: { schema: "data", name: "account" }, onDelete: "cascade" } },
    [
      `ALTER TABLE "data"."deal" DROP CONSTRAINT "fk_f-account", ADD CONSTRAINT "fk_f-account" FOREIGN KEY ("account") REFERENCES "data"."account" ("id") ON DELETE CASCADE`,
    ],
  ],
  setDefault: [
    { kind: "setDefault", table: T, columns: [{ column: "amount", expression: "0" }, { column: "amount_currency", expression: undefined }], sequence: { name: { schema: "data", name: "seq_e-deal.f-number" }, maxValue: "99999999" } },
    [
      `ALTER SEQUENCE "data"."seq_e-deal.f-number" MAXVALUE 99999999`,
      `ALTER TABLE "data"."deal" ALTER COLUMN "amount" SET DEFAULT 0, ALTER COLUMN "amount_currency" DROP DEFAULT`,
    ],
  ],
  dropDefault: [
    { kind: "dropDefault", table: T, columns: ["amount", "amount_currency"] },
    [
      `ALTER TABLE "data"."deal" ALTER COLUMN "amount" DROP DEFAULT, ALTER COLUMN "amount_currency" DROP DEFAULT`,
    ],
  ],
  setNotNull: [
    { kind: "setNotNull", table: T, column: "amount", fillDefault: ["amount", "amount_currency"] },
    [
      `UPDATE "data"."deal" SET "amount" = DEFAULT, "amount_currency" = DEFAULT WHERE "amount" IS NULL`,
      `ALTER TABLE "data"."deal" ALTER COLUMN "amount" SET NOT NULL`,
    ],
  ],
  dropNotNull: [
    { kind: "dropNotNull", table: T, column: "amount" },
    [
      `ALTER TABLE "data"."deal" ALTER COLUMN "amount" DROP NOT NULL`,
    ],
  ],
  checkConstraint: [
    { kind: "checkConstraint" },
    [],
  ],
  addUnique: [
    { kind: "addUnique", table: T, name: "uq_e-deal.f-name", columns: ["name"] },
    [
      `ALTER TABLE "data"."deal" ADD CONSTRAINT "uq_e-deal.f-name" UNIQUE ("name")`,
    ],
  ],
  dropUnique: [
    { kind: "dropUnique", table: T, name: "uq_e-deal.f-name" },
    [
      `ALTER TABLE "data"."deal" DROP CONSTRAINT "uq_e-deal.f-name"`,
    ],
  ],
  addIndex: [
    { kind: "addIndex", table: T, name: "ix_e-deal.f-amount", columns: ["amount", "amount_currency"] },
    [
      `CREATE INDEX "ix_e-deal.f-amount" ON "data"."deal" ("amount", "amount_currency")`,
    ],
  ],
  dropIndex: [
    { kind: "dropIndex", schema: "data", name: "ix_e-deal.f-amount" },
    [
      `DROP INDEX "data"."ix_e-deal.f-amount"`,
    ],
  ],
  addCompositeUnique: [
    { kind: "addCompositeUnique", table: T, name: "uqc_e-deal.u1", columns: ["name", "account"] },
    [
      `ALTER TABLE "data"."deal" ADD CONSTRAINT "uqc_e-deal.u1" UNIQUE ("name", "account")`,
    ],
  ],
  dropCompositeUnique: [
    { kind: "dropCompositeUnique", table: T, name: "uqc_e-deal.u1" },
    [
      `ALTER TABLE "data"."deal" DROP CONSTRAINT "uqc_e-deal.u1"`,
    ],
  ],
  addCompositeIndex: [
    { kind: "addCompositeIndex", table: T, name: "ixc_e-deal.i1", columns: ["account", "name"] },
    [
      `CREATE INDEX "ixc_e-deal.i1" ON "data"."deal" ("account", "name")`,
    ],
  ],
  dropCompositeIndex: [
    { kind: "dropCompositeIndex", schema: "data", name: "ixc_e-deal.i1" },
    [
      `DROP INDEX "data"."ixc_e-deal.i1"`,
    ],
  ],
  dropColumn: [
    { kind: "dropColumn", table: T, columns: ["_del_f-rate"], staleColumns: ["_del_f-rate.cur"] },
    [
      `ALTER TABLE "data"."deal" DROP COLUMN "_del_f-rate", DROP COLUMN IF EXISTS "_del_f-rate.cur"`,
    ],
  ],
  dropTable: [
    { kind: "dropTable", table: { schema: "data_trash", name: "_del_e-deal" }, joinTables: [{ schema: "data_trash", name: "_del_e-deal.f-tags" }] },
    [
      `DROP TABLE IF EXISTS "data_trash"."_del_e-deal.f-tags"`,
      `DROP TABLE "data_trash"."_del_e-deal" CASCADE`,
    ],
  ],
  dropJoinTable: [
    { kind: "dropJoinTable", table: { schema: "data_trash", name: "_del_e-deal.f-tags" } },
    [
      `DROP TABLE "data_trash"."_del_e-deal.f-tags"`,
    ],
  ],
};

describe("renderStep", () => {
  it.each(Object.entries(GOLDEN))("%s", (_kind, [spec, expected]) => {
    expect(renderStep(spec as StepSpec).map((s) => (s.params.length > 0 ? s : s.text))).toEqual(expected);
  });

  it("keeps hostile values out of DML text", () => {
    const [clear, update] = renderStep({ kind: "changeOptions", table: T, column: "stage", multiple: true, valueMap: { "'; drop table x; --": null }, dropNotNull: false });
    expect(update).toBeUndefined();
    expect(clear?.text).not.toContain("drop table");
    expect(clear?.params).toEqual([JSON.stringify({ "'; drop table x; --": null })]);
  });
});
