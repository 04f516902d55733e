import { Decimal } from "../decimal.ts";
import { EVALUATION_LIMITS, wholeNumber } from "../evaluation-state.ts";
import { fault } from "../evaluation-error.ts";
import { T } from "../expression-type.ts";
import { valuesEqual } from "../operators/compare-values.ts";
import { Money, valueText, type Value } from "../values.ts";
import { defineFunction, type FunctionSpec } from "./function-spec.ts";

function isBlank(value: Value): boolean {
  if (value === null) return true;
  if (typeof value === "string") return value.trim() === "";
  return Array.isArray(value) && value.length === 0;
}

export const OTHER_FUNCTIONS: readonly FunctionSpec[] = [
  defineFunction({
    name: "isNull",
    category: "logic",
    signature: "isNull(value) → boolean",
    description: "Whether the value is null (empty).",
    params: [{ name: "value", type: "any" }],
    takesNull: true,
    returns: T.boolean,
    evaluate: ([value]) => value === null,
  }),
  defineFunction({
    name: "isBlank",
    category: "logic",
    signature: "isBlank(value) → boolean",
    description: "Whether the value is null, text of only white space, or an empty list.",
    params: [{ name: "value", type: "any" }],
    takesNull: true,
    returns: T.boolean,
    evaluate: ([value]) => isBlank(value!),
  }),
  defineFunction({
    name: "includes",
    category: "list",
    signature: "includes(list, value) → boolean",
    description: "Whether the list (a multi-select field, many-to-many ids, `[…]`) holds the value. A null list holds nothing.",
    params: [{ name: "list", type: "list" }, { name: "value", type: "scalar" }],
    takesNull: true,
    returns: T.boolean,
    evaluate: ([list, value]) => list !== null && (list as readonly Value[]).some((item) => valuesEqual(item, value!)),
  }),
  defineFunction({
    name: "count",
    category: "list",
    signature: "count(list) → number",
    description: "The number of items in the list; 0 for null.",
    params: [{ name: "list", type: "list" }],
    takesNull: true,
    returns: T.number,
    evaluate: ([list]) => Decimal.of(BigInt(list === null ? 0 : (list as readonly Value[]).length)),
  }),
  defineFunction({
    name: "money",
    category: "conversion",
    signature: "money(amount: number, currency: text) → currency",
    description: "An amount in a currency (ISO 4217 code such as \"EUR\").",
    params: [{ name: "amount", type: "number" }, { name: "currency", type: "text" }],
    returns: T.currency,
    evaluate: ([amount, code], at) => {
      if (!/^[A-Z]{3}$/.test(code as string)) fault("INVALID_ARGUMENT", `${JSON.stringify(code)} is not an ISO 4217 currency code`, at.span);
      return new Money(amount as Decimal, code as string);
    },
  }),
  defineFunction({
    name: "text",
    category: "conversion",
    signature: "text(value, places?) → text",
    description: "The value as text: numbers in plain notation (with `places`: exactly that many decimals), amounts as \"12.5 EUR\", dates ISO, lists joined with \", \".",
    params: [{ name: "value", type: "any" }, { name: "places", type: "number" }],
    optional: 1,
    returns: (args) => (args[1] && !["number", "currency", "null", "invalid"].includes(args[0]!.kind) ? "text(value, places) takes a number or an amount" : T.text),
    evaluate: ([value, places], at) => {
      if (places === undefined) return valueText(value!);
      const digits = wholeNumber(places as Decimal, "the places", at, EVALUATION_LIMITS.maxScale);
      if (value instanceof Money) return `${value.amount.toFixed(Math.max(0, digits))} ${value.currency}`;
      return (value as Decimal).toFixed(Math.max(0, digits));
    },
  }),
  defineFunction({
    name: "value",
    category: "conversion",
    signature: "value(text) → number",
    description: "The number written in the text (`\"1200.50\"`, spaces around allowed); other text is an error.",
    params: [{ name: "text", type: "text" }],
    returns: T.number,
    evaluate: ([text], at) => {
      const trimmed = (text as string).trim();
      const number = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)$/.test(trimmed) && trimmed.length <= 80 ? Decimal.parse(trimmed) : undefined;
      if (!number) fault("INVALID_ARGUMENT", `${JSON.stringify(text)} is not a number`, at.span);
      return number;
    },
  }),
];
