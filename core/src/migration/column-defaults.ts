import type { EntityDefinition, FieldDefinition } from "../definition/types.ts";
import { DATA_SCHEMA } from "../definition/types.ts";
import { sequenceName } from "./constraint-names.ts";
import { qualifiedName } from "./quote-ident.ts";
import { quoteLiteral } from "./quote-literal.ts";

export const DEFAULT_AUTONUMBER_DIGITS = 6;

/**
 * SQL `DEFAULT` expressions of a field's columns, aligned with `fieldColumns(field)`;
 * `undefined` where the column has no default.
 * Dates default to `CURRENT_DATE` / `now()` for `"now"`; an autoNumber draws from its sequence.
 * @example columnDefaults({ id: "e" }, { id: "f", key: "qty", label: { en: "Qty" }, type: "integer", default: 1 }) // ["1"]
 */
export function columnDefaults(entity: Pick<EntityDefinition, "id">, field: FieldDefinition): Array<string | undefined> {
  switch (field.type) {
    case "currency":
      return field.default === undefined
        ? [undefined, undefined]
        : [quoteLiteral(field.default.amount), quoteLiteral(field.default.currency)];
    case "date":
      return [field.default === undefined ? undefined : field.default === "now" ? "CURRENT_DATE" : `${quoteLiteral(field.default)}::date`];
    case "datetime":
      return [field.default === undefined ? undefined : field.default === "now" ? "now()" : `${quoteLiteral(field.default)}::timestamptz`];
    case "json":
      return [field.default === undefined ? undefined : quoteLiteral(field.default, "jsonb")];
    case "autoNumber":
      return [autoNumberDefault(entity, field)];
    case "relation":
      return field.relation === "manyToOne" ? [undefined] : [];
    default:
      return [field.default === undefined ? undefined : quoteLiteral(field.default)];
  }
}

/**
 * `'<prefix>' || lpad(nextval('"data"."seq_…"')::text, digits, '0')`. The sequence's MAXVALUE is
 * `10^digits - 1`, so running out raises an error instead of `lpad` silently cutting numbers.
 */
export function autoNumberDefault(entity: Pick<EntityDefinition, "id">, field: FieldDefinition & { type: "autoNumber" }): string {
  const next = `lpad(nextval(${quoteLiteral(qualifiedName(DATA_SCHEMA, sequenceName(entity, field)))}::regclass)::text, ${autoNumberDigits(field)}, '0')`;
  return field.prefix ? `${quoteLiteral(field.prefix)} || ${next}` : next;
}

export function autoNumberDigits(field: { digits?: number }): number {
  return field.digits ?? DEFAULT_AUTONUMBER_DIGITS;
}

/** Largest number an autoNumber of that width can show, as exact decimal text. */
export function autoNumberMax(field: { digits?: number }): string {
  return "9".repeat(autoNumberDigits(field));
}
