import { formatDay } from "./calendar.ts";
import { Decimal } from "./decimal.ts";

/**
 * An amount in a currency (`{ amount, currency }` in record JSON), the amount exact.
 * @example new Money(Decimal.parse("19.99")!, "EUR").toString() // "19.99 EUR"
 */
export class Money {
  readonly amount: Decimal;
  /** ISO 4217 code. */
  readonly currency: string;

  constructor(amount: Decimal, currency: string) {
    this.amount = amount;
    this.currency = currency;
  }

  toString(): string {
    return `${this.amount.toString()} ${this.currency}`;
  }
}

/**
 * A calendar date with no time and no zone (a `date` field), as a day number since 1970-01-01.
 * @example new PlainDate(0).toString() // "1970-01-01"
 */
export class PlainDate {
  readonly days: number;

  constructor(days: number) {
    this.days = days;
  }

  toString(): string {
    return formatDay(this.days);
  }
}

/**
 * A point in time (a `datetime` field), as milliseconds since the epoch.
 * @example new Instant(0).toString() // "1970-01-01T00:00:00.000Z"
 */
export class Instant {
  readonly ms: number;

  constructor(ms: number) {
    this.ms = ms;
  }

  toString(): string {
    return new Date(this.ms).toISOString();
  }
}

/**
 * A value during evaluation. Text, option keys and record ids are strings; numbers are exact
 * decimals; lists hold multi-select keys or many-to-many ids; `null` is the absence of a value.
 * JSON field values are kept as they are.
 */
export type Value = null | boolean | string | Decimal | Money | PlainDate | Instant | readonly Value[] | JsonValue;

/** The value of a `json` field, wrapped so that it is never mistaken for text or a list. */
export class JsonValue {
  readonly json: unknown;

  constructor(json: unknown) {
    this.json = json;
  }
}

/**
 * The API's JSON form of a value: numbers as JSON numbers, currency `{ amount, currency }`, dates
 * `YYYY-MM-DD`, date-times ISO 8601 UTC, lists as arrays.
 * @example toJsonValue(new Money(Decimal.parse("5.5")!, "USD")) // { amount: 5.5, currency: "USD" }
 */
export function toJsonValue(value: Value): unknown {
  if (value instanceof Decimal) return value.toNumber();
  if (value instanceof Money) return { amount: value.amount.toNumber(), currency: value.currency };
  if (value instanceof PlainDate || value instanceof Instant) return value.toString();
  if (value instanceof JsonValue) return value.json;
  if (Array.isArray(value)) return value.map((item: Value) => toJsonValue(item));
  return value;
}

/**
 * A value as text, for `&`, concat() and text(): null is empty, numbers in plain decimal notation,
 * money as "12.5 EUR", dates ISO, lists joined with ", ".
 * @example valueText(Decimal.parse("1e3")!) // "1000"
 */
export function valueText(value: Value): string {
  if (value === null) return "";
  if (typeof value === "string") return value;
  if (typeof value === "boolean") return String(value);
  if (value instanceof JsonValue) return JSON.stringify(value.json) ?? "";
  if (Array.isArray(value)) return value.map((item: Value) => valueText(item)).join(", ");
  return value.toString();
}
