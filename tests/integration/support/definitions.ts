import type { EntityDefinition, FieldDefinition } from "@crm/core";

/** A small entity for tests, with the given fields; ids derive from keys unless given. */
export function entity(key: string, fields: Array<Partial<FieldDefinition> & { key: string; type: FieldDefinition["type"] }>, extra: Partial<EntityDefinition> = {}): EntityDefinition {
  return {
    id: `t-${key.toLowerCase()}`,
    key,
    label: { en: key },
    fields: fields.map((f) => ({ id: `t-${key.toLowerCase()}-${f.key.toLowerCase()}`, label: { en: f.key }, ...f }) as FieldDefinition),
    ...extra,
  };
}

/** One field of every type (relations point at `target`). */
export function everyFieldType(target: string): Array<Partial<FieldDefinition> & { key: string; type: FieldDefinition["type"] }> {
  return [
    { key: "title", type: "text", maxLength: 80, required: true },
    { key: "notes", type: "longText" },
    { key: "body", type: "richText" },
    { key: "quantity", type: "integer", min: 0 },
    { key: "weight", type: "decimal", precision: 10, scale: 3 },
    { key: "price", type: "currency", defaultCurrency: "EUR" },
    { key: "discount", type: "percent" },
    { key: "active", type: "boolean", default: true },
    { key: "startsOn", type: "date" },
    { key: "startsAt", type: "datetime" },
    { key: "email", type: "email", indexed: true },
    { key: "phone", type: "phone" },
    { key: "website", type: "url" },
    { key: "stage", type: "select", options: [{ key: "new", label: { en: "New" } }, { key: "done", label: { en: "Done" } }] },
    { key: "tags", type: "multiSelect", options: [{ key: "a", label: { en: "A" } }, { key: "b", label: { en: "B" } }] },
    { key: "parent", type: "relation", relation: "manyToOne", target, onDelete: "setNull" },
    { key: "related", type: "relation", relation: "manyToMany", target },
    { key: "number", type: "autoNumber", prefix: "T-", digits: 5 },
    { key: "extra", type: "json" },
  ] as Array<Partial<FieldDefinition> & { key: string; type: FieldDefinition["type"] }>;
}
