import { describe, expect, it } from "vitest";
import type { Expression } from "./ast.ts";
import { EXPRESSION_LIMITS, parseExpression } from "./parse-expression.ts";
import { printExpression } from "./print-expression.ts";

function parsed(source: string): Expression {
  const result = parseExpression(source);
  if (!result.ok) throw new Error(result.issues.map((i) => i.message).join("; "));
  return result.value;
}

describe("parseExpression: what admins type, in canonical form", () => {
  it.each([
    ["a + b * c", "a + b * c"],
    ["(a + b) * c", "(a + b) * c"],
    ["a - (b - c)", "a - (b - c)"],
    ["(a - b) - c", "a - b - c"],
    ["a / b % c * d", "a / b % c * d"],
    ["A == 1 AND (b <> 2)", "A = 1 and b != 2"],
    ["not a = b", "not a = b"],
    ["!(a && b) || c", "not (a and b) or c"],
    ["a or b and c", "a or b and c"],
    ["(a or b) and c", "(a or b) and c"],
    ["not not a", "not not a"],
    ["-x * 2", "-x * 2"],
    ["- -x", "-(-x)"],
    ["-(a + b)", "-(a + b)"],
    ["2 * -x", "2 * -x"],
    ["x not in [1, 2]", "x not in [1, 2]"],
    ["x IN []", "x in []"],
    ["(a = b) = c", "(a = b) = c"],
    ['"a" & b & 1 + 2', '"a" & b & 1 + 2'],
    ['("a" & b) + 1', '("a" & b) + 1'],
    ["'say \"hi\"'", '"say \\"hi\\""'],
    ['"tab\\tnew\\nline \\u00e9 \\\\"', '"tab\\tnew\\nline é \\\\"'],
    ["1.50 + .5 + 007", "1.5 + 0.5 + 7"],
    ["IF(a, 1, 2)", "IF(a, 1, 2)"],
    ["addDays ( today( ) , 3 )", "addDays(today(), 3)"],
    ["a /* note */ + // to the end\n b", "a + b"],
    ["$userId = ownerId", "$userId = ownerId"],
    ["TRUE and Null or FALSE", "true and null or false"],
    ["account.owner.name", "account.owner.name"],
    ["[]", "[]"],
    ['"客户" & "😀"', '"客户" & "😀"'],
  ])("%s → %s", (source, canonical) => {
    expect(printExpression(parsed(source))).toBe(canonical);
  });

  it("records where every node stands", () => {
    expect(parsed("amount > 1000")).toEqual({
      kind: "binary",
      operator: ">",
      left: { kind: "field", path: ["amount"], span: { start: 0, end: 6 } },
      right: { kind: "number", value: "1000", span: { start: 9, end: 13 } },
      span: { start: 0, end: 13 },
    });
    expect(parsed(" left( name , 2 ) ").span).toEqual({ start: 1, end: 17 });
  });

  it("reads negative numbers as a minus applied to the number", () => {
    expect(parsed("-5")).toMatchObject({ kind: "unary", operator: "-", operand: { kind: "number", value: "5" } });
  });
});

const deep = "(".repeat(EXPRESSION_LIMITS.maxDepth + 1) + "1" + ")".repeat(EXPRESSION_LIMITS.maxDepth + 1);

describe("parseExpression: errors say where and what was expected", () => {
  it.each([
    ["", "EXPRESSION_SYNTAX", 1, 1, "expected a value (a field, a number"],
    ["1 +", "EXPRESSION_SYNTAX", 1, 4, "found the end of the expression"],
    ["if(a, b", "EXPRESSION_SYNTAX", 1, 8, "expected ',' or ')' after the arguments of if"],
    ["(1 + 2", "EXPRESSION_SYNTAX", 1, 7, "expected ')' to close the '(' at line 1, column 1"],
    ["[1, 2", "EXPRESSION_SYNTAX", 1, 6, "expected ',' or ']' after the list items"],
    ["a < b < c", "EXPRESSION_SYNTAX", 1, 7, "comparisons cannot be chained"],
    ["a = b in c", "EXPRESSION_SYNTAX", 1, 7, "comparisons cannot be chained"],
    ['"abc', "INVALID_STRING", 1, 1, 'the text starting here is not closed with "'],
    ['"a\\qb"', "INVALID_STRING", 1, 3, "unknown escape \\q"],
    ['"\\u12"', "INVALID_STRING", 1, 2, "\\u must be followed by four hex digits"],
    ["12abc", "INVALID_NUMBER", 1, 1, '"12abc" is not a number'],
    ["1e5", "INVALID_NUMBER", 1, 1, "is not a number"],
    ["1.2.3", "INVALID_NUMBER", 1, 1, "is not a number"],
    ["1" + "0".repeat(38), "INVALID_NUMBER", 1, 1, "at most 38 digits; this one has 39"],
    ["a # b", "INVALID_TOKEN", 1, 3, 'unexpected character "#"'],
    ["a ≠ b", "INVALID_TOKEN", 1, 3, 'unexpected character "≠"'],
    ["a\n  and or b", "EXPRESSION_SYNTAX", 2, 7, 'found the keyword "or"'],
    ["account.name(1)", "EXPRESSION_SYNTAX", 1, 1, "function names have no dots"],
    ["a b", "EXPRESSION_SYNTAX", 1, 3, "expected an operator or the end of the expression, found 'b'"],
    ["a not b", "EXPRESSION_SYNTAX", 1, 3, "found 'not'"],
    ["/* open", "INVALID_TOKEN", 1, 1, "the comment is not closed"],
    ["$ = 1", "INVALID_TOKEN", 1, 1, "expected a variable name after $"],
    ["+1", "EXPRESSION_SYNTAX", 1, 1, "a leading + is not needed"],
    ["account.", "EXPRESSION_SYNTAX", 1, 9, "expected a field name after the dot"],
    ["x in", "EXPRESSION_SYNTAX", 1, 5, "expected a value"],
    ["f(1,)", "EXPRESSION_SYNTAX", 1, 5, "expected a value"],
    [deep, "EXPRESSION_TOO_DEEP", 1, EXPRESSION_LIMITS.maxDepth + 1, "nests deeper than 100 levels"],
    ["1+".repeat(EXPRESSION_LIMITS.maxDepth) + "1", "EXPRESSION_TOO_DEEP", 1, 1, "split long chains"],
    ["not ".repeat(EXPRESSION_LIMITS.maxDepth + 1) + "a", "EXPRESSION_TOO_DEEP", 1, 401, "nests deeper"],
  ])("%j → %s at %i:%i", (source, code, line, column, fragment) => {
    const result = parseExpression(source);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.issues).toHaveLength(1);
    const [issue] = result.issues;
    expect(issue).toMatchObject({ code, line, column, pointer: "" });
    expect(issue!.message).toContain(fragment);
    expect(issue!.message).toContain(`(line ${line}, column ${column})`);
  });

  it("refuses text longer than the limit before reading it", () => {
    const result = parseExpression("a".repeat(EXPRESSION_LIMITS.maxLength + 1));
    expect(result).toMatchObject({ ok: false, issues: [{ code: "EXPRESSION_TOO_LONG", offset: EXPRESSION_LIMITS.maxLength }] });
  });

  it("accepts a chain just under the depth limit", () => {
    expect(parseExpression("1+".repeat(EXPRESSION_LIMITS.maxDepth - 2) + "1").ok).toBe(true);
  });

  it("puts the caller's pointer, offset and length on the issue", () => {
    const result = parseExpression('amount > "x', "/rules/0/condition");
    expect(result).toMatchObject({ ok: false, issues: [{ pointer: "/rules/0/condition", offset: 9, length: 2, line: 1, column: 10 }] });
  });

  it("refuses too many list items", () => {
    const result = parseExpression(`[${Array.from({ length: EXPRESSION_LIMITS.maxItems + 1 }, () => "1").join(",")}]`);
    expect(result).toMatchObject({ ok: false, issues: [{ code: "EXPRESSION_TOO_LONG", offset: 0, length: 1 }] });
  });
});
