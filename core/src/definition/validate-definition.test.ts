import { describe, expect, it } from "vitest";
import type { EntityDefinition } from "./types.ts";
import { FIELD_TYPES } from "./types.ts";
import { validateDefinition } from "./validate-definition.ts";

const L = (en: string) => ({ en });

const contact: EntityDefinition = {
  id: "contact",
  key: "contact",
  label: L("Contact"),
  fields: [
    { id: "c-name", key: "name", type: "text", label: L("Name") },
    { id: "c-account", key: "account", type: "relation", relation: "manyToOne", target: "account", label: L("Account") },
    { id: "c-manager", key: "manager", type: "relation", relation: "manyToOne", target: "contact", label: L("Manager") },
  ],
};
const context = { entities: [contact] };

/** An `account` definition whose field 0 is `name` and field 1 is the field under test. */
function account(fields: unknown[], extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: "account",
    key: "account",
    label: L("Account"),
    fields: [{ id: "f-name", key: "name", type: "text", label: L("Name") }, ...fields],
    ...extra,
  };
}
const field = (props: Record<string, unknown>) => ({ id: "f-test", key: "test", label: L("Test"), ...props });

const validFields: Array<[string, Record<string, unknown>]> = [
  ["text", { type: "text", minLength: 1, maxLength: 50, pattern: "^[A-Z]", default: "Abc", required: true, unique: true }],
  ["longText", { type: "longText", maxLength: 5000, help: { en: "Notes", "zh-CN": "备注" } }],
  ["richText", { type: "richText", description: "Formatted notes" }],
  ["integer", { type: "integer", min: 0, max: 10, default: 5, indexed: true }],
  ["decimal", { type: "decimal", precision: 10, scale: 3, min: -100, max: 1000, default: 12.345 }],
  ["currency", { type: "currency", currencies: ["EUR", "USD"], defaultCurrency: "EUR", default: { amount: 10.5, currency: "USD" }, min: 0 }],
  ["percent", { type: "percent", default: 12.5, max: 100 }],
  ["boolean", { type: "boolean", default: false, required: true }],
  ["date", { type: "date", default: "now", min: "2000-01-01", max: "2099-12-31" }],
  ["datetime", { type: "datetime", default: "2024-05-01T09:30:00+02:00", min: "2020-01-01T00:00:00Z" }],
  ["email", { type: "email", default: "sales@example.com", unique: true }],
  ["phone", { type: "phone", default: "+1 (555) 010-0199" }],
  ["url", { type: "url", default: "https://example.com/a?b=c" }],
  ["select", { type: "select", options: [{ key: "cold", label: L("Cold"), color: "#1a7f37", order: 1 }, { key: "hot_lead", label: L("Hot") }], default: "hot_lead" }],
  ["multiSelect", { type: "multiSelect", options: [{ key: "a", label: L("A") }, { key: "b", label: L("B") }], default: ["a", "b"], minItems: 0, maxItems: 2 }],
  ["relation manyToOne", { type: "relation", relation: "manyToOne", target: "contact", onDelete: "cascade", required: true, indexed: true }],
  ["relation manyToOne to itself", { type: "relation", relation: "manyToOne", target: "account", onDelete: "setNull" }],
  ["relation oneToMany", { type: "relation", relation: "oneToMany", target: "contact", inverse: "account" }],
  ["relation manyToMany", { type: "relation", relation: "manyToMany", target: "contact" }],
  ["autoNumber", { type: "autoNumber", prefix: "ACC-", digits: 8 }],
  ["json", { type: "json", default: { tags: [1, "two", null] } }],
];

describe("validateDefinition: valid definitions", () => {
  it.each(validFields)("accepts a %s field", (_name, props) => {
    const result = validateDefinition(account([field(props)]), context);
    expect(result).toEqual({ ok: true, value: expect.any(Object) });
  });

  it("covers every field type", () => {
    const covered = new Set(validFields.map(([, props]) => props["type"]));
    expect([...covered].sort()).toEqual([...FIELD_TYPES].sort());
  });

  it("accepts a complete entity with display field, uniques and indexes", () => {
    const input = account(
      [field({ type: "email" }), field({ id: "f-code", key: "code", type: "autoNumber" })],
      {
        pluralLabel: { en: "Accounts", "zh-CN": "客户" },
        description: "Companies we sell to",
        icon: "building",
        displayField: "name",
        uniques: [{ id: "u-name-email", fields: ["name", "test"] }],
        indexes: [{ id: "i-code", fields: ["code"] }],
      },
    );
    expect(validateDefinition(input, context).ok).toBe(true);
  });

  it("a oneToMany may target its own entity (a tree)", () => {
    const input = account([
      field({ key: "parent", type: "relation", relation: "manyToOne", target: "account" }),
      field({ id: "f-children", key: "children", type: "relation", relation: "oneToMany", target: "account", inverse: "parent" }),
    ]);
    expect(validateDefinition(input).ok).toBe(true);
  });

  it("ignores a context entity with the same id (an older version of itself)", () => {
    const old = { ...contact, id: "account", key: "company" };
    const input = account([field({ type: "relation", relation: "manyToOne", target: "company" })]);
    expect(validateDefinition(input, { entities: [old] })).toMatchObject({
      ok: false,
      issues: [{ code: "UNKNOWN_TARGET", pointer: "/fields/1/target" }],
    });
  });
});

type BadCase = [name: string, input: unknown, code: string, pointer: string];

const text = (props: Record<string, unknown> = {}) => field({ type: "text", ...props });
const relation = (props: Record<string, unknown>) => field({ type: "relation", ...props });
const select = (props: Record<string, unknown> = {}) =>
  field({ type: "select", options: [{ key: "a", label: L("A") }, { key: "b", label: L("B") }], ...props });
const multi = (props: Record<string, unknown> = {}) =>
  field({ type: "multiSelect", options: [{ key: "a", label: L("A") }, { key: "b", label: L("B") }], ...props });

const badCases: BadCase[] = [
  // hostile and malformed keys
  ["key with a quote", account([text({ key: 'a"b' })]), "INVALID_KEY", "/fields/1/key"],
  ["key with SQL", account([text({ key: "x; drop table y" })]), "INVALID_KEY", "/fields/1/key"],
  ["key with unicode", account([text({ key: "naïve" })]), "INVALID_KEY", "/fields/1/key"],
  ["1000-character key", account([text({ key: "a".repeat(1000) })]), "INVALID_KEY", "/fields/1/key"],
  ["31-character key", account([text({ key: "a".repeat(31) })]), "INVALID_KEY", "/fields/1/key"],
  ["key starting uppercase", account([text({ key: "Name2" })]), "INVALID_KEY", "/fields/1/key"],
  ["key with underscore", account([text({ key: "first_name" })]), "INVALID_KEY", "/fields/1/key"],
  ["key starting with a digit", account([text({ key: "1st" })]), "INVALID_KEY", "/fields/1/key"],
  ["empty key", account([text({ key: "" })]), "INVALID_KEY", "/fields/1/key"],
  ["key that is not a string", account([text({ key: 42 })]), "INVALID_TYPE", "/fields/1/key"],
  ["reserved word select", account([text({ key: "select" })]), "RESERVED_NAME", "/fields/1/key"],
  ["reserved word user", account([text({ key: "user" })]), "RESERVED_NAME", "/fields/1/key"],
  ["reserved word order", account([text({ key: "order" })]), "RESERVED_NAME", "/fields/1/key"],
  ["reserved word in other case", account([text({ key: "oRDER" })]), "RESERVED_NAME", "/fields/1/key"],
  ["system field id", account([text({ key: "id" })]), "RESERVED_NAME", "/fields/1/key"],
  ["system field createdAt", account([text({ key: "createdAt" })]), "RESERVED_NAME", "/fields/1/key"],
  ["system field in other case", account([text({ key: "updatedby" })]), "RESERVED_NAME", "/fields/1/key"],
  ["reserved entity key", { ...account([]), key: "table" }, "RESERVED_NAME", "/key"],
  ["malformed entity key", { ...account([]), key: "my-entity" }, "INVALID_KEY", "/key"],
  ["malformed entity id", { ...account([]), id: "Bad Id" }, "INVALID_ID", "/id"],
  ["41-character field id", account([text({ id: "a".repeat(41) })]), "INVALID_ID", "/fields/1/id"],
  // shape
  ["input is null", null, "INVALID_TYPE", ""],
  ["input is a string", "account", "INVALID_TYPE", ""],
  ["missing fields", { id: "account", key: "account", label: L("Account") }, "REQUIRED", "/fields"],
  ["fields not a list", { ...account([]), fields: {} }, "INVALID_TYPE", "/fields"],
  ["field not an object", account(["name"]), "INVALID_TYPE", "/fields/1"],
  ["field without label", account([{ id: "f-test", key: "test", type: "text" }]), "REQUIRED", "/fields/1/label"],
  ["unknown field property", account([text({ colour: "red" })]), "UNKNOWN_PROPERTY", "/fields/1/colour"],
  ["unknown property with a slash", account([text({ "a/b": 1 })]), "UNKNOWN_PROPERTY", "/fields/1/a~1b"],
  ["unknown entity property", account([], { tableName: "acc" }), "UNKNOWN_PROPERTY", "/tableName"],
  ["unknown field type", account([field({ type: "money" })]), "INVALID_FIELD_TYPE", "/fields/1/type"],
  ["missing field type", account([field({})]), "REQUIRED", "/fields/1/type"],
  ["property of another type", account([field({ type: "integer", maxLength: 3 })]), "UNKNOWN_PROPERTY", "/fields/1/maxLength"],
  ["empty label", { ...account([]), label: {} }, "REQUIRED", "/label"],
  ["empty label text", { ...account([]), label: { en: "" } }, "TOO_SHORT", "/label/en"],
  ["bad locale", { ...account([]), label: { english: "Account" } }, "INVALID_LOCALE", "/label/english"],
  ["boolean default of the wrong type", account([field({ type: "boolean", default: "yes" })]), "INVALID_TYPE", "/fields/1/default"],
  ["integer default not whole", account([field({ type: "integer", default: 1.5 })]), "INVALID_TYPE", "/fields/1/default"],
  // uniqueness
  ["duplicate field key", account([text({ key: "name" })]), "DUPLICATE_KEY", "/fields/1/key"],
  ["duplicate key in other case", account([text({ key: "nAME" })]), "DUPLICATE_KEY", "/fields/1/key"],
  ["duplicate field id", account([text({ id: "f-name" })]), "DUPLICATE_ID", "/fields/1/id"],
  // relations
  ["unknown relation target", account([relation({ relation: "manyToOne", target: "invoice" })]), "UNKNOWN_TARGET", "/fields/1/target"],
  ["oneToMany without inverse", account([relation({ relation: "oneToMany", target: "contact" })]), "MISSING_INVERSE", "/fields/1/inverse"],
  ["inverse not on target", account([relation({ relation: "oneToMany", target: "contact", inverse: "company" })]), "UNKNOWN_INVERSE", "/fields/1/inverse"],
  ["inverse is not a relation", account([relation({ relation: "oneToMany", target: "contact", inverse: "name" })]), "INVALID_INVERSE", "/fields/1/inverse"],
  ["inverse targets another entity", account([relation({ relation: "oneToMany", target: "contact", inverse: "manager" })]), "INVALID_INVERSE", "/fields/1/inverse"],
  ["onDelete on manyToMany", account([relation({ relation: "manyToMany", target: "contact", onDelete: "cascade" })]), "ON_DELETE_NOT_ALLOWED", "/fields/1/onDelete"],
  ["setNull on a required field", account([relation({ relation: "manyToOne", target: "contact", onDelete: "setNull", required: true })]), "CONTRADICTORY_ON_DELETE", "/fields/1/onDelete"],
  ["inverse on manyToOne", account([relation({ relation: "manyToOne", target: "contact", inverse: "account" })]), "INVERSE_NOT_ALLOWED", "/fields/1/inverse"],
  ["unknown onDelete", account([relation({ relation: "manyToOne", target: "contact", onDelete: "nullify" })]), "INVALID_VALUE", "/fields/1/onDelete"],
  ["unknown relation kind", account([relation({ relation: "oneToOne", target: "contact" })]), "INVALID_VALUE", "/fields/1/relation"],
  ["relation without target", account([relation({ relation: "manyToOne" })]), "REQUIRED", "/fields/1/target"],
  // indexes on what cannot be indexed
  ["unique json", account([field({ type: "json", unique: true })]), "NOT_INDEXABLE", "/fields/1/unique"],
  ["indexed richText", account([field({ type: "richText", indexed: true })]), "NOT_INDEXABLE", "/fields/1/indexed"],
  ["unique multiSelect", account([multi({ unique: true })]), "NOT_INDEXABLE", "/fields/1/unique"],
  ["unique oneToMany", account([relation({ relation: "oneToMany", target: "contact", inverse: "account", unique: true })]), "NOT_INDEXABLE", "/fields/1/unique"],
  ["indexed manyToMany", account([relation({ relation: "manyToMany", target: "contact", indexed: true })]), "NOT_INDEXABLE", "/fields/1/indexed"],
  // display field and composite constraints
  ["unknown display field", account([], { displayField: "title" }), "UNKNOWN_FIELD", "/displayField"],
  ["json display field", account([field({ type: "json" })], { displayField: "test" }), "INVALID_DISPLAY_FIELD", "/displayField"],
  ["manyToMany display field", account([relation({ relation: "manyToMany", target: "contact" })], { displayField: "test" }), "INVALID_DISPLAY_FIELD", "/displayField"],
  ["unique over an unknown field", account([], { uniques: [{ id: "u1", fields: ["name", "ghost"] }] }), "UNKNOWN_FIELD", "/uniques/0/fields/1"],
  ["index over a manyToMany", account([relation({ relation: "manyToMany", target: "contact" })], { indexes: [{ id: "i1", fields: ["test"] }] }), "NOT_INDEXABLE", "/indexes/0/fields/0"],
  ["field twice in a unique", account([text()], { uniques: [{ id: "u1", fields: ["name", "test", "name"] }] }), "DUPLICATE_FIELD", "/uniques/0/fields/2"],
  ["unique and index sharing an id", account([text()], { uniques: [{ id: "c1", fields: ["name"] }], indexes: [{ id: "c1", fields: ["test"] }] }), "DUPLICATE_ID", "/indexes/0/id"],
  ["the same index twice", account([text()], { indexes: [{ id: "i1", fields: ["name", "test"] }, { id: "i2", fields: ["name", "test"] }] }), "DUPLICATE_CONSTRAINT", "/indexes/1/fields"],
  ["unique without fields", account([], { uniques: [{ id: "u1", fields: [] }] }), "TOO_FEW_ITEMS", "/uniques/0/fields"],
  // options
  ["duplicate option key", account([select({ options: [{ key: "a", label: L("A") }, { key: "a", label: L("A again") }] })]), "DUPLICATE_OPTION", "/fields/1/options/1/key"],
  ["select default not an option", account([select({ default: "c" })]), "NOT_AN_OPTION", "/fields/1/default"],
  ["multiSelect default not an option", account([multi({ default: ["a", "z"] })]), "NOT_AN_OPTION", "/fields/1/default/1"],
  ["select without options", account([select({ options: [] })]), "TOO_FEW_ITEMS", "/fields/1/options"],
  ["malformed option key", account([select({ options: [{ key: "Hot", label: L("Hot") }] })]), "INVALID_OPTION_KEY", "/fields/1/options/0/key"],
  ["malformed option colour", account([select({ options: [{ key: "a", label: L("A"), color: "blue" }] })]), "INVALID_COLOR", "/fields/1/options/0/color"],
  ["minItems above the option count", account([multi({ minItems: 3 })]), "INVALID_RANGE", "/fields/1/minItems"],
  // ranges
  ["integer min above max", account([field({ type: "integer", min: 10, max: 1 })]), "INVALID_RANGE", "/fields/1/max"],
  ["minLength above maxLength", account([text({ minLength: 10, maxLength: 5 })]), "INVALID_RANGE", "/fields/1/maxLength"],
  ["scale above precision", account([field({ type: "decimal", precision: 4, scale: 6 })]), "INVALID_RANGE", "/fields/1/scale"],
  ["precision below the default scale", account([field({ type: "decimal", precision: 1 })]), "INVALID_RANGE", "/fields/1/precision"],
  ["minItems above maxItems", account([multi({ minItems: 2, maxItems: 1 })]), "INVALID_RANGE", "/fields/1/maxItems"],
  ["date min after max", account([field({ type: "date", min: "2024-02-01", max: "2024-01-01" })]), "INVALID_RANGE", "/fields/1/max"],
  ["precision above 38", account([field({ type: "decimal", precision: 39 })]), "OUT_OF_RANGE", "/fields/1/precision"],
  ["autoNumber digits 0", account([field({ type: "autoNumber", digits: 0 })]), "OUT_OF_RANGE", "/fields/1/digits"],
  ["autoNumber digits 19", account([field({ type: "autoNumber", digits: 19 })]), "OUT_OF_RANGE", "/fields/1/digits"],
  // patterns and defaults
  ["pattern that does not compile", account([text({ pattern: "(" })]), "INVALID_PATTERN", "/fields/1/pattern"],
  ["pattern invalid in Unicode mode", account([text({ pattern: "\\p{Nope}" })]), "INVALID_PATTERN", "/fields/1/pattern"],
  ["text default too long", account([text({ maxLength: 3, default: "abcd" })]), "TOO_LONG", "/fields/1/default"],
  ["text default against the pattern", account([text({ pattern: "^[0-9]+$", default: "12a" })]), "INVALID_FORMAT", "/fields/1/default"],
  ["email default not an email", account([field({ type: "email", default: "nobody" })]), "INVALID_FORMAT", "/fields/1/default"],
  ["url default not http", account([field({ type: "url", default: "javascript:alert(1)" })]), "INVALID_FORMAT", "/fields/1/default"],
  ["integer default above max", account([field({ type: "integer", max: 10, default: 11 })]), "OUT_OF_RANGE", "/fields/1/default"],
  ["decimal default with too many decimals", account([field({ type: "decimal", scale: 2, default: 1.234 })]), "TOO_MANY_DECIMALS", "/fields/1/default"],
  ["decimal default above precision", account([field({ type: "decimal", precision: 4, scale: 2, default: 100 })]), "OUT_OF_RANGE", "/fields/1/default"],
  ["currency default in a refused currency", account([field({ type: "currency", currencies: ["EUR"], default: { amount: 1, currency: "USD" } })]), "NOT_AN_OPTION", "/fields/1/default/currency"],
  ["default currency not allowed", account([field({ type: "currency", currencies: ["EUR"], defaultCurrency: "USD" })]), "CURRENCY_NOT_ALLOWED", "/fields/1/defaultCurrency"],
  ["malformed currency code", account([field({ type: "currency", currencies: ["eur"] })]), "INVALID_CURRENCY", "/fields/1/currencies/0"],
  ["date default not a date", account([field({ type: "date", default: "yesterday" })]), "INVALID_DATE", "/fields/1/default"],
  ["impossible date", account([field({ type: "date", min: "2024-02-30" })]), "INVALID_DATE", "/fields/1/min"],
  ["date default before min", account([field({ type: "date", min: "2024-01-01", default: "2023-12-31" })]), "OUT_OF_RANGE", "/fields/1/default"],
];

describe("validateDefinition: invalid definitions", () => {
  it("has at least 45 cases", () => expect(badCases.length).toBeGreaterThanOrEqual(45));

  it.each(badCases)("refuses %s", (_name, input, code, pointer) => {
    const result = validateDefinition(input, context);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.issues).toEqual([{ code, pointer, message: expect.any(String) }]);
    expect(result.issues[0]?.message.length).toBeGreaterThan(10);
  });

  it("reports every problem at once", () => {
    const input = account([
      text({ id: "f-1", key: "Bad" }),
      text({ id: "f-2", key: "select" }),
      text({ id: "f-name", key: "other" }),
      relation({ id: "f-4", key: "owner", relation: "manyToOne", target: "nobody" }),
      field({ id: "f-5", key: "count", type: "integer", min: 3, max: 2 }),
    ]);
    const result = validateDefinition(input, context);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.issues.map((i) => [i.code, i.pointer])).toEqual([
      ["INVALID_KEY", "/fields/1/key"],
      ["RESERVED_NAME", "/fields/2/key"],
      ["DUPLICATE_ID", "/fields/3/id"],
      ["UNKNOWN_TARGET", "/fields/4/target"],
      ["INVALID_RANGE", "/fields/5/max"],
    ]);
  });

  it("does not run semantic checks on parts that failed the schema", () => {
    const result = validateDefinition(account([select({ options: [{ key: "A", label: L("A") }], default: "zzz" })]), context);
    expect(result).toMatchObject({ ok: false, issues: [{ code: "INVALID_OPTION_KEY" }] });
  });

  it("messages quote the offending value, cut short", () => {
    const result = validateDefinition(account([text({ key: "x".repeat(1000) + "!" })]), context);
    if (result.ok) throw new Error("expected issues");
    expect(result.issues[0]?.message.length).toBeLessThan(250);
  });
});
