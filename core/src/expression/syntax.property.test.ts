import { describe, expect, it } from "vitest";
import type { BinaryOperator, Expression } from "./ast.ts";
import { Decimal } from "./decimal.ts";
import { lineColumn } from "./expression-issue.ts";
import { parseExpression } from "./parse-expression.ts";
import { printExpression } from "./print-expression.ts";
import { forAll, type Random } from "./random.test-support.ts";

const KEYWORDS = ["and", "or", "not", "in", "true", "false", "null"];
const OPERATORS: BinaryOperator[] = ["+", "-", "*", "/", "%", "&", "=", "!=", "<", "<=", ">", ">=", "and", "or"];
const TEXT_PIECES = ["a", "Z", " ", '"', "'", "\\", "\n", "\t", "\r", "\u0001", "\u007f", "客户", "😀", "\ud800", "$", "//", "/*", "é"];
const NO_SPAN = { start: 0, end: 0 };

function identifier(random: Random): string {
  while (true) {
    const first = random.pick([..."abcxyzABC_"]);
    let name = first;
    const length = random.int(0, 6);
    for (let i = 0; i < length; i++) name += random.pick([..."abcdefXYZ019_"]);
    if (!KEYWORDS.includes(name.toLowerCase())) return name;
  }
}

function number(random: Random): string {
  const coefficient = BigInt(random.int(0, 10 ** random.int(1, 9)));
  return Decimal.of(random.chance(0.1) ? coefficient * 10n ** 25n : coefficient, random.int(0, 6)).toString();
}

/** Any syntax tree the grammar can express, including ones that would not type-check. */
function expression(random: Random, depth: number): Expression {
  const leaf = depth <= 0 || random.chance(0.3);
  const kind = leaf ? random.pick(["number", "text", "boolean", "null", "field", "variable"]) : random.pick(["list", "unary", "binary", "binary", "in", "call"]);
  switch (kind) {
    case "number":
      return { kind: "number", value: number(random), span: NO_SPAN };
    case "text":
      return { kind: "text", value: Array.from({ length: random.int(0, 5) }, () => random.pick(TEXT_PIECES)).join(""), span: NO_SPAN };
    case "boolean":
      return { kind: "boolean", value: random.chance(0.5), span: NO_SPAN };
    case "null":
      return { kind: "null", span: NO_SPAN };
    case "field":
      return { kind: "field", path: Array.from({ length: random.int(1, 3) }, () => identifier(random)), span: NO_SPAN };
    case "variable":
      return { kind: "variable", name: identifier(random), span: NO_SPAN };
    case "list":
      return { kind: "list", items: Array.from({ length: random.int(0, 3) }, () => expression(random, depth - 1)), span: NO_SPAN };
    case "unary":
      return { kind: "unary", operator: random.pick(["-", "not"] as const), operand: expression(random, depth - 1), span: NO_SPAN };
    case "binary":
      return { kind: "binary", operator: random.pick(OPERATORS), left: expression(random, depth - 1), right: expression(random, depth - 1), span: NO_SPAN };
    case "in":
      return { kind: "in", negated: random.chance(0.5), value: expression(random, depth - 1), list: expression(random, depth - 1), span: NO_SPAN };
    default:
      return { kind: "call", name: identifier(random), args: Array.from({ length: random.int(0, 3) }, () => expression(random, depth - 1)), span: NO_SPAN };
  }
}

/** The tree with every span zeroed, for comparing trees whatever their layout. */
function withoutSpans(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(withoutSpans);
  if (typeof node !== "object" || node === null) return node;
  return Object.fromEntries(Object.entries(node).map(([key, value]) => [key, key === "span" ? NO_SPAN : withoutSpans(value)]));
}

const FRAGMENTS = ["(", ")", "[", "]", ",", "+", "-", "*", "/", "%", "&", "=", "==", "!=", "<>", "<", ">=", "!", "&&", "||", " and ", " or ", " not ", " in ", '"', "'", "\\", "1", "2.5", ".", "007", "amount", "account.name", "$x", "if", "(1)", " ", "\n", "/*", "*/", "//", "é", "😀", "\u0000", "1e5", "#"];

describe("syntax properties", () => {
  it("printing a tree and parsing the text gives the same tree", () => {
    forAll(
      1500,
      (random) => expression(random, 5),
      (tree) => {
        const text = printExpression(tree);
        const parsed = parseExpression(text);
        if (!parsed.ok) throw new Error(`${text}\n${parsed.issues[0]!.message}`);
        expect(withoutSpans(parsed.value)).toEqual(tree);
        expect(printExpression(parsed.value)).toBe(text);
      },
    );
  });

  it("parsing any text returns a tree or issues with positions inside the text, and never throws", () => {
    forAll(
      3000,
      (random) => {
        if (random.chance(0.5)) return Array.from({ length: random.int(0, 25) }, () => random.pick(FRAGMENTS)).join("");
        // A valid expression with a few characters deleted, duplicated or replaced.
        const chars = [...printExpression(expression(random, 4))];
        for (let edits = random.int(1, 3); edits > 0 && chars.length > 0; edits--) {
          const at = random.int(0, chars.length - 1);
          const edit = random.int(0, 2);
          if (edit === 0) chars.splice(at, 1);
          else if (edit === 1) chars.splice(at, 0, chars[at]!);
          else chars[at] = random.pick(FRAGMENTS);
        }
        return chars.join("");
      },
      (text) => {
        const result = parseExpression(text);
        if (result.ok) {
          // What parses, prints to text that parses to the same tree.
          const again = parseExpression(printExpression(result.value));
          expect(again.ok && withoutSpans(again.value)).toEqual(withoutSpans(result.value));
          return;
        }
        expect(result.issues).toHaveLength(1);
        const issue = result.issues[0]!;
        expect(issue.offset).toBeGreaterThanOrEqual(0);
        expect(issue.offset + issue.length).toBeLessThanOrEqual(text.length);
        expect({ line: issue.line, column: issue.column }).toEqual(lineColumn(text, issue.offset));
        expect(issue.message.length).toBeGreaterThan(20);
      },
    );
  });
});
