import type { EntityDefinition } from "../definition/types.ts";
import { auditedFields, type AuditedField } from "./audited-fields.ts";

/** One field's change in the record history. */
export interface FieldChange {
  old: unknown;
  new: unknown;
}

/** Changed fields by key (as `diffRecords` returns them) or by field id (as history stores them). */
export type RecordChanges = Record<string, FieldChange>;

/** What the history shows instead of a secret field's value. */
export const REDACTED = "[redacted]";

/**
 * The audited changes between two versions of a record in its API JSON shape: the owner and every
 * field whose `audit` is not false; `secret` fields show `"[redacted]"` for any value. A create has
 * `before` null (so `old` is null for every field that has a value), a delete `after` null. Values
 * compare structurally (currency `{ amount, currency }` as a whole); lists (manyToMany ids, multiSelect
 * keys) as sets, an empty list counting as no value (null).
 * @example diffRecords(account, { id, name: "Acme" }, { id, name: "Acme Inc" }) // { name: { old: "Acme", new: "Acme Inc" } }
 */
export function diffRecords(entity: EntityDefinition, before: Record<string, unknown> | null, after: Record<string, unknown> | null): RecordChanges {
  const changes: RecordChanges = {};
  for (const field of auditedFields(entity)) {
    const old = valueOf(field, before);
    const next = valueOf(field, after);
    if (field.list ? sameSet(old, next) : sameJson(old, next)) continue;
    changes[field.key] = { old: redact(field, old), new: redact(field, next) };
  }
  return changes;
}

function valueOf(field: AuditedField, record: Record<string, unknown> | null): unknown {
  const value = record?.[field.key] ?? null;
  return field.list && Array.isArray(value) && value.length === 0 ? null : value;
}

function redact(field: AuditedField, value: unknown): unknown {
  return field.secret && value !== null ? REDACTED : value;
}

function sameSet(a: unknown, b: unknown): boolean {
  if (!Array.isArray(a) || !Array.isArray(b)) return sameJson(a, b);
  const left = new Set(a.map((item) => JSON.stringify(item)));
  const right = new Set(b.map((item) => JSON.stringify(item)));
  return left.size === right.size && [...left].every((item) => right.has(item));
}

/** Equal as JSON values: objects whatever their key order, arrays in order. */
function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((item, i) => sameJson(item, b[i]));
  }
  const left = a as Record<string, unknown>;
  const right = b as Record<string, unknown>;
  const keys = Object.keys(left).filter((k) => left[k] !== undefined);
  return keys.length === Object.keys(right).filter((k) => right[k] !== undefined).length && keys.every((k) => sameJson(left[k], right[k]));
}
