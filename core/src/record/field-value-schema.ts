import { decimalLimits, isWritable, labelText } from "../definition/field-traits.ts";
import type { FieldDefinition, TextLikeField } from "../definition/types.ts";

/** A JSON Schema (2020-12) document or subschema, as plain data. */
export type JsonSchema = { [keyword: string]: unknown } | boolean;
type SchemaObject = { [keyword: string]: unknown };

/** Plausible phone numbers: digits with the usual separators, optionally international. */
export const PHONE_PATTERN = "^\\+?[0-9 ()./-]{3,30}$";
/** Only web addresses: `javascript:`, `data:` and friends are refused. */
export const WEB_URL_PATTERN = "^[hH][tT][tT][pP][sS]?://";
/** ISO 4217 currency codes, for currency fields that do not list their currencies. */
export const CURRENCY_PATTERN = "^[A-Z]{3}$";

/**
 * The JSON Schema of one field's value in a record write, or `false` for fields clients cannot
 * write. Optional fields also accept `null`; required ones must not be empty.
 *
 * @example
 * fieldValueSchema({ id: "n", key: "name", label: { en: "Name" }, type: "text", maxLength: 80 })
 * // { title: "Name", type: "string", maxLength: 80 }   (plus `minLength`/`null` by `required`)
 */
export function fieldValueSchema(field: FieldDefinition): JsonSchema {
  if (!isWritable(field)) return false;
  const schema: SchemaObject = { title: labelText(field.label, field.key), ...valueSchema(field) };
  if (!field.required) return allowNull(schema);
  return schema;
}

function allowNull(schema: SchemaObject): SchemaObject {
  if (Array.isArray(schema["enum"])) return { ...schema, enum: [...schema["enum"], null] };
  if (typeof schema["type"] === "string") return { ...schema, type: [schema["type"], "null"] };
  return schema;
}

function compact(schema: SchemaObject): SchemaObject {
  return Object.fromEntries(Object.entries(schema).filter(([, v]) => v !== undefined));
}

function valueSchema(field: FieldDefinition): SchemaObject {
  switch (field.type) {
    case "text":
    case "longText":
    case "richText":
    case "email":
    case "phone":
    case "url":
      return textSchema(field);
    case "integer":
      return compact({
        type: "integer",
        minimum: Math.max(field.min ?? Number.MIN_SAFE_INTEGER, Number.MIN_SAFE_INTEGER),
        maximum: Math.min(field.max ?? Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER),
      });
    case "decimal":
    case "percent":
      return compact({ type: "number", minimum: field.min, maximum: field.max, "x-decimal": decimalLimits(field) });
    case "currency":
      return {
        type: "object",
        required: field.defaultCurrency ? ["amount"] : ["amount", "currency"],
        additionalProperties: false,
        properties: {
          amount: compact({ title: "amount", type: "number", minimum: field.min, maximum: field.max, "x-decimal": decimalLimits(field) }),
          currency: field.currencies
            ? { title: "currency", enum: [...new Set(field.currencies)] }
            : { title: "currency", type: "string", pattern: CURRENCY_PATTERN },
        },
      };
    case "boolean":
      return { type: "boolean" };
    case "date":
    case "datetime":
      return compact({
        type: "string",
        format: field.type === "date" ? "date" : "date-time",
        formatMinimum: field.min,
        formatMaximum: field.max,
      });
    case "select":
      return { enum: optionKeys(field.options) };
    case "multiSelect":
      return compact({
        type: "array",
        uniqueItems: true,
        items: { enum: optionKeys(field.options) },
        minItems: field.required ? Math.max(1, field.minItems ?? 0) : field.minItems,
        maxItems: field.maxItems,
      });
    case "relation":
      if (field.relation === "manyToOne") return { type: "string", format: "uuid" };
      return compact({
        type: "array",
        uniqueItems: true,
        items: { type: "string", format: "uuid" },
        minItems: field.required ? 1 : undefined,
      });
    case "autoNumber":
      return {};
    case "json":
      // Any JSON value; `null` is the absence of a value, so a required field refuses it.
      return field.required ? { type: ["object", "array", "string", "number", "boolean"] } : {};
  }
}

function textSchema(field: TextLikeField): SchemaObject {
  const schema: SchemaObject = compact({
    type: "string",
    minLength: field.required ? Math.max(1, field.minLength ?? 0) : field.minLength,
    maxLength: field.maxLength,
  });
  const patterns: string[] = [];
  if (field.type === "email") schema["format"] = "email";
  if (field.type === "url") {
    schema["format"] = "uri";
    patterns.push(WEB_URL_PATTERN);
  }
  if (field.type === "phone") patterns.push(PHONE_PATTERN);
  if (field.pattern !== undefined) patterns.push(field.pattern);
  const [first, ...rest] = patterns;
  if (first !== undefined) schema["pattern"] = first;
  if (rest.length > 0) schema["allOf"] = rest.map((pattern) => ({ pattern }));
  return schema;
}

function optionKeys(options: Array<{ key: string }>): string[] {
  return [...new Set(options.map((o) => o.key))];
}
