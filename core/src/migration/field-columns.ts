import type { FieldDefinition } from "../definition/types.ts";
import { boundedName } from "./physical-name.ts";

/** What a physical column holds for its field: the value, or a currency field's ISO code. */
export type ColumnRole = "value" | "currency";

export interface FieldColumn {
  name: string;
  sqlType: string;
  role: ColumnRole;
}

export const DEFAULT_PRECISION = 18;
export const DEFAULT_SCALE = 2;

/**
 * PostgreSQL type of a field's value column, or `null` for fields without a column (oneToMany, manyToMany).
 * @example columnSqlType({ id: "f", key: "amount", label: { en: "Amount" }, type: "decimal", precision: 10, scale: 3 }) // "numeric(10,3)"
 */
export function columnSqlType(field: FieldDefinition): string | null {
  switch (field.type) {
    case "text":
    case "longText":
    case "richText":
    case "email":
    case "phone":
    case "url":
    case "select":
    case "autoNumber":
      return "text";
    case "integer":
      return "bigint";
    case "decimal":
    case "percent":
    case "currency":
      return `numeric(${field.precision ?? DEFAULT_PRECISION},${field.scale ?? DEFAULT_SCALE})`;
    case "boolean":
      return "boolean";
    case "date":
      return "date";
    case "datetime":
      return "timestamptz";
    case "multiSelect":
      return "text[]";
    case "json":
      return "jsonb";
    case "relation":
      return field.relation === "manyToOne" ? "uuid" : null;
    default:
      return assertNever(field);
  }
}

/**
 * The physical columns of a field, value column first. A currency field has two (`<key>` and
 * `<key>_currency`); oneToMany and manyToMany fields have none.
 * @example fieldColumns({ id: "f", key: "price", label: { en: "Price" }, type: "currency" }).map((c) => c.name) // ["price", "price_currency"]
 */
export function fieldColumns(field: FieldDefinition): FieldColumn[] {
  const sqlType = columnSqlType(field);
  if (sqlType === null) return [];
  const value: FieldColumn = { name: field.key, sqlType, role: "value" };
  if (field.type !== "currency") return [value];
  return [value, { name: `${field.key}_currency`, sqlType: "char(3)", role: "currency" }];
}

/**
 * Name a soft-dropped field's column is parked under, derived from the field id so a new field
 * reusing the key never meets it: `_del_<fieldId>` and `_del_<fieldId>.cur`.
 * @example parkedColumnName({ id: "fld-1" }, "currency") // "_del_fld-1.cur"
 */
export function parkedColumnName(field: Pick<FieldDefinition, "id">, role: ColumnRole): string {
  return boundedName(role === "value" ? `_del_${field.id}` : `_del_${field.id}.cur`);
}

/**
 * Temporary name used while keys are swapped between fields in one change.
 * @example movingColumnName({ id: "fld-1" }, "value") // "_mv_fld-1"
 */
export function movingColumnName(field: Pick<FieldDefinition, "id">, role: ColumnRole): string {
  return boundedName(role === "value" ? `_mv_${field.id}` : `_mv_${field.id}.cur`);
}

function assertNever(value: never): never {
  throw new Error(`Unexpected field: ${JSON.stringify(value)}`);
}
