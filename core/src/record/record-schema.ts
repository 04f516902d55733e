import { isWritable, labelText } from "../definition/field-traits.ts";
import { OWNER_FIELD, READ_ONLY_SYSTEM_FIELDS } from "../definition/types.ts";
import type { EntityDefinition, FieldDefinition } from "../definition/types.ts";
import { fieldValueSchema } from "./field-value-schema.ts";
import type { JsonSchema } from "./field-value-schema.ts";

/** `create` requires every required field without a default; `update` is a partial write. */
export type WriteMode = "create" | "update";

/**
 * The JSON Schema (2020-12) of a record write for an entity: an object keyed by field key.
 * Read-only system fields (`id`, `createdAt`…), one-to-many relations and auto numbers are present as `false`
 * schemas, so writing them is refused with a pointer; any other unknown key is refused by
 * `additionalProperties: false`. Decimal limits use the `x-decimal` keyword (see `decimalKeyword`).
 *
 * @example
 * deriveRecordSchema(account, "create");
 * // { type: "object", additionalProperties: false, required: ["name"],
 * //   properties: { id: false, …, name: { title: "Name", type: "string", minLength: 1 } } }
 */
export function deriveRecordSchema(def: EntityDefinition, mode: WriteMode): { [keyword: string]: unknown } {
  const properties: Record<string, JsonSchema> = {};
  for (const name of READ_ONLY_SYSTEM_FIELDS) properties[name] = false;
  // Who owns the record; whether the caller may set it is the access layer's decision (transfer).
  properties[OWNER_FIELD] = { title: "Owner", type: ["string", "null"], format: "uuid" };
  for (const field of def.fields) properties[field.key] = fieldValueSchema(field);
  const required = mode === "create" ? def.fields.filter(mustBeGiven).map((f) => f.key) : [];
  return {
    $schema: "https://json-schema.org/draft/2020-12/schema",
    title: labelText(def.label, def.key),
    type: "object",
    properties,
    ...(required.length > 0 ? { required } : {}),
    additionalProperties: false,
  };
}

function mustBeGiven(field: FieldDefinition): boolean {
  return field.required === true && isWritable(field) && !("default" in field && field.default !== undefined);
}
