import fc from "fast-check";
import type { EntityDefinition, FieldDefinition } from "@crm/core";
import { anyJson, anyJsonOrHeavy, anyNumber, anyString, hugeString, NASTY_KEYS, RawJson } from "./json-values.ts";

/** Record ids known to exist (or to have existed) per entity key, for relations and for `/{id}` routes. */
export type IdPool = Map<string, string[]>;

const SYSTEM_KEYS = ["id", "createdAt", "updatedAt", "createdBy", "updatedBy", "version"] as const;

/** Fields a client may write: everything except one-to-many relations and auto numbers. */
export function writableFields(entity: EntityDefinition): FieldDefinition[] {
  return entity.fields.filter((f) => f.type !== "autoNumber" && !(f.type === "relation" && f.relation === "oneToMany"));
}

function ids(pool: IdPool, entity: string): string[] {
  return pool.get(entity) ?? [];
}

function textLimit(field: FieldDefinition): number {
  return Math.min("maxLength" in field && field.maxLength !== undefined ? field.maxLength : 60, 60);
}

/** A value the field's validator accepts (and the database should store). */
export function validValue(field: FieldDefinition, pool: IdPool): fc.Arbitrary<unknown> {
  switch (field.type) {
    case "text":
    case "longText":
    case "richText": {
      const max = textLimit(field);
      return fc.oneof(fc.string({ unit: "grapheme", minLength: 1, maxLength: max }), anyString(max).filter((s) => s.length >= 1 && s.length <= max));
    }
    case "email":
      return fc.emailAddress().filter((s) => s.length <= textLimit(field) && !s.includes(".."));
    case "phone":
      return fc.stringMatching(/^\+?[0-9 ()./-]{3,30}$/);
    case "url":
      return fc.webUrl({ validSchemes: ["https", "http"] }).filter((s) => s.length <= textLimit(field));
    case "integer":
      return fc.integer({ min: field.min ?? -(2 ** 31), max: field.max ?? 2 ** 31 });
    case "decimal":
    case "percent":
      return fc.integer({ min: Math.ceil((field.min ?? -1e9) * 100), max: Math.floor((field.max ?? 1e9) * 100) }).map((n) => n / 100);
    case "currency":
      return fc.record(
        { amount: fc.integer({ min: Math.ceil((field.min ?? -1e9) * 100), max: Math.floor((field.max ?? 1e9) * 100) }).map((n) => n / 100), currency: fc.constantFrom(...(field.currencies ?? ["USD", "EUR", "CNY", "JPY"])) },
        { requiredKeys: field.defaultCurrency ? ["amount"] : ["amount", "currency"] },
      );
    case "boolean":
      return fc.boolean();
    case "date":
      return fc.date({ min: new Date("1900-01-01"), max: new Date("2100-12-31"), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));
    case "datetime":
      return fc.date({ min: new Date("1900-01-01"), max: new Date("2100-12-31"), noInvalidDate: true }).map((d) => d.toISOString());
    case "select":
      return fc.constantFrom(...field.options.map((o) => o.key));
    case "multiSelect":
      return fc.subarray(field.options.map((o) => o.key), { minLength: field.required ? 1 : 0 });
    case "relation": {
      const targets = ids(pool, field.target);
      if (field.relation === "manyToOne") return targets.length ? fc.constantFrom(...targets) : fc.constant(null);
      return fc.subarray(targets.slice(0, 20), { maxLength: 3 });
    }
    case "autoNumber":
      return fc.constant(undefined);
    case "json":
      return anyJson(2).filter((v) => v !== null || !field.required);
  }
}

/** A value of the wrong type, out of range, malformed, or a reference to nothing: one mutation. */
export function wrongValue(field: FieldDefinition, pool: IdPool): fc.Arbitrary<unknown> {
  const generic = anyJsonOrHeavy();
  const specific = ((): fc.Arbitrary<unknown> => {
    switch (field.type) {
      case "text":
      case "longText":
      case "richText":
      case "email":
      case "phone":
      case "url":
        return fc.oneof(
          fc.constant("x".repeat(("maxLength" in field && field.maxLength !== undefined ? field.maxLength : 255) + 1)),
          hugeString(),
          fc.constantFrom("", "not an email", "@", "a@", "ftp://x", "javascript:alert(1)", "https://", "+", "12"),
          anyNumber(),
        );
      case "integer":
        return fc.oneof(
          fc.constantFrom((field.min ?? 0) - 1, (field.max ?? 2 ** 53) + 1, 1.5, 2 ** 53, -(2 ** 53), "12"),
          anyNumber(),
        );
      case "decimal":
      case "percent":
        return fc.oneof(fc.constantFrom(1.234, 0.001, 1e17, -1e17, (field.min ?? 0) - 1, (field.max ?? 1e18) + 1, "1.5"), anyNumber());
      case "currency":
        return fc.oneof(
          anyNumber().map((n) => ({ amount: n })),
          fc.constantFrom({}, { currency: "USD" }, { amount: 1, currency: "usd" }, { amount: 1, currency: "XXXX" }, { amount: "1", currency: "USD" }, { amount: 1, currency: "USD", extra: true }, { amount: 1.005 }, { amount: -1 }),
          anyNumber(),
        );
      case "boolean":
        return fc.constantFrom("true", "false", 0, 1, "yes", "");
      case "date":
      case "datetime":
        return fc.oneof(
          fc.constantFrom("2024-02-30", "2023-02-29", "2024-1-1", "0000-01-01", "-0001-01-01", "99999-01-01", "2024-01-01T00:00:00", "2024-01-01 00:00:00Z", "2024-06-30T23:59:60Z", "2024-01-01T24:00:00Z", "1970-01-01T00:00:00+24:00", "0001-01-01T00:00:00Z", "0001-01-01", "4713-01-01", "294277-01-01T00:00:00Z", "now", "infinity", "-infinity", "epoch", "allballs"),
          fc.date({ noInvalidDate: true }).map((d) => (field.type === "date" ? d.toISOString() : d.toISOString().slice(0, 10))),
          anyNumber(),
        );
      case "select":
        return fc.constantFrom(...field.options.map((o) => o.key.toUpperCase()), "", "nope", ["a"]);
      case "multiSelect": {
        const first = field.options[0]?.key ?? "x";
        return fc.constantFrom([first, first], [first.toUpperCase()], "a", [null], [[first]], []);
      }
      case "relation": {
        const others = [...pool.entries()].filter(([key]) => key !== field.target).flatMap(([, list]) => list.slice(0, 3));
        const uuid = fc.oneof(fc.uuid(), fc.constantFrom("00000000-0000-0000-0000-000000000000", "not-a-uuid", "", ...others));
        return field.relation === "manyToOne"
          ? fc.oneof(uuid, uuid.map((id) => [id]), uuid.map((id) => ({ id })))
          : fc.oneof(fc.array(uuid, { maxLength: 3 }), uuid, fc.constant(ids(pool, field.target).slice(0, 1).concat(ids(pool, field.target).slice(0, 1))));
      }
      case "autoNumber":
        return fc.constantFrom("X-1", 1, null);
      case "json":
        return fc.oneof(fc.constant(null), anyJsonOrHeavy());
    }
  })();
  return fc.oneof(specific, generic);
}

export type RecordBody = Record<string, unknown>;

/** A record with each optional field present half of the time, required ones always. */
function baseRecord(entity: EntityDefinition, pool: IdPool, mode: "create" | "update"): fc.Arbitrary<RecordBody> {
  const fields = writableFields(entity);
  const entries = fields.map((field) => {
    const entry = validValue(field, pool).map((value) => [field.key, value] as const);
    const always = mode === "create" && field.required && !("default" in field && field.default !== undefined);
    if (always) return entry;
    return fc.oneof({ weight: mode === "create" ? 1 : 5, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: entry });
  });
  return fc.tuple(...entries).map((pairs) => Object.fromEntries(pairs.filter((p) => p !== undefined && p[1] !== undefined) as Array<readonly [string, unknown]>));
}

type Mutation = (record: RecordBody) => RecordBody;

function mutations(entity: EntityDefinition, pool: IdPool): fc.Arbitrary<Mutation> {
  const fields = writableFields(entity);
  const readOnly = entity.fields.filter((f) => !fields.includes(f)).map((f) => f.key);
  const set = (key: string, value: unknown): Mutation => (record) => withKey(record, key, value);
  return fc.oneof(
    { weight: 3, arbitrary: fc.constant<Mutation>((r) => r) },
    { weight: 6, arbitrary: fc.constantFrom(...fields).chain((field) => wrongValue(field, pool).map((value) => set(field.key, value))) },
    { weight: 1, arbitrary: fc.tuple(fc.constantFrom(...SYSTEM_KEYS, ...readOnly, ...NASTY_KEYS), anyJson(1)).map(([key, value]) => set(key, value)) },
    { weight: 1, arbitrary: fc.constantFrom(...fields.map((f) => f.key)).map((key): Mutation => (r) => Object.fromEntries(Object.entries(r).filter(([k]) => k !== key))) },
    { weight: 1, arbitrary: fc.constantFrom(...fields.filter((f) => !f.required).map((f) => f.key), "name").map((key) => set(key, null)) },
  );
}

/** Set a key as an own enumerable property, even `__proto__`. */
function withKey(record: RecordBody, key: string, value: unknown): RecordBody {
  const copy = { ...record };
  Object.defineProperty(copy, key, { value, enumerable: true, writable: true, configurable: true });
  return copy;
}

/**
 * "Almost valid" records: valid by the entity's definition, then (mostly) one mutation: a field with
 * a wrong value, a system or unknown key, a dropped field, a null. They reach validation, coercion
 * and the database, where pure noise stops at the first type check.
 */
export function almostValidRecord(entity: EntityDefinition, pool: IdPool, mode: "create" | "update"): fc.Arbitrary<RecordBody> {
  return fc.tuple(baseRecord(entity, pool, mode), mutations(entity, pool)).map(([record, mutate]) => mutate(record));
}

/** A body for POST: one record, a batch, noise, or a raw token. */
export function createBody(entity: EntityDefinition, pool: IdPool): fc.Arbitrary<unknown> {
  const record = almostValidRecord(entity, pool, "create");
  return fc.oneof(
    { weight: 10, arbitrary: record },
    { weight: 3, arbitrary: fc.array(record, { minLength: 1, maxLength: 4 }) },
    { weight: 1, arbitrary: fc.constantFrom([], {}) },
    { weight: 2, arbitrary: anyJsonOrHeavy() },
    { weight: 1, arbitrary: fc.constant(new RawJson("[" + "{},".repeat(500) + "{}]")) },
  );
}
