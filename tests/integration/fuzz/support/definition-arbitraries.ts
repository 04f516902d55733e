import fc from "fast-check";
import type { EntityDefinition } from "@crm/core";
import { anyJson, anyNumber, anyString } from "./json-values.ts";

const FIELD_TYPES = ["text", "longText", "richText", "integer", "decimal", "currency", "percent", "boolean", "date", "datetime", "email", "phone", "url", "select", "multiSelect", "relation", "autoNumber", "json"] as const;
const ENTITY_PROPS = ["id", "key", "label", "label", "pluralLabel", "description", "displayField", "icon", "fields", "uniques", "indexes", "extra"] as const;
const FIELD_PROPS = ["id", "key", "label", "type", "required", "unique", "indexed", "default", "maxLength", "minLength", "pattern", "min", "max", "precision", "scale", "options", "relation", "target", "onDelete", "inverse", "prefix", "digits", "currencies", "defaultCurrency", "minItems", "maxItems", "help", "bogus"] as const;
const KEYS = ["name", "Name", "a", "fz1", "fz2", "select", "user", "id", "createdAt", "a_b", "a b", "x".repeat(31), "客户", "", "__proto__", "constructor"] as const;

/** A value for a definition property: usually plausible for the property, sometimes anything. */
function propValue(prop: string): fc.Arbitrary<unknown> {
  const plausible: Record<string, fc.Arbitrary<unknown>> = {
    id: fc.constantFrom("fz-1", "account-name", "", "A", "a".repeat(41), "x y"),
    key: fc.constantFrom(...KEYS),
    label: fc.oneof(fc.constantFrom({ en: "Label" }, {}, { "": "x" }, { en: 5 }, { en: null }, { en: "" }, { en: ["x"] }, ["Label"], "Label"), fc.dictionary(anyString(5), anyString(10), { maxKeys: 2 })),
    type: fc.constantFrom(...FIELD_TYPES, "string", "TEXT"),
    default: fc.oneof(anyJson(1), fc.constantFrom("now", "prospect", "2024-02-30")),
    pattern: fc.constantFrom("^a+$", "(", "^(a+)+$", "[", "\\", "(?<x>a)\\k<y>", ".*", "\\p{L}", "a{2,1}"),
    options: fc.oneof(
      fc.constant([]),
      fc.constant([{ key: "a", label: { en: "A" } }, { key: "a", label: { en: "A again" } }]),
      fc.array(fc.record({ key: fc.constantFrom(...KEYS, "new_option", "Bad-Key"), label: fc.constant({ en: "x" }), color: fc.constantFrom("#ff0000", "red", "#fff") }, { requiredKeys: ["key", "label"] }), { maxLength: 3 }),
    ),
    relation: fc.constantFrom("manyToOne", "oneToMany", "manyToMany", "oneToOne"),
    target: fc.constantFrom("account", "contact", "nope", "opportunity", "", "__proto__"),
    onDelete: fc.constantFrom("restrict", "setNull", "cascade", "noAction"),
    inverse: fc.constantFrom("account", "nope", "contacts"),
    currencies: fc.constantFrom(["USD"], ["usd"], [], ["USD", "USD"], "USD"),
    defaultCurrency: fc.constantFrom("USD", "EUR", "usd", "", "XXXX"),
    fields: fc.constantFrom([], {}, null, "fields"),
    uniques: fc.constantFrom([], [{ id: "u1", fields: ["name"] }], [{ id: "u1", fields: ["nope"] }], [{ id: "u1", fields: [] }], [{ id: "u1", fields: ["name", "name"] }]),
    indexes: fc.constantFrom([], [{ id: "i1", fields: ["name"] }], [{ id: "i1", fields: ["nope", "name"] }]),
    displayField: fc.constantFrom("name", "nope", "contacts", ""),
  };
  const numeric = ["maxLength", "minLength", "min", "max", "precision", "scale", "digits", "minItems", "maxItems"];
  const specific = plausible[prop] ?? (numeric.includes(prop) ? fc.oneof(fc.constantFrom(0, 1, -1, 2, 18, 38, 39, 1e6, 1.5, 2 ** 53), anyNumber()) : fc.boolean());
  return fc.oneof({ weight: 4, arbitrary: specific }, { weight: 1, arbitrary: anyJson(2) });
}

type Definition = Record<string, unknown> & { fields?: unknown };
type Mutation = (definition: Definition) => void;

function fieldsOf(definition: Definition): Array<Record<string, unknown>> {
  return Array.isArray(definition.fields) ? (definition.fields as Array<Record<string, unknown>>) : [];
}

function atField(index: number, fn: (field: Record<string, unknown>, fields: Array<Record<string, unknown>>, i: number) => void): Mutation {
  return (definition) => {
    const fields = fieldsOf(definition);
    if (fields.length) fn(fields[index % fields.length]!, fields, index % fields.length);
  };
}

function mutation(): fc.Arbitrary<Mutation> {
  const field = fc.nat();
  return fc.oneof(
    fc.constantFrom(...ENTITY_PROPS).chain((prop) => propValue(prop).map((value): Mutation => (d) => void Object.defineProperty(d, prop, { value, enumerable: true, writable: true, configurable: true }))),
    fc.tuple(field, fc.constantFrom(...FIELD_PROPS)).chain(([i, prop]) => propValue(prop).map((value) => atField(i, (f) => void Object.defineProperty(f, prop, { value, enumerable: true, writable: true, configurable: true })))),
    fc.tuple(field, fc.constantFrom(...FIELD_TYPES)).map(([i, type]) => atField(i, (f) => void (f.type = type))),
    field.map((i) => atField(i, (_f, fields, at) => void fields.splice(at, 1))),
    field.map((i) => atField(i, (f, fields) => void fields.push({ ...f }))),
    field.map((i) => atField(i, (f, fields) => void fields.push({ ...f, id: `fz-${(f.id as string) ?? "x"}`, key: `fz${String(f.key ?? "x").slice(0, 20)}` }))),
    fc.tuple(field, fc.constantFrom(...KEYS)).map(([i, key]) => atField(i, (f) => void (f.key = key))),
    fc.tuple(field, fc.constantFrom("label", "id", "type", "key", "options", "target", "relation")).map(([i, prop]) => atField(i, (f) => void delete f[prop])),
    fc.tuple(field, fc.constantFrom(1, 2, 5)).map(([i, n]) => atField(i, (f) => void (f.maxLength = n))),
    field.map((i) => atField(i, (f) => void Object.assign(f, { required: true, unique: true }))),
    fc.tuple(field, fc.constantFrom(...FIELD_TYPES)).chain(([i, type]) =>
      fc.dictionary(fc.constantFrom(...FIELD_PROPS), anyJson(1), { maxKeys: 3 }).map((extra) => (d: Definition) => {
        const fields = fieldsOf(d);
        fields.push({ id: `fz-new-${i % 50}`, key: `fzNew${i % 50}`, label: { en: "New" }, type, ...extra });
      }),
    ),
  );
}

/** A shipped definition with one to three mutations: type changes, removed or duplicated fields, odd properties. */
export function mutatedDefinition(definitions: EntityDefinition[]): fc.Arbitrary<Definition> {
  return fc.constantFrom(...definitions).chain((definition) => mutationsOf(definition));
}

/** One definition with one to three mutations. */
export function mutationsOf(definition: EntityDefinition): fc.Arbitrary<Definition> {
  return fc.array(mutation(), { minLength: 1, maxLength: 3 }).map((mutations) => {
    const copy = structuredClone(definition) as unknown as Definition;
    for (const mutate of mutations) mutate(copy);
    return copy;
  });
}

/** `confirm` lists and `conversions` maps, plausible or junk. */
export function confirmList(): fc.Arbitrary<unknown> {
  return fc.oneof({ weight: 4, arbitrary: fc.constant(undefined) }, { weight: 2, arbitrary: fc.array(fc.constantFrom("step-1", "drop:name", "", "*", "__proto__"), { maxLength: 3 }) }, { weight: 1, arbitrary: anyJson(1) });
}

export function conversions(definitions: EntityDefinition[]): fc.Arbitrary<unknown> {
  const fieldIds = definitions.flatMap((d) => d.fields.slice(0, 4).map((f) => f.id));
  const valueMap = fc.dictionary(fc.constantFrom("a", "prospect", "", "__proto__", "technology"), fc.constantFrom<string | null>("a", null, "other", "b"), { maxKeys: 3 });
  return fc.oneof(
    { weight: 4, arbitrary: fc.constant(undefined) },
    {
      weight: 2,
      arbitrary: fc.dictionary(fc.constantFrom(...fieldIds, "nope", "__proto__"), fc.oneof(valueMap.map((m) => ({ valueMap: m })), fc.constantFrom(null, 1, "x", [], { valueMap: 5 }, { valueMap: null }, { valueMap: [] }, { valueMap: { a: 1 } })), { maxKeys: 2 }),
    },
    { weight: 1, arbitrary: anyJson(1) },
  );
}
