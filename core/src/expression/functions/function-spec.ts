import type { At } from "../evaluation-state.ts";
import { isTextual, T, type ExpressionType } from "../expression-type.ts";
import type { Value } from "../values.ts";

/** What a parameter accepts. `scalar` is anything but lists and JSON; `ordered` anything `<` works on. */
export type ParamType = "any" | "scalar" | "text" | "number" | "numeric" | "currency" | "boolean" | "date" | "datetime" | "temporal" | "ordered" | "list";

const ACCEPTS: Record<ParamType, { describe: string; test: (t: ExpressionType) => boolean }> = {
  any: { describe: "any value", test: () => true },
  scalar: { describe: "a single value (not a list)", test: (t) => t.kind !== "list" && t.kind !== "json" },
  text: { describe: "text", test: isTextual },
  number: { describe: "a number", test: (t) => t.kind === "number" },
  numeric: { describe: "a number or currency", test: (t) => t.kind === "number" || t.kind === "currency" },
  currency: { describe: "a currency amount", test: (t) => t.kind === "currency" },
  boolean: { describe: "true or false", test: (t) => t.kind === "boolean" },
  date: { describe: "a date", test: (t) => t.kind === "date" },
  datetime: { describe: "a date-time", test: (t) => t.kind === "datetime" },
  temporal: { describe: "a date or date-time", test: (t) => t.kind === "date" || t.kind === "datetime" },
  ordered: { describe: "a number, currency, text, date or date-time", test: (t) => ["number", "currency", "date", "datetime"].includes(t.kind) || isTextual(t) },
  list: { describe: "a list", test: (t) => t.kind === "list" },
};

/** Whether a parameter of `param` type takes an argument of type `type` (`null` fits everywhere). */
export function acceptsType(param: ParamType, type: ExpressionType): boolean {
  return type.kind === "null" || type.kind === "invalid" || ACCEPTS[param].test(type);
}

/** How a parameter type reads in messages: "a date or date-time". */
export function describeParam(param: ParamType): string {
  return ACCEPTS[param].describe;
}

export interface Param {
  name: string;
  type: ParamType;
}

/** The result type from the argument types, or a message when they do not go together. */
export type ReturnRule = ExpressionType | ((args: readonly ExpressionType[]) => ExpressionType | string);

/**
 * A function evaluated from its argument values. By default a null argument makes the result null
 * without calling `evaluate` ("null in, null out"); `takesNull` functions see the nulls.
 */
export interface FunctionSpec {
  name: string;
  category: "text" | "math" | "date" | "logic" | "list" | "conversion";
  /** How the README shows it: `left(text, count) → text`. */
  signature: string;
  description: string;
  params: readonly Param[];
  /** Trailing parameters that may be left out. */
  optional?: number;
  /** The last parameter may repeat. */
  variadic?: boolean;
  returns: ReturnRule;
  takesNull?: boolean;
  /** It reads the clock: its result changes with time even when the record does not. */
  clock?: boolean;
  evaluate(args: readonly Value[], at: At): Value;
}

/** The type of the first argument, with `null` read as `fallback` (`round(null)` is a number). */
export function sameAsFirst(fallback: ExpressionType = T.number): (args: readonly ExpressionType[]) => ExpressionType {
  return (args) => (args[0] && args[0].kind !== "null" ? args[0] : fallback);
}

/** Define a function (identity; it keeps the spec's literal types checked). */
export function defineFunction(spec: FunctionSpec): FunctionSpec {
  return spec;
}
