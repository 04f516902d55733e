import { parseDay } from "../calendar.ts";
import { Decimal } from "../decimal.ts";
import type { At } from "../evaluation-state.ts";
import { fault } from "../evaluation-error.ts";
import { describeType, type ExpressionType } from "../expression-type.ts";
import { parseInstant } from "../temporal-text.ts";
import { Instant, JsonValue, Money, PlainDate, type Value } from "../values.ts";

/**
 * A value from record JSON (or a variable) as the expression sees it, by its expected type. Missing
 * (`undefined`) reads as null. A value of the wrong shape fails with INVALID_RECORD_VALUE naming
 * `what`, rather than flowing on as something it is not.
 * @example decodeValue({ amount: 12.5, currency: "EUR" }, T.currency, "amount", at) // Money 12.5 EUR
 */
export function decodeValue(raw: unknown, type: ExpressionType, what: string, at: At): Value {
  if (raw === null || raw === undefined) return null;
  const decoded = decode(raw, type);
  if (decoded === undefined) {
    const shown = JSON.stringify(raw)?.slice(0, 60) ?? String(raw);
    fault("INVALID_RECORD_VALUE", `${what} holds ${shown}, which is not ${describeType(type)}`, at.span);
  }
  return decoded;
}

function decode(raw: unknown, type: ExpressionType): Value | undefined {
  switch (type.kind) {
    case "text":
    case "select":
      return typeof raw === "string" ? raw : undefined;
    case "reference":
      return referenceId(raw);
    case "number":
      return decimalOf(raw);
    case "currency":
      return moneyOf(raw);
    case "boolean":
      return typeof raw === "boolean" ? raw : undefined;
    case "date": {
      const days = typeof raw === "string" ? parseDay(raw) : undefined;
      return days === undefined ? undefined : new PlainDate(days);
    }
    case "datetime": {
      const ms = typeof raw === "string" ? parseInstant(raw) : undefined;
      return ms === undefined ? undefined : new Instant(ms);
    }
    case "list": {
      if (!Array.isArray(raw)) return undefined;
      const items = raw.map((item) => (item === null ? undefined : decode(item, type.element)));
      return items.every((item) => item !== undefined) ? (items as Value[]) : undefined;
    }
    case "json":
      return new JsonValue(raw);
    case "null":
    case "invalid":
      return undefined;
  }
}

/** A record id, or the id of an embedded (expanded) record. */
export function referenceId(raw: unknown): string | undefined {
  if (typeof raw === "string") return raw;
  if (typeof raw === "object" && raw !== null && !Array.isArray(raw)) {
    const id = (raw as Record<string, unknown>)["id"];
    return typeof id === "string" ? id : undefined;
  }
  return undefined;
}

/** A JSON number, or decimal text (as PostgreSQL numeric sometimes arrives). */
export function decimalOf(raw: unknown): Decimal | undefined {
  if (typeof raw === "number") return Decimal.fromNumber(raw);
  if (typeof raw === "string" && /^-?\d+(\.\d+)?$/.test(raw) && raw.length <= 80) return Decimal.parse(raw);
  return undefined;
}

function moneyOf(raw: unknown): Money | undefined {
  if (typeof raw !== "object" || raw === null) return undefined;
  const { amount, currency } = raw as Record<string, unknown>;
  const value = decimalOf(amount);
  if (!value || typeof currency !== "string") return undefined;
  return new Money(value, currency);
}
