import { describe, expect, it } from "vitest";
import type { EntityDefinition, FieldDefinition } from "../definition/types.ts";
import { validateDefinition } from "../definition/validate-definition.ts";
import { buildRecordValidator, compileRecordValidator } from "./compile-record-validator.ts";
import { fractionDigits } from "./decimal-keyword.ts";
import { deriveRecordSchema } from "./record-schema.ts";

const L = (en: string) => ({ en });
const options = [{ key: "lead", label: L("Lead") }, { key: "won", label: L("Won") }];

const fields: FieldDefinition[] = [
  { id: "f1", key: "name", type: "text", label: L("Name"), required: true, maxLength: 10 },
  { id: "f2", key: "notes", type: "longText", label: L("Notes"), minLength: 2 },
  { id: "f3", key: "bio", type: "richText", label: L("Bio") },
  { id: "f4", key: "code", type: "text", label: L("Code"), pattern: "^[A-Z]{3}$" },
  { id: "f5", key: "email", type: "email", label: L("Email") },
  { id: "f6", key: "phone", type: "phone", label: L("Phone") },
  { id: "f7", key: "site", type: "url", label: L("Website") },
  { id: "f8", key: "employees", type: "integer", label: L("Employees"), min: 0, max: 1000 },
  { id: "f9", key: "rating", type: "decimal", label: L("Rating"), precision: 4, scale: 2 },
  { id: "f10", key: "share", type: "percent", label: L("Share"), min: 0, max: 100 },
  { id: "f11", key: "revenue", type: "currency", label: L("Revenue"), currencies: ["EUR", "USD"], defaultCurrency: "EUR", precision: 8, scale: 2 },
  { id: "f12", key: "budget", type: "currency", label: L("Budget") },
  { id: "f13", key: "active", type: "boolean", label: L("Active"), required: true, default: true },
  { id: "f14", key: "founded", type: "date", label: L("Founded"), min: "1800-01-01", max: "2100-01-01" },
  { id: "f15", key: "lastSeen", type: "datetime", label: L("Last seen") },
  { id: "f16", key: "stage", type: "select", label: L("Stage"), options, required: true },
  { id: "f17", key: "tags", type: "multiSelect", label: L("Tags"), options, maxItems: 1 },
  { id: "f18", key: "parent", type: "relation", relation: "manyToOne", target: "account", label: L("Parent") },
  { id: "f19", key: "children", type: "relation", relation: "oneToMany", target: "account", inverse: "parent", label: L("Children") },
  { id: "f20", key: "partners", type: "relation", relation: "manyToMany", target: "account", label: L("Partners") },
  { id: "f21", key: "number", type: "autoNumber", label: L("Number"), required: true },
  { id: "f22", key: "extra", type: "json", label: L("Extra") },
];
const account: EntityDefinition = { id: "account", key: "account", label: L("Account"), fields };
const UUID = "7c9e6679-7425-40de-944b-e07fc1f90ae7";
const minimal = { name: "Acme", stage: "lead" };

describe("deriveRecordSchema", () => {
  it("is a valid definition to start with", () => {
    expect(validateDefinition(account).ok).toBe(true);
  });

  const create = deriveRecordSchema(account, "create");
  const properties = create["properties"] as Record<string, unknown>;

  it.each<[string, unknown]>([
    ["name", { title: "Name", type: "string", minLength: 1, maxLength: 10 }],
    ["notes", { title: "Notes", type: ["string", "null"], minLength: 2 }],
    ["bio", { title: "Bio", type: ["string", "null"] }],
    ["code", { title: "Code", type: ["string", "null"], pattern: "^[A-Z]{3}$" }],
    ["email", { title: "Email", type: ["string", "null"], format: "email" }],
    ["phone", { title: "Phone", type: ["string", "null"], pattern: "^\\+?[0-9 ()./-]{3,30}$" }],
    ["site", { title: "Website", type: ["string", "null"], format: "uri", pattern: "^[hH][tT][tT][pP][sS]?://" }],
    ["employees", { title: "Employees", type: ["integer", "null"], minimum: 0, maximum: 1000 }],
    ["rating", { title: "Rating", type: ["number", "null"], "x-decimal": { precision: 4, scale: 2 } }],
    ["share", { title: "Share", type: ["number", "null"], minimum: 0, maximum: 100, "x-decimal": { precision: 18, scale: 2 } }],
    ["revenue", {
      title: "Revenue",
      type: ["object", "null"],
      required: ["amount"],
      additionalProperties: false,
      properties: {
        amount: { title: "amount", type: "number", "x-decimal": { precision: 8, scale: 2 } },
        currency: { title: "currency", enum: ["EUR", "USD"] },
      },
    }],
    ["budget", expect.objectContaining({ required: ["amount", "currency"] })],
    ["active", { title: "Active", type: "boolean" }],
    ["founded", { title: "Founded", type: ["string", "null"], format: "date", formatMinimum: "1800-01-01", formatMaximum: "2100-01-01" }],
    ["lastSeen", { title: "Last seen", type: ["string", "null"], format: "date-time" }],
    ["stage", { title: "Stage", enum: ["lead", "won"] }],
    ["tags", { title: "Tags", type: ["array", "null"], uniqueItems: true, items: { enum: ["lead", "won"] }, maxItems: 1 }],
    ["parent", { title: "Parent", type: ["string", "null"], format: "uuid" }],
    ["children", false],
    ["partners", { title: "Partners", type: ["array", "null"], uniqueItems: true, items: { type: "string", format: "uuid" } }],
    ["number", false],
    ["extra", { title: "Extra" }],
    ["id", false],
    ["createdAt", false],
  ])("maps %s", (key, expected) => {
    expect(properties[key]).toEqual(expected);
  });

  it("closes the object", () => {
    expect(create).toMatchObject({ type: "object", additionalProperties: false, title: "Account" });
  });

  it("create requires required fields without a default, never auto numbers", () => {
    expect(create["required"]).toEqual(["name", "stage"]);
  });

  it("update requires nothing", () => {
    expect(deriveRecordSchema(account, "update")["required"]).toBeUndefined();
  });

  it("optional select accepts null", () => {
    const def = { ...account, fields: [{ ...(fields[15] as FieldDefinition), required: false }] };
    expect((deriveRecordSchema(def, "update")["properties"] as Record<string, unknown>)["stage"]).toEqual({ title: "Stage", enum: ["lead", "won", null] });
  });
});

describe("compileRecordValidator", () => {
  const create = compileRecordValidator(account, "create");
  const update = compileRecordValidator(account, "update");

  it("accepts a full, valid record", () => {
    const record = {
      ...minimal,
      notes: "Long story",
      bio: "<p>Hi</p>",
      code: "ABC",
      email: "a@b.co",
      phone: "+49 (30) 123-456",
      site: "https://acme.example/x",
      employees: 12,
      rating: 99.99,
      share: 12.5,
      revenue: { amount: 123456.78 },
      budget: { amount: -5, currency: "JPY" },
      active: false,
      founded: "1999-12-31",
      lastSeen: "2024-05-01T09:30:00Z",
      tags: ["won"],
      parent: UUID,
      partners: [UUID],
      extra: { anything: [1, null] },
    };
    expect(create(record)).toEqual({ ok: true, value: record });
  });

  it("accepts null for optional fields", () => {
    expect(create({ ...minimal, notes: null, employees: null, revenue: null, tags: null, parent: null, extra: null }).ok).toBe(true);
  });

  it("update accepts a partial record", () => {
    expect(update({ employees: 3 }).ok).toBe(true);
    expect(update({}).ok).toBe(true);
  });

  const bad: Array<[string, Record<string, unknown>, string, string]> = [
    ["missing required field", { stage: "lead" }, "REQUIRED", "/name"],
    ["null in a required field", { ...minimal, name: null }, "REQUIRED", "/name"],
    ["empty required text", { ...minimal, name: "" }, "TOO_SHORT", "/name"],
    ["text too long", { ...minimal, name: "x".repeat(11) }, "TOO_LONG", "/name"],
    ["text of the wrong type", { ...minimal, name: 42 }, "INVALID_TYPE", "/name"],
    ["text too short", { ...minimal, notes: "x" }, "TOO_SHORT", "/notes"],
    ["text against the pattern", { ...minimal, code: "abc" }, "INVALID_FORMAT", "/code"],
    ["bad email", { ...minimal, email: "not-an-email" }, "INVALID_FORMAT", "/email"],
    ["bad phone", { ...minimal, phone: "call me" }, "INVALID_FORMAT", "/phone"],
    ["javascript url", { ...minimal, site: "javascript:alert(1)" }, "INVALID_FORMAT", "/site"],
    ["relative url", { ...minimal, site: "/home" }, "INVALID_FORMAT", "/site"],
    ["integer with a fraction", { ...minimal, employees: 1.5 }, "INVALID_TYPE", "/employees"],
    ["integer below min", { ...minimal, employees: -1 }, "OUT_OF_RANGE", "/employees"],
    ["integer above max", { ...minimal, employees: 1001 }, "OUT_OF_RANGE", "/employees"],
    ["number as a string", { ...minimal, rating: "9.5" }, "INVALID_TYPE", "/rating"],
    ["too many decimals", { ...minimal, rating: 1.234 }, "TOO_MANY_DECIMALS", "/rating"],
    ["too many integer digits", { ...minimal, rating: 100 }, "OUT_OF_RANGE", "/rating"],
    ["tiny fraction", { ...minimal, share: 1e-7 }, "TOO_MANY_DECIMALS", "/share"],
    ["percent above max", { ...minimal, share: 100.5 }, "OUT_OF_RANGE", "/share"],
    ["currency not allowed", { ...minimal, revenue: { amount: 1, currency: "GBP" } }, "NOT_AN_OPTION", "/revenue/currency"],
    ["currency amount missing", { ...minimal, revenue: { currency: "EUR" } }, "REQUIRED", "/revenue/amount"],
    ["currency amount too precise", { ...minimal, revenue: { amount: 1.001 } }, "TOO_MANY_DECIMALS", "/revenue/amount"],
    ["currency amount too large", { ...minimal, revenue: { amount: 1e6 } }, "OUT_OF_RANGE", "/revenue/amount"],
    ["currency extra property", { ...minimal, revenue: { amount: 1, rate: 2 } }, "UNKNOWN_PROPERTY", "/revenue/rate"],
    ["currency code required without a default", { ...minimal, budget: { amount: 1 } }, "REQUIRED", "/budget/currency"],
    ["malformed currency code", { ...minimal, budget: { amount: 1, currency: "usd" } }, "INVALID_FORMAT", "/budget/currency"],
    ["currency as a number", { ...minimal, budget: 5 }, "INVALID_TYPE", "/budget"],
    ["boolean as a string", { ...minimal, active: "yes" }, "INVALID_TYPE", "/active"],
    ["impossible date", { ...minimal, founded: "2023-02-30" }, "INVALID_FORMAT", "/founded"],
    ["date before min", { ...minimal, founded: "1700-01-01" }, "OUT_OF_RANGE", "/founded"],
    ["date-time without zone", { ...minimal, lastSeen: "2024-05-01T09:30:00" }, "INVALID_FORMAT", "/lastSeen"],
    ["unknown option", { ...minimal, stage: "lost" }, "NOT_AN_OPTION", "/stage"],
    ["unknown option in a list", { ...minimal, tags: ["nope"] }, "NOT_AN_OPTION", "/tags/0"],
    ["too many options", { ...minimal, tags: ["lead", "won"] }, "TOO_MANY_ITEMS", "/tags"],
    ["option list as a string", { ...minimal, tags: "lead" }, "INVALID_TYPE", "/tags"],
    ["relation not a uuid", { ...minimal, parent: "1; drop table account" }, "INVALID_FORMAT", "/parent"],
    ["manyToMany with a bad id", { ...minimal, partners: ["x"] }, "INVALID_FORMAT", "/partners/0"],
    ["manyToMany with a repeat", { ...minimal, partners: [UUID, UUID] }, "DUPLICATE_ITEM", "/partners"],
    ["oneToMany written", { ...minimal, children: [UUID] }, "READ_ONLY_FIELD", "/children"],
    ["autoNumber written", { ...minimal, number: 5 }, "READ_ONLY_FIELD", "/number"],
    ["system field id", { ...minimal, id: UUID }, "READ_ONLY_FIELD", "/id"],
    ["system field createdAt", { ...minimal, createdAt: "2024-01-01T00:00:00Z" }, "READ_ONLY_FIELD", "/createdAt"],
    ["system field version", { ...minimal, version: 3 }, "READ_ONLY_FIELD", "/version"],
    ["unknown field", { ...minimal, nmae: "typo" }, "UNKNOWN_FIELD", "/nmae"],
    ["unknown field with a slash", { ...minimal, "a/b": 1 }, "UNKNOWN_FIELD", "/a~1b"],
    ["prototype pollution key", JSON.parse('{"name":"A","stage":"lead","__proto__":{"x":1}}'), "UNKNOWN_FIELD", "/__proto__"],
  ];

  it.each(bad)("refuses %s", (_name, record, code, pointer) => {
    const result = create(record);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.issues).toEqual([{ code, pointer, message: expect.any(String) }]);
  });

  it("refuses a record that is not an object", () => {
    for (const record of [null, [], "x", 1]) {
      expect(create(record)).toMatchObject({ ok: false, issues: [{ code: "INVALID_TYPE", pointer: "" }] });
    }
  });

  it("reports every problem at once, naming fields by label", () => {
    const result = create({ name: "x".repeat(20), stage: "lost", lastSeen: "soon", id: UUID });
    if (result.ok) throw new Error("expected issues");
    expect(result.issues.map((i) => i.pointer).sort()).toEqual(["/id", "/lastSeen", "/name", "/stage"]);
    expect(result.issues.find((i) => i.pointer === "/name")?.message).toBe('"Name" must be at most 10 characters (got 20).');
    expect(result.issues.find((i) => i.pointer === "/lastSeen")?.message).toContain('"Last seen"');
  });

  it("does not require fields with a default or auto numbers on create", () => {
    expect(create(minimal).ok).toBe(true);
  });

  it("update does not require anything but still checks values", () => {
    expect(update({ name: null })).toMatchObject({ ok: false, issues: [{ code: "REQUIRED", pointer: "/name" }] });
  });
});

describe("compileRecordValidator caching", () => {
  it("returns the same function for the same entity version and mode", () => {
    const a = compileRecordValidator(account, "create", 3);
    const b = compileRecordValidator({ ...account }, "create", 3);
    expect(b).toBe(a);
  });

  it("compiles separately per version and per mode", () => {
    const v3 = compileRecordValidator(account, "create", 3);
    expect(compileRecordValidator(account, "create", 4)).not.toBe(v3);
    expect(compileRecordValidator(account, "update", 3)).not.toBe(v3);
  });

  it("caches by definition object when no version is given", () => {
    const def = { ...account };
    expect(compileRecordValidator(def, "update")).toBe(compileRecordValidator(def, "update"));
    expect(compileRecordValidator({ ...account }, "update")).not.toBe(compileRecordValidator(def, "update"));
  });

  it("buildRecordValidator never caches", () => {
    expect(buildRecordValidator(account, "update")).not.toBe(buildRecordValidator(account, "update"));
  });
});

describe("fractionDigits", () => {
  it.each<[number, number]>([
    [0, 0],
    [12, 0],
    [1.5, 1],
    [-1.25, 2],
    [0.1 + 0.2, 17],
    [1e-7, 7],
    [1.5e-7, 8],
    [1e21, 0],
  ])("%s has %s", (n, digits) => {
    expect(fractionDigits(n)).toBe(digits);
  });
});
