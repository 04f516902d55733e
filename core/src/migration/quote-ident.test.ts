import { describe, expect, it } from "vitest";
import { boundedName, physicalName } from "./physical-name.ts";
import { qualifiedName, quoteIdent, utf8Length } from "./quote-ident.ts";
import { quoteLiteral } from "./quote-literal.ts";
import { stableHash } from "./stable-hash.ts";

describe("quoteIdent", () => {
  it.each([
    ["account", '"account"'],
    ["createdAt", '"createdAt"'],
    ['a"b', '"a""b"'],
    ['"', '""""'],
    ["'; drop table x; --", `"'; drop table x; --"`],
    ['x"; DROP TABLE "data"."account"; --', '"x""; DROP TABLE ""data"".""account""; --"'],
    ["客户", '"客户"'],
    ["naïve café", '"naïve café"'],
    ["_del_f-1.cur", '"_del_f-1.cur"'],
    ["a".repeat(63), `"${"a".repeat(63)}"`],
  ])("quotes %j", (name, quoted) => {
    expect(quoteIdent(name)).toBe(quoted);
  });

  it.each([
    ["", /empty/],
    ["a\u0000b", /NUL/],
    ["a".repeat(64), /63 bytes/],
    ["é".repeat(32), /63 bytes/],
  ])("refuses %j", (name, error) => {
    expect(() => quoteIdent(name)).toThrow(error);
  });

  it("counts UTF-8 bytes, not characters", () => {
    expect([utf8Length("a"), utf8Length("é"), utf8Length("客"), utf8Length("😀")]).toEqual([1, 2, 3, 4]);
    expect(quoteIdent("客".repeat(21))).toBe(`"${"客".repeat(21)}"`);
    expect(() => quoteIdent("客".repeat(22))).toThrow();
  });

  it("qualifies names", () => {
    expect(qualifiedName("data", 'we"ird')).toBe('"data"."we""ird"');
  });
});

describe("quoteLiteral", () => {
  it.each<[unknown, string]>([
    ["plain", "'plain'"],
    ["it's", "'it''s'"],
    ["'; drop table x; --", "'''; drop table x; --'"],
    ["back\\slash", "'back\\slash'"],
    ['a"b', `'a"b'`],
    ["客户 😀", "'客户 😀'"],
    ["", "''"],
    [42, "42"],
    [-1.5, "-1.5"],
    [-0, "0"],
    [1e21, "1e+21"],
    [12n, "12"],
    [true, "true"],
    [false, "false"],
    [null, "NULL"],
    [["a", "it's"], "ARRAY['a', 'it''s']::text[]"],
    [[], "ARRAY[]::text[]"],
    [{ a: "it's", b: [1, null] }, `'{"a":"it''s","b":[1,null]}'::jsonb`],
  ])("quotes %s", (value, literal) => {
    expect(quoteLiteral(value)).toBe(literal);
  });

  it("quotes any JSON value as jsonb on request", () => {
    expect(quoteLiteral("x", "jsonb")).toBe(`'"x"'::jsonb`);
    expect(quoteLiteral([1, "a"], "jsonb")).toBe(`'[1,"a"]'::jsonb`);
    expect(quoteLiteral(null, "jsonb")).toBe(`'null'::jsonb`);
  });

  it.each<[unknown, RegExp]>([
    [Number.NaN, /non-finite/],
    [Number.POSITIVE_INFINITY, /non-finite/],
    ["a\u0000", /NUL/],
    [[1, 2], /strings only/],
    [undefined, /cannot quote/],
    [() => 1, /cannot quote/],
    [Symbol("x"), /cannot quote/],
  ])("refuses %s", (value, error) => {
    expect(() => quoteLiteral(value)).toThrow(error);
  });
});

describe("derived names", () => {
  it("hashes deterministically", () => {
    expect(stableHash("abc")).toBe(stableHash("abc"));
    expect(stableHash("abc")).toMatch(/^[0-9a-f]{8}$/);
    expect(stableHash("abc")).not.toBe(stableHash("abd"));
  });

  it("keeps short names and bounds long ones with a hash of the whole name", () => {
    expect(boundedName("ix_acct.email")).toBe("ix_acct.email");
    const long = physicalName("uqc", "e".repeat(40), "c".repeat(40));
    const other = physicalName("uqc", "e".repeat(40), `${"c".repeat(39)}d`);
    expect(utf8Length(long)).toBe(63);
    expect(long).toMatch(/^uqc_e{40}\.c{9}_[0-9a-f]{8}$/);
    expect(other).not.toBe(long);
    expect(quoteIdent(long)).toBeTruthy();
  });

  it("keeps ids with underscores apart", () => {
    expect(physicalName("ix", "a_b", "c")).not.toBe(physicalName("ix", "a", "b_c"));
  });
});
