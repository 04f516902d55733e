import type { FieldDefinition } from "../definition/types.ts";
import { DEFAULT_PRECISION, DEFAULT_SCALE } from "./field-columns.ts";
import { raw, sql } from "./sql.ts";
import type { Fragment } from "./sql.ts";
import type { StepClass } from "./types.ts";

/** Digits a column can hold: bigint holds any 18-digit number and some of 19. */
export interface NumericShape {
  precision: number;
  scale: number;
  integer: boolean;
}

const BIGINT_MAX = "9223372036854775807";

/** The numeric shape of an integer, decimal, percent or currency field. */
export function numericShape(field: FieldDefinition): NumericShape {
  if (field.type === "integer") return { precision: 19, scale: 0, integer: true };
  if (field.type === "decimal" || field.type === "percent" || field.type === "currency") {
    return { precision: field.precision ?? DEFAULT_PRECISION, scale: field.scale ?? DEFAULT_SCALE, integer: false };
  }
  throw new Error(`numericShape: ${field.type} is not numeric`);
}

export interface ValueLoss {
  /** Predicate over the old value that selects the rows concerned. */
  where: Fragment;
  /** Impact message with a `{count}` placeholder. */
  message: string;
  blocks?: boolean;
}

/**
 * How numbers change between two numeric shapes: the new value, the same value for measuring
 * (`preview`, which cannot fail), the rows that get rounded (lossy) and the rows that would overflow
 * (which block the step: PostgreSQL would fail on them).
 * @example numericChange(sql`"n"`, { precision: 18, scale: 2, integer: false }, { precision: 18, scale: 0, integer: false }).class // "lossy"
 */
export function numericChange(
  value: Fragment,
  from: NumericShape,
  to: NumericShape,
): { convert: Fragment; preview: Fragment; losses: ValueLoss[]; class: StepClass } {
  const losses: ValueLoss[] = [];
  const rounds = to.scale < from.scale;
  if (rounds) {
    losses.push({
      where: sql`${value} <> round(${value}, ${raw(String(to.scale))})`,
      message: to.scale === 0 ? "{count} values have decimals and will be rounded to whole numbers" : `{count} values have more than ${to.scale} decimal places and will be rounded`,
    });
  }
  const rounded = to.integer ? sql`round(${value})` : sql`round(${value}, ${raw(String(to.scale))})`;
  if (to.integer && from.precision - from.scale >= 19) {
    losses.push({ where: sql`abs(${rounded}) > ${raw(BIGINT_MAX)}`, message: "{count} values are too large for a whole number and do not fit", blocks: true });
  } else if (!to.integer && to.precision - to.scale < from.precision - from.scale) {
    const digits = to.precision - to.scale;
    losses.push({
      where: sql`abs(${rounded}) >= ${raw(`1${"0".repeat(digits)}`)}`,
      message: `{count} values have more than ${digits} digits before the decimal point and do not fit`,
      blocks: true,
    });
  }
  const convert = to.integer ? sql`${rounded}::bigint` : sql`${value}::numeric(${raw(`${to.precision},${to.scale}`)})`;
  // The preview is the same number without the cast, so measuring later steps never fails on a value that overflows.
  return { convert, preview: rounded, losses, class: rounds ? "lossy" : "lossless" };
}

/** Whether two shapes store numbers identically. */
export function sameShape(a: NumericShape, b: NumericShape): boolean {
  return a.precision === b.precision && a.scale === b.scale && a.integer === b.integer;
}
