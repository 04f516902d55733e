import type { ArithmeticOperator } from "../ast.ts";
import { isDayInRange } from "../calendar.ts";
import { Decimal } from "../decimal.ts";
import { checkedNumber, EVALUATION_LIMITS, wholeNumber, type At } from "../evaluation-state.ts";
import { fault } from "../evaluation-error.ts";
import { Money, PlainDate, type Value } from "../values.ts";

/**
 * `+ - * / %` on values the type checker let through: numbers, amounts (with numbers, or with
 * amounts of the same currency), dates with whole days. Null in, null out.
 * @example arithmetic("+", Decimal.parse("0.1")!, Decimal.parse("0.2")!, at) // 0.3 exactly
 */
export function arithmetic(operator: ArithmeticOperator, a: Value, b: Value, at: At): Value {
  if (a === null || b === null) return null;
  if (a instanceof PlainDate || b instanceof PlainDate) return dateArithmetic(operator, a, b, at);
  if (a instanceof Money && b instanceof Money) {
    if (a.currency !== b.currency) fault("CURRENCY_MISMATCH", `cannot ${VERBS[operator]} ${a.currency} and ${b.currency} amounts; convert first`, at.span);
    const result = numberArithmetic(operator, a.amount, b.amount, at);
    return operator === "/" ? result : new Money(result, a.currency);
  }
  if (a instanceof Money) return new Money(numberArithmetic(operator, a.amount, b as Decimal, at), a.currency);
  if (b instanceof Money) return new Money(numberArithmetic(operator, a as Decimal, b.amount, at), b.currency);
  return numberArithmetic(operator, a as Decimal, b as Decimal, at);
}

const VERBS: Record<ArithmeticOperator, string> = { "+": "add", "-": "subtract", "*": "multiply", "/": "divide", "%": "divide" };

function numberArithmetic(operator: ArithmeticOperator, x: Decimal, y: Decimal, at: At): Decimal {
  switch (operator) {
    case "+":
      return checkedNumber(x.plus(y), at);
    case "-":
      return checkedNumber(x.minus(y), at);
    case "*":
      return checkedNumber(x.times(y), at);
    case "/":
      if (y.isZero()) fault("DIVISION_BY_ZERO", "division by zero", at.span);
      return checkedNumber(x.dividedBy(y, Math.max(EVALUATION_LIMITS.divisionScale, x.scale, y.scale)), at);
    case "%":
      if (y.isZero()) fault("DIVISION_BY_ZERO", "remainder of a division by zero", at.span);
      return x.remainder(y);
  }
}

function dateArithmetic(operator: ArithmeticOperator, a: Value, b: Value, at: At): Value {
  if (a instanceof PlainDate && b instanceof PlainDate) return Decimal.of(BigInt(a.days - b.days));
  const date = a instanceof PlainDate ? a : (b as PlainDate);
  const days = wholeNumber((a instanceof PlainDate ? b : a) as Decimal, "days added to a date", at, 4_000_000);
  return shiftDate(date, operator === "-" ? -days : days, at);
}

/** A date `days` later, within years 1–9999. */
export function shiftDate(date: PlainDate, days: number, at: At): PlainDate {
  const result = date.days + days;
  if (!isDayInRange(result)) fault("OUT_OF_RANGE", "the date falls outside the years 1–9999", at.span);
  return new PlainDate(result);
}
