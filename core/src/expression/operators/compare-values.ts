import { Decimal } from "../decimal.ts";
import type { At } from "../evaluation-state.ts";
import { fault } from "../evaluation-error.ts";
import { Instant, JsonValue, Money, PlainDate, type Value } from "../values.ts";

/** A number's or an amount's decimal: currency compares with plain numbers by its amount. */
function amountOf(value: Value): Decimal | undefined {
  if (value instanceof Decimal) return value;
  if (value instanceof Money) return value.amount;
  return undefined;
}

/**
 * Order two values of one kind: negative, zero or positive; undefined when either is null. Amounts
 * in different currencies fail with CURRENCY_MISMATCH. Text compares by UTF-16 code units,
 * case-sensitive (not a locale's collation).
 */
export function compareValues(a: Value, b: Value, at: At): number | undefined {
  if (a === null || b === null) return undefined;
  if (a instanceof Money && b instanceof Money && a.currency !== b.currency) {
    fault("CURRENCY_MISMATCH", `cannot compare ${a.currency} with ${b.currency}`, at.span);
  }
  const x = amountOf(a);
  const y = amountOf(b);
  if (x && y) return x.compare(y);
  if (a instanceof PlainDate && b instanceof PlainDate) return a.days - b.days;
  if (a instanceof Instant && b instanceof Instant) return a.ms - b.ms;
  if (typeof a === "string" && typeof b === "string") return a < b ? -1 : a > b ? 1 : 0;
  if (typeof a === "boolean" && typeof b === "boolean") return Number(a) - Number(b);
  return fault("INTERNAL_ERROR", "values of different kinds cannot be ordered", at.span);
}

/**
 * Equality as `=` sees it: null equals only null; amounts in different currencies are different; a
 * number equals an amount of the same value.
 */
export function valuesEqual(a: Value, b: Value): boolean {
  if (a === null || b === null) return a === b;
  if (a instanceof Money && b instanceof Money) return a.currency === b.currency && a.amount.equals(b.amount);
  const x = amountOf(a);
  const y = amountOf(b);
  if (x || y) return x !== undefined && y !== undefined && x.equals(y);
  if (a instanceof PlainDate && b instanceof PlainDate) return a.days === b.days;
  if (a instanceof Instant && b instanceof Instant) return a.ms === b.ms;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((item: Value, i: number) => valuesEqual(item, b[i] as Value));
  if (a instanceof JsonValue && b instanceof JsonValue) return JSON.stringify(a.json) === JSON.stringify(b.json);
  return a === b;
}
