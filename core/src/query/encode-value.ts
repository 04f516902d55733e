import type { FieldDefinition } from "../definition/types.ts";
import { param, raw, sql, type Fragment } from "../migration/sql.ts";

/**
 * A PostgreSQL array literal for a `text[]` parameter, so every driver receives plain text.
 * @example textArrayLiteral(["a", 'b"c']) // '{"a","b\\"c"}'
 */
export function textArrayLiteral(values: readonly unknown[]): string {
  return "{" + values.map((v) => '"' + String(v).replace(/\\/g, "\\\\").replace(/"/g, '\\"') + '"').join(",") + "}";
}

const NULL = raw("NULL");

function cast(value: unknown, type: string): Fragment {
  return sql`${param(value)}::${raw(type)}`;
}

/**
 * SQL values for a field's columns (in the order of `fieldColumns(field)`) from a validated record
 * value. Every value travels as a typed parameter; nothing is inlined.
 * @example encodeFieldValue(priceField, { amount: 10, currency: "EUR" }) // [$1::numeric, $2::text]
 */
export function encodeFieldValue(field: FieldDefinition, value: unknown): Fragment[] {
  if (value === null || value === undefined) {
    if (field.type === "currency") return [NULL, NULL];
    return [NULL];
  }
  switch (field.type) {
    case "currency": {
      const money = value as { amount: number; currency?: string };
      return [cast(String(money.amount), "numeric"), cast(money.currency ?? field.defaultCurrency ?? null, "text")];
    }
    case "integer":
      return [cast(String(value), "bigint")];
    case "decimal":
    case "percent":
      return [cast(String(value), "numeric")];
    case "boolean":
      return [cast(value, "boolean")];
    case "date":
      return [cast(value, "date")];
    case "datetime":
      return [cast(value, "timestamptz")];
    case "multiSelect":
      return [cast(textArrayLiteral(value as unknown[]), "text[]")];
    case "json":
      return [cast(JSON.stringify(value), "jsonb")];
    case "relation":
      return [cast(value, "uuid")];
    default:
      return [cast(value, "text")];
  }
}
