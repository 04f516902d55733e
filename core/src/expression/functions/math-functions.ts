import { Decimal, type RoundingMode } from "../decimal.ts";
import { checkedNumber, EVALUATION_LIMITS, wholeNumber, type At } from "../evaluation-state.ts";
import { fault } from "../evaluation-error.ts";
import { T, unify, type ExpressionType } from "../expression-type.ts";
import { compareValues } from "../operators/compare-values.ts";
import { Money, type Value } from "../values.ts";
import { defineFunction, sameAsFirst, type FunctionSpec } from "./function-spec.ts";

/** Apply `apply` to a number, or to a money amount keeping its currency. */
function onAmount(value: Value, apply: (n: Decimal) => Decimal): Value {
  if (value instanceof Money) return new Money(apply(value.amount), value.currency);
  return apply(value as Decimal);
}

const rounding = (name: string, mode: RoundingMode, description: string): FunctionSpec =>
  defineFunction({
    name,
    category: "math",
    signature: `${name}(number | amount) → same`,
    description,
    params: [{ name: "number", type: "numeric" }],
    returns: sameAsFirst(),
    evaluate: ([x]) => onAmount(x!, (n) => n.round(0, mode)),
  });

/** min/max: the arguments share one ordered type; nulls are skipped (null only when all are null). */
function extreme(name: "min" | "max", sign: 1 | -1): FunctionSpec {
  return defineFunction({
    name,
    category: "math",
    signature: `${name}(value, …) → value`,
    description: `The ${name === "min" ? "smallest" : "largest"} of the values (numbers, amounts, dates, date-times or text), skipping nulls.`,
    params: [{ name: "value", type: "ordered" }],
    variadic: true,
    takesNull: true,
    returns: (args) => {
      let type: ExpressionType | undefined = T.null;
      for (const arg of args) type = type && unify(type, arg);
      return type ?? `the values of ${name}() must all be of one kind`;
    },
    evaluate: (args, at) => {
      let best: Value = null;
      for (const arg of args) {
        if (arg === null) continue;
        if (best === null || sign * (compareValues(arg, best, at) ?? 0) < 0) best = arg;
      }
      return best;
    },
  });
}

export const MATH_FUNCTIONS: readonly FunctionSpec[] = [
  defineFunction({
    name: "abs",
    category: "math",
    signature: "abs(number | amount) → same",
    description: "The absolute value (of a number or an amount).",
    params: [{ name: "number", type: "numeric" }],
    returns: sameAsFirst(),
    evaluate: ([x]) => onAmount(x!, (n) => n.abs()),
  }),
  defineFunction({
    name: "round",
    category: "math",
    signature: "round(number | amount, places?) → same",
    description: "Rounds half away from zero to `places` decimals (default 0; negative rounds to tens, hundreds…).",
    params: [{ name: "number", type: "numeric" }, { name: "places", type: "number" }],
    optional: 1,
    returns: sameAsFirst(),
    evaluate: ([x, places], at) => {
      const digits = places === undefined ? 0 : wholeNumber(places as Decimal, "the places", at, EVALUATION_LIMITS.maxScale);
      return onAmount(x!, (n) => n.round(digits));
    },
  }),
  rounding("floor", "floor", "Rounds down to a whole number (towards −∞)."),
  rounding("ceiling", "ceiling", "Rounds up to a whole number (towards +∞)."),
  extreme("min", 1),
  extreme("max", -1),
  defineFunction({
    name: "mod",
    category: "math",
    signature: "mod(number, divisor) → number",
    description: "The remainder, with the sign of `number` (the same as `%`).",
    params: [{ name: "number", type: "number" }, { name: "divisor", type: "number" }],
    returns: T.number,
    evaluate: ([x, y], at) => {
      if ((y as Decimal).isZero()) fault("DIVISION_BY_ZERO", "mod() by zero", at.span);
      return (x as Decimal).remainder(y as Decimal);
    },
  }),
  defineFunction({
    name: "power",
    category: "math",
    signature: "power(number, exponent) → number",
    description: "`number` raised to a whole `exponent` between -100 and 100.",
    params: [{ name: "number", type: "number" }, { name: "exponent", type: "number" }],
    returns: T.number,
    evaluate: ([x, e], at) => power(x as Decimal, wholeNumber(e as Decimal, "the exponent", at, 100), at),
  }),
];

function power(base: Decimal, exponent: number, at: At): Decimal {
  let result = Decimal.ONE;
  for (let i = 0; i < Math.abs(exponent); i++) result = checkedNumber(result.times(base), at);
  if (exponent >= 0) return result;
  if (result.isZero()) fault("DIVISION_BY_ZERO", "zero raised to a negative exponent", at.span);
  return checkedNumber(Decimal.ONE.dividedBy(result, EVALUATION_LIMITS.divisionScale), at);
}
