import type { CurrencyField, DecimalField, FieldDefinition, LocalizedText } from "./types.ts";

// The documented defaults of types.ts (the migration planner's column types use the same).
const DEFAULT_PRECISION = 18;
const DEFAULT_SCALE = 2;

/**
 * The NUMERIC(precision, scale) a decimal-like field is stored in, defaults applied.
 * @example decimalLimits({ type: "decimal", precision: 10 } as DecimalField) // { precision: 10, scale: 2 }
 */
export function decimalLimits(field: DecimalField | CurrencyField): { precision: number; scale: number } {
  return { precision: field.precision ?? DEFAULT_PRECISION, scale: field.scale ?? DEFAULT_SCALE };
}

/**
 * Whether clients may write the field: one-to-many relations are derived from the other side and
 * auto numbers are generated.
 * @example isWritable({ type: "autoNumber" } as FieldDefinition) // false
 */
export function isWritable(field: FieldDefinition): boolean {
  if (field.type === "autoNumber") return false;
  return !(field.type === "relation" && field.relation === "oneToMany");
}

/**
 * Whether the field has a column of its own (many-to-many lives in a join table, one-to-many on
 * the other entity).
 * @example isStored({ type: "relation", relation: "manyToMany" } as FieldDefinition) // false
 */
export function isStored(field: FieldDefinition): boolean {
  return !(field.type === "relation" && field.relation !== "manyToOne");
}

/**
 * Whether a plain B-tree index (and so a unique constraint) makes sense on the field.
 * @example isIndexable({ type: "json" } as FieldDefinition) // false
 */
export function isIndexable(field: FieldDefinition): boolean {
  if (field.type === "json" || field.type === "multiSelect" || field.type === "richText") return false;
  return isStored(field);
}

/**
 * Whether the field holds one plain value and so can be a record's title.
 * @example isScalar({ type: "text" } as FieldDefinition) // true
 */
export function isScalar(field: FieldDefinition): boolean {
  return field.type !== "json" && field.type !== "multiSelect" && isStored(field);
}

/**
 * The text to show in English messages: English if present, else the first language.
 * @example labelText({ "zh-CN": "客户", en: "Account" }) // "Account"
 */
export function labelText(text: LocalizedText | undefined, fallback = ""): string {
  if (!text) return fallback;
  return text["en"] ?? Object.values(text)[0] ?? fallback;
}
