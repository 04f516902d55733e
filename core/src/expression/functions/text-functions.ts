import { Decimal } from "../decimal.ts";
import { checkedText, EVALUATION_LIMITS, wholeNumber, type At } from "../evaluation-state.ts";
import { fault } from "../evaluation-error.ts";
import { T } from "../expression-type.ts";
import { valueText, type Value } from "../values.ts";
import { defineFunction, type FunctionSpec } from "./function-spec.ts";

// Lengths and positions count Unicode code points, so "客户" has length 2 and an emoji counts once.
function chars(text: string): string[] {
  return Array.from(text);
}

function text(value: Value): string {
  return value as string;
}

function count(value: Value, what: string, at: At): number {
  return Math.max(0, wholeNumber(value as Decimal, what, at, EVALUATION_LIMITS.maxTextLength));
}

function pad(args: readonly Value[], at: At, side: "left" | "right"): string {
  const subject = chars(text(args[0]!));
  const length = count(args[1]!, "the length", at);
  const filler = chars(args[2] === undefined ? " " : text(args[2]));
  if (subject.length >= length) return subject.slice(0, length).join("");
  if (filler.length === 0) return subject.join("");
  const needed = length - subject.length;
  const padding = filler.join("").repeat(Math.ceil(needed / filler.length));
  const fill = chars(padding).slice(0, needed).join("");
  return checkedText(side === "left" ? fill + subject.join("") : subject.join("") + fill, at);
}

const unary = (name: string, description: string, apply: (s: string) => string): FunctionSpec =>
  defineFunction({
    name,
    category: "text",
    signature: `${name}(text) → text`,
    description,
    params: [{ name: "text", type: "text" }],
    returns: T.text,
    evaluate: ([s]) => apply(text(s!)),
  });

const test = (name: string, description: string, apply: (s: string, search: string) => boolean): FunctionSpec =>
  defineFunction({
    name,
    category: "text",
    signature: `${name}(text, search) → boolean`,
    description,
    params: [{ name: "text", type: "text" }, { name: "search", type: "text" }],
    returns: T.boolean,
    evaluate: ([s, search]) => apply(text(s!), text(search!)),
  });

const padding = (name: string, side: "left" | "right"): FunctionSpec =>
  defineFunction({
    name,
    category: "text",
    signature: `${name}(text, length, pad?) → text`,
    description: `Pads on the ${side} with \`pad\` (default a space) to \`length\` characters; cuts longer text.`,
    params: [{ name: "text", type: "text" }, { name: "length", type: "number" }, { name: "pad", type: "text" }],
    optional: 1,
    returns: T.text,
    evaluate: (args, at) => pad(args, at, side),
  });

export const TEXT_FUNCTIONS: readonly FunctionSpec[] = [
  defineFunction({
    name: "concat",
    category: "text",
    signature: "concat(value, …) → text",
    description: "Joins the values as text, like `&`; null counts as empty text.",
    params: [{ name: "value", type: "scalar" }],
    variadic: true,
    takesNull: true,
    returns: T.text,
    evaluate: (args, at) => checkedText(args.map(valueText).join(""), at),
  }),
  unary("upper", "Upper case (locale-independent).", (s) => s.toUpperCase()),
  unary("lower", "Lower case (locale-independent).", (s) => s.toLowerCase()),
  unary("trim", "Removes white space at both ends.", (s) => s.trim()),
  defineFunction({
    name: "len",
    category: "text",
    signature: "len(text) → number",
    description: "Number of characters (Unicode code points).",
    params: [{ name: "text", type: "text" }],
    returns: T.number,
    evaluate: ([s]) => Decimal.of(BigInt(chars(text(s!)).length)),
  }),
  test("contains", "Whether `search` occurs in the text (case-sensitive; compare `lower(…)` to ignore case).", (s, search) => s.includes(search)),
  test("startsWith", "Whether the text starts with `search` (case-sensitive).", (s, search) => s.startsWith(search)),
  test("endsWith", "Whether the text ends with `search` (case-sensitive).", (s, search) => s.endsWith(search)),
  defineFunction({
    name: "find",
    category: "text",
    signature: "find(text, search) → number",
    description: "Position (from 1) of the first `search` in the text, 0 when absent.",
    params: [{ name: "text", type: "text" }, { name: "search", type: "text" }],
    returns: T.number,
    evaluate: ([s, search]) => {
      const index = text(s!).indexOf(text(search!));
      return Decimal.of(index < 0 ? 0n : BigInt(chars(text(s!).slice(0, index)).length + 1));
    },
  }),
  defineFunction({
    name: "left",
    category: "text",
    signature: "left(text, count) → text",
    description: "The first `count` characters (a negative count gives empty text).",
    params: [{ name: "text", type: "text" }, { name: "count", type: "number" }],
    returns: T.text,
    evaluate: ([s, n], at) => chars(text(s!)).slice(0, count(n!, "the count", at)).join(""),
  }),
  defineFunction({
    name: "right",
    category: "text",
    signature: "right(text, count) → text",
    description: "The last `count` characters.",
    params: [{ name: "text", type: "text" }, { name: "count", type: "number" }],
    returns: T.text,
    evaluate: ([s, n], at) => {
      const all = chars(text(s!));
      return all.slice(all.length - Math.min(all.length, count(n!, "the count", at))).join("");
    },
  }),
  defineFunction({
    name: "mid",
    category: "text",
    signature: "mid(text, start, count) → text",
    description: "`count` characters from position `start` (from 1).",
    params: [{ name: "text", type: "text" }, { name: "start", type: "number" }, { name: "count", type: "number" }],
    returns: T.text,
    evaluate: ([s, start, n], at) => {
      const from = Math.max(1, count(start!, "the start", at)) - 1;
      return chars(text(s!)).slice(from, from + count(n!, "the count", at)).join("");
    },
  }),
  defineFunction({
    name: "substitute",
    category: "text",
    signature: "substitute(text, old, new) → text",
    description: "Replaces every `old` in the text by `new` (case-sensitive; an empty `old` changes nothing).",
    params: [{ name: "text", type: "text" }, { name: "old", type: "text" }, { name: "new", type: "text" }],
    returns: T.text,
    evaluate: ([s, old, replacement], at) => {
      if (text(old!) === "") return text(s!);
      const parts = text(s!).split(text(old!));
      const length = text(s!).length + (parts.length - 1) * (text(replacement!).length - text(old!).length);
      if (length > EVALUATION_LIMITS.maxTextLength) fault("OUT_OF_RANGE", `the text would be ${length} characters long; at most ${EVALUATION_LIMITS.maxTextLength} are allowed`, at.span);
      return checkedText(parts.join(text(replacement!)), at);
    },
  }),
  padding("lpad", "left"),
  padding("rpad", "right"),
];
