import type { ArithmeticOperator, ComparisonOperator } from "../ast.ts";
import { describeType, isTextual, isWildcard, T, type ExpressionType } from "../expression-type.ts";

/**
 * The result type of `left op right` for `+ - * / %`, or a message saying why they do not go together.
 * @example arithmeticType("+", T.date, T.number) // { kind: "date" }
 */
export function arithmeticType(operator: ArithmeticOperator, left: ExpressionType, right: ExpressionType): ExpressionType | string {
  if (left.kind === "invalid" || right.kind === "invalid") return T.invalid;
  if (left.kind === "null" && right.kind === "null") return T.number;
  // A null literal stands for whichever kind makes the operation valid (a number first).
  const lefts = left.kind === "null" ? NULL_STANDS_FOR : [left];
  const rights = right.kind === "null" ? NULL_STANDS_FOR : [right];
  for (const a of lefts) {
    for (const b of rights) {
      const result = RULES[`${a.kind} ${operator} ${b.kind}`];
      if (result) return result;
    }
  }
  const a = lefts[0]!;
  const b = rights[0]!;
  const hint = HINTS.find(([test]) => test(a, b, operator))?.[1] ?? "";
  return `cannot use ${operator} on ${describeType(left)} and ${describeType(right)}${hint}`;
}

const NULL_STANDS_FOR: ExpressionType[] = [T.number, T.currency, T.date];
const RULES: Record<string, ExpressionType> = {};
for (const op of ["+", "-", "*", "/", "%"]) RULES[`number ${op} number`] = T.number;
for (const op of ["+", "-", "*", "/"]) RULES[`currency ${op} number`] = T.currency;
for (const op of ["+", "-", "*"]) RULES[`number ${op} currency`] = T.currency;
RULES["currency + currency"] = T.currency;
RULES["currency - currency"] = T.currency;
RULES["currency / currency"] = T.number;
RULES["date + number"] = T.date;
RULES["date - number"] = T.date;
RULES["number + date"] = T.date;
RULES["date - date"] = T.number;

const HINTS: Array<[(a: ExpressionType, b: ExpressionType, op: string) => boolean, string]> = [
  [(a, b, op) => op === "+" && (isTextual(a) || isTextual(b)), '; join text with & or concat(…)'],
  [(a, b) => a.kind === "datetime" || b.kind === "datetime", "; use addDays(…), addHours(…) or hoursBetween(…) with date-times"],
  [(a, b) => a.kind === "date" || b.kind === "date", "; add or subtract whole days (a number), or subtract two dates for the days between them"],
  [(a, b) => a.kind === "currency" && b.kind === "currency", "; multiply an amount by a number, not by another amount"],
];

/** Whether `&` may join a value of this type (anything but lists and JSON). */
export function isJoinable(type: ExpressionType): boolean {
  return type.kind !== "list" && type.kind !== "json";
}

/**
 * Why `left op right` is not a valid comparison, or undefined when it is. `=` and `!=` take any
 * two values of one kind (numbers and amounts mix; text, option keys and ids mix); the ordering
 * operators take numbers, amounts, text, dates and date-times.
 */
export function comparisonProblem(operator: ComparisonOperator, left: ExpressionType, right: ExpressionType): string | undefined {
  if (isWildcard(left) || isWildcard(right)) {
    if (operator === "=" || operator === "!=") return undefined;
    return orderable(isWildcard(left) ? right : left) ? undefined : `cannot order ${describeType(isWildcard(left) ? right : left)} values with ${operator}`;
  }
  const problem = comparableProblem(left, right);
  if (problem !== undefined) return `cannot compare ${describeType(left)} with ${describeType(right)}${problem}`;
  if (operator === "=" || operator === "!=") return undefined;
  if (!orderable(left)) return `cannot order ${describeType(left)} values with ${operator}${left.kind === "select" ? "; options have no order, compare with = or in […]" : ""}`;
  return undefined;
}

function orderable(type: ExpressionType): boolean {
  return ["number", "currency", "text", "date", "datetime", "invalid", "null"].includes(type.kind);
}

/** Why values of these two types cannot be compared ("" for no hint), or undefined when they can. */
export function comparableProblem(left: ExpressionType, right: ExpressionType): string | undefined {
  if (isWildcard(left) || isWildcard(right)) return undefined;
  const numeric = (t: ExpressionType) => t.kind === "number" || t.kind === "currency";
  if (numeric(left) && numeric(right)) return undefined;
  if (left.kind === "reference" && right.kind === "reference") return left.entity === right.entity ? undefined : "";
  if (isTextual(left) && isTextual(right)) return undefined;
  if (left.kind === "list" || right.kind === "list") return "; test list items with includes(list, value) or value in list";
  if (left.kind === "json" || right.kind === "json") return "; JSON values can only be compared with null";
  if ((left.kind === "date" && right.kind === "datetime") || (left.kind === "datetime" && right.kind === "date")) {
    return "; convert with dateValue(…) or datetimeValue(…) first";
  }
  return left.kind === right.kind ? undefined : "";
}
