import { describe, expect, it } from "vitest";
import { FIELD_TYPES } from "../definition/types.ts";
import type { FieldDefinition } from "../definition/types.ts";
import { columnDefaults } from "./column-defaults.ts";
import { compositeIndexName, compositeUniqueName, foreignKeyName, indexName, primaryKeyName, sequenceName, uniqueName } from "./constraint-names.ts";
import { columnSqlType, fieldColumns, parkedColumnName } from "./field-columns.ts";
import { joinTableName, joinTableRef, parkedJoinTableName, parkedTableName, tableRef } from "./table-ref.ts";
import { field } from "./test-fixtures.ts";

describe("physical mapping", () => {
  it.each<[FieldDefinition, string[], string[]]>([
    [field("text", { key: "name" }), ["name"], ["text"]],
    [field("longText", { key: "notes" }), ["notes"], ["text"]],
    [field("richText", { key: "body" }), ["body"], ["text"]],
    [field("email", { key: "mail" }), ["mail"], ["text"]],
    [field("phone", { key: "tel" }), ["tel"], ["text"]],
    [field("url", { key: "site" }), ["site"], ["text"]],
    [field("integer", { key: "qty" }), ["qty"], ["bigint"]],
    [field("decimal", { key: "rate" }), ["rate"], ["numeric(18,2)"]],
    [field("decimal", { key: "rate", precision: 9, scale: 4 }), ["rate"], ["numeric(9,4)"]],
    [field("percent", { key: "share" }), ["share"], ["numeric(18,2)"]],
    [field("currency", { key: "price", precision: 12, scale: 3 }), ["price", "price_currency"], ["numeric(12,3)", "char(3)"]],
    [field("boolean", { key: "active" }), ["active"], ["boolean"]],
    [field("date", { key: "since" }), ["since"], ["date"]],
    [field("datetime", { key: "seen" }), ["seen"], ["timestamptz"]],
    [field("select", { key: "stage" }), ["stage"], ["text"]],
    [field("multiSelect", { key: "labels" }), ["labels"], ["text[]"]],
    [field("json", { key: "meta" }), ["meta"], ["jsonb"]],
    [field("autoNumber", { key: "number" }), ["number"], ["text"]],
    [field("relation", { key: "owner", relation: "manyToOne", target: "user" }), ["owner"], ["uuid"]],
    [field("relation", { key: "tags", relation: "manyToMany", target: "tag" }), [], []],
    [field("relation", { key: "deals", relation: "oneToMany", target: "deal", inverse: "account" }), [], []],
  ])("maps %# %s", (f, names, types) => {
    const columns = fieldColumns(f);
    expect(columns.map((c) => c.name)).toEqual(names);
    expect(columns.map((c) => c.sqlType)).toEqual(types);
    expect(columnSqlType(f)).toBe(types[0] ?? null);
  });

  it("covers every field type", () => {
    for (const type of FIELD_TYPES) {
      const extra = type === "relation" ? { relation: "manyToOne", target: "x" } : {};
      expect(() => fieldColumns(field(type, { key: "x", ...extra }))).not.toThrow();
    }
  });

  it.each<[FieldDefinition, Array<string | undefined>]>([
    [field("text", { key: "a", default: "it's" }), ["'it''s'"]],
    [field("integer", { key: "a", default: -3 }), ["-3"]],
    [field("currency", { key: "a", default: { amount: 1.5, currency: "EUR" } }), ["1.5", "'EUR'"]],
    [field("currency", { key: "a" }), [undefined, undefined]],
    [field("date", { key: "a", default: "now" }), ["CURRENT_DATE"]],
    [field("date", { key: "a", default: "2024-02-29" }), ["'2024-02-29'::date"]],
    [field("datetime", { key: "a", default: "now" }), ["now()"]],
    [field("multiSelect", { key: "a", default: ["x"] }), ["ARRAY['x']::text[]"]],
    [field("json", { key: "a", default: [1] }), ["'[1]'::jsonb"]],
    [field("boolean", { key: "a", default: false }), ["false"]],
    [field("autoNumber", { key: "a", prefix: "N'", digits: 4 }), [`'N''' || lpad(nextval('"data"."seq_e.f-a"'::regclass)::text, 4, '0')`]],
    [field("autoNumber", { key: "a" }), [`lpad(nextval('"data"."seq_e.f-a"'::regclass)::text, 6, '0')`]],
    [field("relation", { key: "a", relation: "manyToOne", target: "x" }), [undefined]],
  ])("renders the defaults of %#", (f, defaults) => {
    expect(columnDefaults({ id: "e" }, f)).toEqual(defaults);
  });

  it("names tables, join tables and parked objects", () => {
    const account = { id: "ent_1", key: "account" };
    const tags = { id: "fld-9", key: "tags" };
    expect(tableRef(account)).toBe('"data"."account"');
    expect(joinTableName(account, tags)).toBe("account_tags");
    expect(joinTableRef(account, tags)).toBe('"data"."account_tags"');
    expect(parkedTableName(account)).toBe("_del_ent_1");
    expect(parkedJoinTableName(account, tags)).toBe("_del_ent_1.fld-9");
    expect(parkedColumnName(tags, "value")).toBe("_del_fld-9");
    expect(parkedColumnName(tags, "currency")).toBe("_del_fld-9.cur");
  });

  it("names constraints, indexes and sequences from stable ids", () => {
    const account = { id: "acct" };
    const email = { id: "f-email" };
    expect([
      uniqueName(account, email),
      indexName(account, email),
      compositeUniqueName(account, { id: "u1" }),
      compositeIndexName(account, { id: "u1" }),
      foreignKeyName(email),
      sequenceName(account, email),
      primaryKeyName(account),
    ]).toEqual(["uq_acct.f-email", "ix_acct.f-email", "uqc_acct.u1", "ixc_acct.u1", "fk_f-email", "seq_acct.f-email", "pk_acct"]);
  });
});
