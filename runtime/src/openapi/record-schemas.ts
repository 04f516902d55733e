import { deriveRecordSchema, labelText, OWNER_FIELD, type EntityDefinition, type FieldDefinition, type WriteMode } from "@crm/core";
import { fieldAnnotations, optionDescriptions, toOpenApiSchema } from "./field-annotations.ts";
import type { EntitySchemaNames } from "./schema-names.ts";
import { ref, type Schema, type SchemaObject } from "./types.ts";

/** Finds the component names of a related entity, or undefined when it is not live. */
export type NamesOf = (entityKey: string) => EntitySchemaNames | undefined;

const UUID = { type: "string", format: "uuid" } as const;

const SYSTEM_PROPERTIES: Record<string, SchemaObject> = {
  id: { ...UUID, readOnly: true, description: "Generated on creation; never changes." },
  createdAt: { type: "string", format: "date-time", readOnly: true },
  updatedAt: { type: "string", format: "date-time", readOnly: true },
  createdBy: { type: ["string", "null"], format: "uuid", readOnly: true },
  updatedBy: { type: ["string", "null"], format: "uuid", readOnly: true },
  version: { type: "integer", minimum: 1, readOnly: true, description: "Grows with each change; the record's ETag." },
  ownerId: { type: ["string", "null"], format: "uuid", description: "The user who owns the record; record scopes (own, team, department) are decided on it. Changing it needs the transfer permission." },
};

/**
 * The `<Entity>` schema: a record as responses show it (record-json.ts), system fields first. Every
 * field may be `null` except many-to-many lists; `fields=` may leave fields out, so only the system
 * fields are required.
 */
export function recordSchema(def: EntityDefinition, namesOf: NamesOf): SchemaObject {
  const properties: Record<string, Schema> = { ...SYSTEM_PROPERTIES };
  for (const field of def.fields) properties[field.key] = { ...fieldAnnotations(field, "read"), ...readValueSchema(field, namesOf) };
  return {
    title: labelText(def.label, def.key),
    ...(def.description ? { description: def.description } : {}),
    type: "object",
    required: Object.keys(SYSTEM_PROPERTIES),
    properties,
  };
}

function readValueSchema(field: FieldDefinition, namesOf: NamesOf): SchemaObject {
  switch (field.type) {
    case "text":
    case "longText":
    case "richText":
    case "phone":
      return { type: ["string", "null"] };
    case "email":
      return { type: ["string", "null"], format: "email" };
    case "url":
      return { type: ["string", "null"], format: "uri" };
    case "autoNumber":
      return { type: ["string", "null"], readOnly: true };
    case "integer":
      return { type: ["integer", "null"] };
    case "decimal":
    case "percent":
      return { type: ["number", "null"] };
    case "currency":
      return {
        type: ["object", "null"],
        required: ["amount", "currency"],
        properties: { amount: { type: "number" }, currency: { type: "string", pattern: "^[A-Z]{3}$" } },
      };
    case "boolean":
      return { type: ["boolean", "null"] };
    case "date":
      return { type: ["string", "null"], format: "date" };
    case "datetime":
      return { type: ["string", "null"], format: "date-time" };
    case "select":
      return { enum: [...new Set(field.options.map((o) => o.key)), null], "x-enum-descriptions": optionDescriptions(field.options) };
    case "multiSelect":
      return { type: ["array", "null"], items: { enum: [...new Set(field.options.map((o) => o.key))], "x-enum-descriptions": optionDescriptions(field.options) } };
    case "relation": {
      const target = namesOf(field.target);
      const expanded = target ? ref("schemas", target.record) : { type: "object" };
      if (field.relation === "manyToOne") return { anyOf: [UUID, expanded, { type: "null" }] };
      if (field.relation === "manyToMany") return { type: "array", items: { anyOf: [UUID, expanded] } };
      return { type: "array", items: expanded };
    }
    case "json":
      return {};
  }
}

const OWNER_WRITE_NOTE: Record<WriteMode, string> = {
  create: "The owner; the caller when left out (no one for a role token). Giving the record to someone else needs the transfer permission and an active user within the caller's update scope (403 `FIELDS_NOT_WRITABLE`, 422 `INVALID_REFERENCE`).",
  update: "A new owner: needs the transfer permission and an active user within the caller's update scope (403 `FIELDS_NOT_WRITABLE`, 422 `INVALID_REFERENCE`).",
};

/**
 * The `<Entity>Create` / `<Entity>Update` schema: core's record write schema (the one the API
 * validates with), with descriptions and option labels, the writable `ownerId` first, and without the
 * `false` entries for read-only keys (`additionalProperties: false` refuses those anyway).
 */
export function writeSchema(def: EntityDefinition, mode: WriteMode): SchemaObject {
  const derived = deriveRecordSchema(def, mode) as { properties: Record<string, Schema>; required?: string[] };
  const properties: Record<string, Schema> = { [OWNER_FIELD]: { ...(derived.properties[OWNER_FIELD] as SchemaObject), description: OWNER_WRITE_NOTE[mode] } };
  for (const field of def.fields) {
    const schema = derived.properties[field.key];
    if (schema === undefined || typeof schema === "boolean") continue;
    properties[field.key] = { ...(toOpenApiSchema(schema) as SchemaObject), ...fieldAnnotations(field, "write"), ...optionsOf(field, schema) };
  }
  const label = labelText(def.label, def.key);
  return {
    title: mode === "create" ? `New ${label}` : `${label} changes`,
    description:
      mode === "create"
        ? `The fields of a new ${label}. Fields not listed in \`required\` may be omitted or \`null\`; omitted fields take their default.`
        : `Only the fields to change; \`null\` clears an optional field.`,
    type: "object",
    properties,
    ...(derived.required?.length ? { required: derived.required } : {}),
    additionalProperties: false,
  };
}

/** Option labels beside the keys: on the value for a select, on `items` for a multi-select. */
function optionsOf(field: FieldDefinition, schema: SchemaObject): SchemaObject {
  if (field.type === "select") return { "x-enum-descriptions": optionDescriptions(field.options) };
  if (field.type === "multiSelect") {
    return { items: { ...(schema["items"] as SchemaObject), "x-enum-descriptions": optionDescriptions(field.options) } };
  }
  return {};
}

/** One element of a batch update: an id, an optional expected version, and the changes. */
export function batchUpdateItemSchema(def: EntityDefinition, updateName: string, update: SchemaObject): SchemaObject {
  return {
    title: `${labelText(def.label, def.key)} batch change`,
    description: `An \`id\`, optionally the \`version\` it was read at (a different current version fails the whole batch with 412), and the changes, as in \`${updateName}\`.`,
    type: "object",
    required: ["id"],
    properties: { id: UUID, version: { type: "integer", minimum: 1 }, ...(update["properties"] as Record<string, Schema>) },
    additionalProperties: false,
  };
}
