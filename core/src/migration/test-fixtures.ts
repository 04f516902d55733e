import type { EntityDefinition, FieldDefinition } from "../definition/types.ts";

/**
 * Compact builders for test definitions (used by the migration tests only).
 * @example field("integer", { key: "qty" }) // { id: "f-qty", key: "qty", label: { en: "Qty" }, type: "integer" }
 */
export function field(type: FieldDefinition["type"], extra: { key: string } & Record<string, unknown>): FieldDefinition {
  const label = extra.key.charAt(0).toUpperCase() + extra.key.slice(1);
  const base = { id: `f-${extra.key}`, label: { en: label }, type, ...(type === "select" || type === "multiSelect" ? { options: options("a", "b", "c") } : {}) };
  return { ...base, ...extra } as FieldDefinition;
}

export function options(...keys: string[]) {
  return keys.map((key) => ({ key, label: { en: key.toUpperCase() } }));
}

export function entity(key: string, fields: FieldDefinition[], extra: Partial<EntityDefinition> = {}): EntityDefinition {
  return { id: `e-${key}`, key, label: { en: key.charAt(0).toUpperCase() + key.slice(1) }, fields, ...extra };
}

/** Replace fields (matched by id) in an entity, keeping the others. */
export function withFields(base: EntityDefinition, ...changed: FieldDefinition[]): EntityDefinition {
  return { ...base, fields: base.fields.map((f) => changed.find((c) => c.id === f.id) ?? f) };
}
