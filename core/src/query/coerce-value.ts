import { decimalLimits } from "../definition/field-traits.ts";
import type { ResolvedPath } from "./types.ts";
import type { ValueKind } from "./value-kind.ts";

/** A coerced value, or why the text is not one. */
export type Coerced = { value: unknown } | { error: string };

const INTEGER = /^[+-]?\d+$/;
const DECIMAL = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;
const UUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATETIME = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?(Z|[+-]\d{2}(?::?\d{2})?)?$/i;
/** Digits a JS number keeps exactly; longer decimals stay strings so PostgreSQL gets them exactly. */
const SAFE_DIGITS = 15;

/**
 * Turn the text of a filter value into the JS value compared with the path's column: numbers
 * (decimals longer than 15 digits stay exact decimal strings), booleans, `YYYY-MM-DD` dates,
 * ISO 8601 date-times (a bare date is midnight UTC, no offset means UTC), lowercase uuids, option keys.
 * @example coerceValue("integer", path, "42") // { value: 42 }
 */
export function coerceValue(kind: ValueKind, path: ResolvedPath, text: string): Coerced {
  switch (kind) {
    case "text":
      return { value: text };
    case "integer":
      if (!INTEGER.test(text) || !Number.isSafeInteger(Number(text))) return { error: `expected a whole number, got ${JSON.stringify(text)}` };
      return { value: Number(text) };
    case "numeric":
      return coerceDecimal(path, text);
    case "boolean":
      if (text === "true" || text === "false") return { value: text === "true" };
      return { error: `expected true or false, got ${JSON.stringify(text)}` };
    case "date":
      return isCalendarDate(text) ? { value: text } : { error: `expected a date YYYY-MM-DD, got ${JSON.stringify(text)}` };
    case "datetime":
      return coerceDateTime(text);
    case "uuid":
      return UUID.test(text) ? { value: text.toLowerCase() } : { error: `expected a uuid, got ${JSON.stringify(text)}` };
    case "select":
    case "multiSelect":
      return coerceOption(path, text);
    default:
      return { error: "this field takes no value" };
  }
}

function coerceDecimal(path: ResolvedPath, text: string): Coerced {
  const number = Number(text);
  if (!DECIMAL.test(text) || !Number.isFinite(number)) return { error: `expected a number, got ${JSON.stringify(text)}` };
  const field = path.field;
  if (field.type === "decimal" || field.type === "percent" || field.type === "currency") {
    const { precision, scale } = decimalLimits(field);
    if (Math.abs(number) >= 10 ** (precision - scale)) {
      return { error: `${text} is out of range: the field holds numbers below ${10 ** (precision - scale)} in absolute value (precision ${precision}, scale ${scale})` };
    }
  }
  const digits = text.replace(/[eE].*$/, "").replace(/[^0-9]/g, "").replace(/^0+/, "").length;
  return { value: digits > SAFE_DIGITS ? text.replace(/^\+/, "") : number };
}

function coerceDateTime(text: string): Coerced {
  if (isCalendarDate(text)) return { value: `${text}T00:00:00Z` };
  const match = DATETIME.exec(text);
  const error = { error: `expected an ISO 8601 date-time such as 2024-05-01T09:30:00Z, or a date, got ${JSON.stringify(text)}` };
  if (!match) return error;
  const [, year, month, day, hour, minute, second = "00", fraction = "", zone = "Z"] = match;
  if (!isCalendarDate(`${year}-${month}-${day}`) || Number(hour) > 23 || Number(minute) > 59 || Number(second) > 59) return error;
  const offset = /^[+-]\d{2}(:?\d{2})?$/.exec(zone) ? zone.slice(0, 3) : undefined;
  if (offset !== undefined && Math.abs(Number(offset)) > 14) return error;
  return { value: `${year}-${month}-${day}T${hour}:${minute}:${second}${fraction}${zone.toUpperCase()}` };
}

/** Decimal text PostgreSQL's numeric input accepts: `-12.5`, `1e3`. */
export function isDecimalText(text: string): boolean {
  return DECIMAL.test(text) && Number.isFinite(Number(text));
}

/** A real calendar date `YYYY-MM-DD` (no 2023-02-29), years 0001..9999. */
export function isCalendarDate(text: string): boolean {
  const match = DATE.exec(text);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (year < 1 || month < 1 || month > 12 || day < 1) return false;
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]!;
  return day <= days;
}

function coerceOption(path: ResolvedPath, text: string): Coerced {
  const field = path.field;
  if (field.type !== "select" && field.type !== "multiSelect") return { value: text };
  if (field.options.some((o) => o.key === text)) return { value: text };
  return { error: `${JSON.stringify(text)} is not an option; allowed: ${field.options.map((o) => o.key).join(", ")}` };
}
