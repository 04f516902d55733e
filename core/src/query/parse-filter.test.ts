import { describe, expect, it } from "vitest";
import { FILTER_LIMITS, parseFilter } from "./parse-filter.ts";
import type { FilterNode } from "./types.ts";

const VALID: Array<[string, FilterNode]> = [
  ["stage:eq:closed_won", { path: ["stage"], op: "eq", value: "closed_won" }],
  ["amount.amount:gte:1000", { path: ["amount", "amount"], op: "gte", value: "1000" }],
  ["account.owner.name:startsWith:Al", { path: ["account", "owner", "name"], op: "startsWith", value: "Al" }],
  ["closedAt:isNull", { path: ["closedAt"], op: "isNull", value: null }],
  ["closedAt:isNull:false", { path: ["closedAt"], op: "isNull", value: "false" }],
  // A top-level value is the rest of the text, commas, parentheses, colons and spaces included.
  ["name:eq:Acme, Inc. (EU): x ", { path: ["name"], op: "eq", value: "Acme, Inc. (EU): x " }],
  ['name:eq:"Acme, Inc."', { path: ["name"], op: "eq", value: "Acme, Inc." }],
  ['name:eq:""', { path: ["name"], op: "eq", value: "" }],
  ['name:eq:"say \\"hi\\" \\\\ bye"', { path: ["name"], op: "eq", value: 'say "hi" \\ bye' }],
  ['name:eq:"(x)"', { path: ["name"], op: "eq", value: "(x)" }],
  ["industry:in:(tech,retail)", { path: ["industry"], op: "in", value: ["tech", "retail"] }],
  ['account.industry:in:(tech,"a, b")', { path: ["account", "industry"], op: "in", value: ["tech", "a, b"] }],
  ["industry:in:()", { path: ["industry"], op: "in", value: [] }],
  ["industry:in:( a , b c ,d )", { path: ["industry"], op: "in", value: ["a", "b c", "d"] }],
  ['tags:contains:("x)",y)', { path: ["tags"], op: "contains", value: ["x)", "y"] }],
  [
    "or(stage:eq:won,amount.amount:gte:1000)",
    { or: [{ path: ["stage"], op: "eq", value: "won" }, { path: ["amount", "amount"], op: "gte", value: "1000" }] },
  ],
  [
    " and( a:eq:1 , or(b:isNull, c:ne:x y), not(d:in:(1,2)) ) ",
    {
      and: [
        { path: ["a"], op: "eq", value: "1" },
        { or: [{ path: ["b"], op: "isNull", value: null }, { path: ["c"], op: "ne", value: "x y" }] },
        { not: { path: ["d"], op: "in", value: ["1", "2"] } },
      ],
    },
  ],
  ["and(a:eq:x:y)", { and: [{ path: ["a"], op: "eq", value: "x:y" }] }],
  ["not(a:isNull:true)", { not: { path: ["a"], op: "isNull", value: "true" } }],
  ["a:eq:é 客户", { path: ["a"], op: "eq", value: "é 客户" }],
  ["and(a:eq:\"\")", { and: [{ path: ["a"], op: "eq", value: "" }] }],
  // Inside a group an unquoted value runs to the next "," or ")", spaces included.
  ["or(a:eq:1 b:eq:2)", { or: [{ path: ["a"], op: "eq", value: "1 b:eq:2" }] }],
];

describe("parseFilter: valid forms", () => {
  it.each(VALID)("%s", (text, expected) => {
    expect(parseFilter(text)).toEqual({ ok: true, value: expected });
  });
});

/** [input, code, message fragment] — the position in the message is the 0-based character index. */
const MALFORMED: Array<[string, string, string]> = [
  ["", "FILTER_SYNTAX", "expected a field name or and(, or(, not( at position 0, found the end of the filter"],
  ["amount", "FILTER_SYNTAX", 'expected ":" and an operator after "amount" at position 6'],
  ["amount:", "FILTER_SYNTAX", 'expected an operator after "amount:" at position 7; operators are eq, ne,'],
  ["amount:gt", "FILTER_SYNTAX", 'expected ":" and a value after "amount:gt" at position 9'],
  ["amount:gt:", "FILTER_SYNTAX", "expected a value at position 10 (end of the filter)"],
  ["amount:bigger:5", "UNKNOWN_OPERATOR", 'unknown operator "bigger" at position 7'],
  ["amount:EQ:5", "UNKNOWN_OPERATOR", 'unknown operator "EQ" at position 7'],
  ["amount.:eq:5", "FILTER_SYNTAX", 'expected a field name after "amount." at position 7'],
  ["amount..x:eq:5", "FILTER_SYNTAX", 'expected a field name after "amount." at position 7'],
  ["1amount:eq:5", "FILTER_SYNTAX", 'at position 0, found "1"'],
  [":eq:5", "FILTER_SYNTAX", 'at position 0, found ":"'],
  ["amount :eq:5", "FILTER_SYNTAX", 'after "amount" at position 6, found " "'],
  ["xor(a:eq:1)", "FILTER_SYNTAX", 'unknown group "xor(" at position 0'],
  ["and()", "FILTER_SYNTAX", 'expected a field name or and(, or(, not( at position 4, found ")"'],
  ["and(a:eq:1", "FILTER_SYNTAX", 'expected "," or ")" at position 10 to continue and( opened at position 0'],
  ["and(a:eq:1,", "FILTER_SYNTAX", "at position 11, found the end of the filter"],
  ["and(a:eq:1,)", "FILTER_SYNTAX", 'at position 11, found ")"'],
  ["and(a:eq:1))", "FILTER_SYNTAX", 'unexpected ")" at position 11; expected the end of the filter'],
  ["and(a:eq:1) x", "FILTER_SYNTAX", 'unexpected "x" at position 12'],
  ["or(a:eq:1,b)", "FILTER_SYNTAX", 'expected ":" and an operator after "b" at position 11, found ")"'],
  ["not(a:eq:1,b:eq:2)", "FILTER_SYNTAX", "not( at position 0 takes exactly one condition, found 2"],
  ["and(a:eq:)", "FILTER_SYNTAX", "expected a value at position 9"],
  ["and(a:eq:  )", "FILTER_SYNTAX", "expected a value at position 9"],
  ["and(a:eq)", "FILTER_SYNTAX", 'expected ":" and a value after "a:eq" at position 8'],
  ["and(a:isNull x)", "FILTER_SYNTAX", 'expected "," or ")" at position 13'],
  ["a:isNull)", "FILTER_SYNTAX", 'expected ":" after the operator "isNull" at position 8, found ")"'],
  ["and(a:eq:x\"y)", "FILTER_SYNTAX", "unexpected \"\\\"\" at position 10 inside an unquoted value"],
  ["and(a:eq:x(y)", "FILTER_SYNTAX", 'unexpected "(" at position 10 inside an unquoted value'],
  ['a:eq:"abc', "FILTER_SYNTAX", "unterminated string: the quote at position 5 is never closed"],
  ['a:eq:"ab\\c"', "FILTER_SYNTAX", "invalid escape at position 8"],
  ['a:eq:"ab\\', "FILTER_SYNTAX", "invalid escape at position 8"],
  ['a:eq:"x"y', "FILTER_SYNTAX", 'unexpected "y" at position 8 after the closing quote'],
  ['and(a:eq:"x"y)', "FILTER_SYNTAX", 'expected "," or ")" at position 12'],
  ["a:in:(x,y", "FILTER_SYNTAX", 'expected "," or ")" at position 9 in the list opened at position 5'],
  ["a:in:(x,,y)", "FILTER_SYNTAX", "expected a list item at position 8"],
  ["a:in:(x,(y))", "FILTER_SYNTAX", 'unexpected "(" at position 8; lists cannot be nested'],
  ["a:in:(x) y", "FILTER_SYNTAX", 'unexpected "y" at position 9; expected the end of the filter'],
  ['a:in:("x" "y")', "FILTER_SYNTAX", 'expected "," or ")" at position 10'],
  ["and(a:eq:1,,b:eq:2)", "FILTER_SYNTAX", 'at position 11, found ","'],
  ["and(a:isNull:maybe x,b:eq:1)(", "FILTER_SYNTAX", 'unexpected "(" at position 28'],
];

describe("parseFilter: malformed filters", () => {
  it("has at least 30 cases", () => expect(MALFORMED.length).toBeGreaterThanOrEqual(30));
  it.each(MALFORMED)("%s", (text, code, message) => {
    const result = parseFilter(text);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.issues[0]).toMatchObject({ code, pointer: "/filter" });
    expect(result.issues[0]!.message).toContain(message);
    expect(result.issues[0]!.message.startsWith("filter: ")).toBe(true);
  });

  it("reports an unknown operator and a later syntax error together", () => {
    const result = parseFilter("and(a:zz:1,b:eq:)");
    expect(result.ok ? [] : result.issues.map((i) => i.code)).toEqual(["UNKNOWN_OPERATOR", "FILTER_SYNTAX"]);
  });

  it("uses the given pointer", () => {
    const result = parseFilter("a", "/filter/1");
    expect(result.ok ? "" : result.issues[0]!.pointer).toBe("/filter/1");
  });
});

describe("parseFilter: limits", () => {
  const nested = (depth: number) => "and(".repeat(depth) + "a:eq:1" + ")".repeat(depth);

  it("accepts groups nested 10 deep and refuses 11", () => {
    expect(parseFilter(nested(FILTER_LIMITS.maxDepth)).ok).toBe(true);
    const result = parseFilter(nested(FILTER_LIMITS.maxDepth + 1));
    expect(result.ok ? undefined : result.issues[0]).toMatchObject({ code: "FILTER_TOO_DEEP", message: expect.stringContaining("at position 40") });
  });

  it("refuses deep nesting of any size without overflowing the stack", () => {
    const result = parseFilter("not(".repeat(999));
    expect(result.ok ? "" : result.issues[0]!.code).toBe("FILTER_TOO_DEEP");
  });

  it("refuses text longer than 4000 characters before parsing it", () => {
    const huge = `name:eq:${"x".repeat(FILTER_LIMITS.maxLength)}`;
    expect(parseFilter(huge)).toEqual({ ok: false, issues: [{ code: "FILTER_TOO_LONG", pointer: "/filter", message: "filter: 4008 characters is too long; at most 4000 are allowed" }] });
    expect(parseFilter(`name:eq:${"x".repeat(FILTER_LIMITS.maxLength - 8)}`).ok).toBe(true);
  });

  it("allows 100 conditions and refuses 101", () => {
    const conditions = (n: number) => `or(${Array.from({ length: n }, (_, i) => `a:eq:${i}`).join(",")})`;
    expect(parseFilter(conditions(100)).ok).toBe(true);
    expect(parseFilter(conditions(101))).toMatchObject({ ok: false, issues: [{ code: "FILTER_TOO_MANY_CONDITIONS" }] });
  });

  it("allows lists of 200 items and refuses 201", () => {
    const list = (n: number) => `a:in:(${Array.from({ length: n }, (_, i) => i).join(",")})`;
    expect(parseFilter(list(200)).ok).toBe(true);
    expect(parseFilter(list(201))).toMatchObject({ ok: false, issues: [{ code: "FILTER_LIST_TOO_LONG", message: expect.stringContaining("position 5") }] });
  });
});
