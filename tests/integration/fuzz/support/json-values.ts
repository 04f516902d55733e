import fc from "fast-check";
import { hasForbiddenText } from "./check-response.ts";

/** A JSON token written as is (`1e400`, `-0`, a 10,000-level array), which `JSON.stringify` cannot produce. */
export class RawJson {
  readonly text: string;
  constructor(text: string) {
    this.text = text;
  }
  toJSON(): string {
    return `<raw ${this.text.slice(0, 40)}${this.text.length > 40 ? "…" : ""}>`;
  }
}

/** Serialise a generated value: `RawJson` inside it is written verbatim, everything else as JSON. */
export function toJsonText(value: unknown): string {
  if (value instanceof RawJson) return value.text;
  if (Array.isArray(value)) return `[${value.map(toJsonText).join(",")}]`;
  if (value !== null && typeof value === "object") {
    return `{${Object.entries(value).map(([key, item]) => `${JSON.stringify(key)}:${toJsonText(item)}`).join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}

/** Generated strings never contain the words the leak check looks for, so an echo is never a false alarm. */
const clean = (s: string) => !hasForbiddenText(s);

/** Strings that tend to break parsers, SQL, dates and numbers. */
export const NASTY_STRINGS = [
  "",
  " ",
  "\t\n",
  "\u0000",
  "a\u0000b",
  "\ud800",
  "x\udfffy",
  "\ufeff",
  "\u202eevil",
  "e\u0301",
  "👩‍👩‍👧‍👦",
  "客户",
  "ß",
  "İ",
  "'",
  '"',
  "\\",
  "' OR '1'='1",
  "'); drop table account; --",
  "%",
  "%00",
  "%zz",
  ",",
  "(",
  ")",
  ":",
  "a,b",
  "(a,b)",
  '"a, b"',
  "null",
  "true",
  "NaN",
  "-NaN",
  "Infinity",
  "-Infinity",
  "-0",
  "1e308",
  "1e400",
  "-1e308",
  "0x1F",
  " 42 ",
  "1_000",
  "9007199254740993",
  "1.7976931348623157e+309",
  "0.1",
  "2024-02-30",
  "2024-13-01",
  "0000-01-01",
  "9999-12-31",
  "-infinity",
  "epoch",
  "now",
  "today",
  "2024-01-01T25:00:00Z",
  "2024-06-30T23:59:60Z",
  "0001-01-01T00:00:00Z",
  "9999-12-31T23:59:59.999999Z",
  "+275760-09-13T00:00:00Z",
  "2024-01-01T00:00:00+99:99",
  "00000000-0000-0000-0000-000000000000",
  "FFFFFFFF-FFFF-FFFF-FFFF-FFFFFFFFFFFF",
  "{00000000-0000-0000-0000-000000000000}",
  "00000000000000000000000000000000",
  "__proto__",
  "constructor",
  "toString",
  "$1",
  "$$",
  "javascript:alert(1)",
  "https://",
  "mailto:a@b.c",
  "a@b",
  "+",
  "#",
  "?",
  "&",
  "=",
  "~",
  "/",
  "~1",
  "[]",
  "{}",
] as const;

/** Unicode of every kind (not only printable), with the nasty strings mixed in, never a forbidden word. */
export function anyString(maxLength = 40): fc.Arbitrary<string> {
  return fc
    .oneof(
      { weight: 3, arbitrary: fc.string({ maxLength }) },
      { weight: 2, arbitrary: fc.string({ unit: "binary", maxLength }) },
      { weight: 1, arbitrary: fc.string({ unit: "binary-ascii", maxLength }) },
      { weight: 3, arbitrary: fc.constantFrom(...NASTY_STRINGS) },
      { weight: 1, arbitrary: fc.tuple(fc.constantFrom(...NASTY_STRINGS), fc.string({ maxLength: 8 })).map(([a, b]) => a + b) },
    )
    .filter(clean);
}

/** Rarely: a string far beyond any field's maximum length. */
export function hugeString(): fc.Arbitrary<string> {
  return fc.tuple(fc.constantFrom("a", "é", "客", "💥", "'", "\\"), fc.constantFrom(256, 1_001, 10_001, 100_001)).map(([unit, n]) => unit.repeat(n));
}

/** Numbers at every edge: ±0, huge, tiny, unsafe integers; and raw tokens that only JSON text can carry. */
export function anyNumber(): fc.Arbitrary<number | RawJson> {
  return fc.oneof(
    fc.constantFrom(0, -0, 1, -1, 0.5, 0.1 + 0.2, 1e308, -1e308, 5e-324, 2 ** 53, 2 ** 53 + 2, -(2 ** 63), 2 ** 31, 1e21, 100, 101, 1234567.891),
    fc.integer(),
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    fc.constantFrom("1e400", "-1e400", "-0", "1E+2", "0.0000000001", "1e-400", "123456789012345678901234567890", "0.30000000000000004", "1.000000000000000000001").map((t) => new RawJson(t)),
  );
}

/** Documents nested deeper than any recursive code should go. */
export function deepJson(): fc.Arbitrary<RawJson> {
  return fc.tuple(fc.constantFrom(100, 1_000, 10_000, 50_000), fc.boolean()).map(([depth, arrays]) =>
    new RawJson(arrays ? "[".repeat(depth) + "]".repeat(depth) : '{"a":'.repeat(depth) + "1" + "}".repeat(depth)),
  );
}

/** Keys that reach prototype or special handling in JavaScript and JSON Pointer code. */
export const NASTY_KEYS = ["__proto__", "constructor", "prototype", "toString", "hasOwnProperty", "", " ", "a/b", "~", "~0", "~1", "a.b", "$ref", "0", "-1", "客户", "\u0000"] as const;

/** Any JSON value, with nasty strings, numbers and keys, depth-limited. */
export function anyJson(maxDepth = 3): fc.Arbitrary<unknown> {
  const { value } = fc.letrec<{ value: unknown }>((tie) => ({
    value: fc.oneof(
      { depthSize: "small", maxDepth, withCrossShrink: true },
      fc.constant(null),
      fc.boolean(),
      anyNumber(),
      anyString(),
      fc.array(tie("value"), { maxLength: 5 }),
      fc.dictionary(fc.oneof(anyString(12), fc.constantFrom(...NASTY_KEYS)), tie("value"), { maxKeys: 5 }),
    ),
  }));
  return value;
}

/** Rare heavy values (deep nesting, huge strings) beside ordinary random JSON. */
export function anyJsonOrHeavy(): fc.Arbitrary<unknown> {
  return fc.oneof({ weight: 12, arbitrary: anyJson() }, { weight: 1, arbitrary: deepJson() }, { weight: 1, arbitrary: hugeString() });
}
