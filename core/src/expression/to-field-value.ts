import { decimalLimits } from "../definition/field-traits.ts";
import type { CurrencyField, DecimalField, FieldDefinition } from "../definition/types.ts";
import type { Result } from "../issues.ts";
import { Decimal } from "./decimal.ts";
import { fieldType } from "./expression-type.ts";
import { Instant, JsonValue, Money, PlainDate, toJsonValue, type Value } from "./values.ts";

/**
 * The JSON to write into `field` for an evaluated value (a formula result, a workflow's computed
 * value): numbers rounded half-up to the field's scale (integers to whole numbers) and checked
 * against its precision, amounts likewise, dates and date-times as ISO text. A value of the wrong
 * kind is refused with VALUE_NOT_ASSIGNABLE; the record validator still checks everything else
 * (option keys, lengths, min/max) when the value is written.
 * @example toFieldValue(Decimal.parse("2.345")!, { type: "decimal", scale: 2 } as FieldDefinition) // { ok: true, value: 2.35 }
 */
export function toFieldValue(value: Value, field: FieldDefinition, pointer = ""): Result<unknown> {
  if (value === null) return { ok: true, value: null };
  const converted = convert(value, field);
  if (converted instanceof Refusal) return { ok: false, issues: [{ code: converted.code, pointer, message: `${field.key}: ${converted.problem}` }] };
  return { ok: true, value: converted };
}

/** Why a value cannot go into the field. */
class Refusal {
  code: "VALUE_NOT_ASSIGNABLE" | "OUT_OF_RANGE";
  problem: string;

  constructor(code: Refusal["code"], problem: string) {
    this.code = code;
    this.problem = problem;
  }
}

function convert(value: Value, field: FieldDefinition): unknown | Refusal {
  const type = fieldType(field);
  if (!type || field.type === "autoNumber") return mismatch(value, "anything: the field is not written directly");
  switch (type.kind) {
    case "text":
    case "select":
    case "reference":
      return typeof value === "string" ? value : mismatch(value, type.kind === "reference" ? "a record id" : "text");
    case "number": {
      if (!(value instanceof Decimal)) return mismatch(value, "a number");
      if (field.type === "integer") return value.round(0).toSafeInteger() ?? new Refusal("OUT_OF_RANGE", `${value.toString()} is beyond the safe integers (±2^53 − 1)`);
      const { precision, scale } = decimalLimits(field as DecimalField);
      return fitted(value.round(scale), precision, scale);
    }
    case "currency": {
      if (!(value instanceof Money)) return mismatch(value, "an amount with its currency");
      const { precision, scale } = decimalLimits(field as CurrencyField);
      const amount = fitted(value.amount.round(scale), precision, scale);
      return typeof amount === "number" ? { amount, currency: value.currency } : amount;
    }
    case "boolean":
      return typeof value === "boolean" ? value : mismatch(value, "true or false");
    case "date":
      return value instanceof PlainDate ? value.toString() : mismatch(value, "a date");
    case "datetime":
      return value instanceof Instant ? value.toString() : mismatch(value, "a date-time");
    case "list":
      return Array.isArray(value) && value.every((v) => typeof v === "string") ? [...value] : mismatch(value, "a list of keys or ids");
    default:
      return value instanceof JsonValue ? value.json : toJsonValue(value);
  }
}

/** The number as JSON, when it has at most `precision - scale` digits before the point. */
function fitted(value: Decimal, precision: number, scale: number): number | Refusal {
  if (value.integerDigits() > precision - scale) {
    return new Refusal("OUT_OF_RANGE", `${value.toString()} has more than ${precision - scale} digits before the decimal point`);
  }
  return value.toNumber();
}

function mismatch(value: Value, wanted: string): Refusal {
  return new Refusal("VALUE_NOT_ASSIGNABLE", `${JSON.stringify(toJsonValue(value)).slice(0, 60)} is not ${wanted}`);
}
