import { OWNER_COLUMN } from "../access/scope-predicate.ts";
import type { EntityDefinition, FieldDefinition } from "../definition/types.ts";

/** A value of record JSON whose changes the record history keeps. */
export interface AuditedField {
  /** Its key in record JSON. */
  key: string;
  /** Its stable id, under which history stores it, so a renamed field keeps its history. */
  id: string;
  /** Shown as `"[redacted]"`. */
  secret: boolean;
  /** A set (manyToMany ids, multiSelect keys): order does not matter and an empty list is no value. */
  list: boolean;
}

/** The owner is a system field without a field id; its history is stored under its key, which no field id can be (ids have no capitals). */
const OWNER: AuditedField = Object.freeze({ key: OWNER_COLUMN, id: OWNER_COLUMN, secret: false, list: false });

const cache = new WeakMap<EntityDefinition, readonly AuditedField[]>();

function isList(field: FieldDefinition): boolean {
  return field.type === "multiSelect" || (field.type === "relation" && field.relation === "manyToMany");
}

/**
 * The owner, then every field with a value in record JSON (not oneToMany) whose `audit` is not false.
 * @example auditedFields(account).map((f) => f.key) // ["ownerId", "name", …]
 */
export function auditedFields(entity: EntityDefinition): readonly AuditedField[] {
  let fields = cache.get(entity);
  if (!fields) {
    const own = entity.fields
      .filter((f) => f.audit !== false && !(f.type === "relation" && f.relation === "oneToMany"))
      .map((f) => ({ key: f.key, id: f.id, secret: f.secret === true, list: isList(f) }));
    fields = [OWNER, ...own];
    cache.set(entity, fields);
  }
  return fields;
}

/**
 * Field keys of the ids under which history stores changes: every field of the definition (audited
 * or not now; it may have been once) and the owner. Ids of deleted fields are absent.
 * @example historyKeys(account).get("f-name") // "name"
 */
export function historyKeys(entity: EntityDefinition): ReadonlyMap<string, string> {
  return new Map([[OWNER.id, OWNER.key], ...entity.fields.map((f): [string, string] => [f.id, f.key])]);
}
