import { labelText, type FieldDefinition, type SelectOption } from "@crm/core";
import type { Schema, SchemaObject } from "./types.ts";

/**
 * ajv keywords (from ajv-formats) that are no JSON Schema 2020-12 vocabulary: renamed to `x-`
 * extensions so OpenAPI tools keep the information and ignore it; the limit is also in the description.
 */
const AJV_ONLY: Record<string, string> = {
  formatMinimum: "x-formatMinimum",
  formatMaximum: "x-formatMaximum",
  formatExclusiveMinimum: "x-formatExclusiveMinimum",
  formatExclusiveMaximum: "x-formatExclusiveMaximum",
};

/**
 * A schema from core's record schemas as OpenAPI 3.1 wants it: no `$schema`, ajv-only keywords
 * renamed to extensions (`x-decimal` already is one).
 * @example toOpenApiSchema({ type: "string", format: "date", formatMinimum: "2020-01-01" })
 * // { type: "string", format: "date", "x-formatMinimum": "2020-01-01" }
 */
export function toOpenApiSchema(schema: Schema): Schema {
  if (typeof schema === "boolean") return schema;
  const out: SchemaObject = {};
  for (const [keyword, value] of Object.entries(schema)) {
    if (keyword === "$schema") continue;
    out[AJV_ONLY[keyword] ?? keyword] = subschemas(keyword, value);
  }
  return out;
}

const SCHEMA_MAPS = new Set(["properties", "patternProperties", "dependentSchemas", "$defs"]);
const SCHEMA_LISTS = new Set(["allOf", "anyOf", "oneOf", "prefixItems"]);
const SCHEMA_VALUED = new Set(["items", "additionalProperties", "not", "if", "then", "else", "contains", "propertyNames", "unevaluatedItems", "unevaluatedProperties"]);

function subschemas(keyword: string, value: unknown): unknown {
  if (SCHEMA_LISTS.has(keyword)) return (value as Schema[]).map(toOpenApiSchema);
  if (SCHEMA_VALUED.has(keyword)) return toOpenApiSchema(value as Schema);
  if (SCHEMA_MAPS.has(keyword)) {
    return Object.fromEntries(Object.entries(value as Record<string, Schema>).map(([k, v]) => [k, toOpenApiSchema(v)]));
  }
  return value;
}

/** `title` and `description` (help, limits, relation target) of a field, to merge into its value schema in a response (`read`) or a request body (`write`). */
export function fieldAnnotations(field: FieldDefinition, use: "read" | "write"): SchemaObject {
  const notes: string[] = [];
  const help = labelText(field.help) || field.description;
  if (help) notes.push(help);
  if ((field.type === "date" || field.type === "datetime") && (field.min || field.max)) {
    notes.push([field.min && `Not before ${field.min}.`, field.max && `Not after ${field.max}.`].filter(Boolean).join(" "));
  }
  if (field.type === "decimal" || field.type === "percent" || field.type === "currency") {
    const precision = field.precision ?? 18;
    const scale = field.scale ?? 2;
    notes.push(`At most ${scale} decimal places and ${precision - scale} digits before the point.`);
  }
  if (field.type === "relation") notes.push(use === "read" ? relationReadNote(field) : relationWriteNote(field));
  return { title: labelText(field.label, field.key), ...(notes.length ? { description: notes.join(" ") } : {}) };
}

function relationReadNote(field: FieldDefinition & { type: "relation" }): string {
  if (field.relation === "manyToOne") return `The id of a record of \`${field.target}\`; the record itself when \`expand\` names this field.`;
  if (field.relation === "manyToMany") return `Ids of records of \`${field.target}\`; the records themselves when \`expand\` names this field.`;
  return `The records of \`${field.target}\` that point here; present only when \`expand\` names this field.`;
}

function relationWriteNote(field: FieldDefinition & { type: "relation" }): string {
  return field.relation === "manyToOne" ? `The id of a record of \`${field.target}\`.` : `Ids of records of \`${field.target}\`.`;
}

/** `{ optionKey: "English label" }` for documentation tools (`x-enum-descriptions`). */
export function optionDescriptions(options: SelectOption[]): Record<string, string> {
  return Object.fromEntries(options.map((o) => [o.key, labelText(o.label, o.key)]));
}
