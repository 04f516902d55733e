import { describe, expect, it } from "vitest";
import { Decimal, type RoundingMode } from "./decimal.ts";

const d = (text: string): Decimal => {
  const value = Decimal.parse(text);
  if (!value) throw new Error(`not a decimal: ${text}`);
  return value;
};

describe("Decimal.parse", () => {
  it.each([
    ["0", "0"],
    ["1.50", "1.5"],
    ["-0.0", "0"],
    [".5", "0.5"],
    ["5.", "5"],
    ["+7", "7"],
    ["007.100", "7.1"],
    ["1e3", "1000"],
    ["1.5E-3", "0.0015"],
    ["-12345678901234567890.123456789", "-12345678901234567890.123456789"],
  ])("%s reads as %s", (text, canonical) => {
    expect(d(text).toString()).toBe(canonical);
  });

  it.each(["", ".", "-", "abc", "1.2.3", "1e", "1e1001", "0x10", " 1", "1_000", "Infinity"])("refuses %j", (text) => {
    expect(Decimal.parse(text)).toBeUndefined();
  });

  it("keeps equal numbers structurally equal", () => {
    expect(d("1.10").equals(d("1.1"))).toBe(true);
    expect(d("100").equals(d("1e2"))).toBe(true);
  });
});

describe("Decimal.fromNumber", () => {
  it.each([
    [0.1, "0.1"],
    [19.99, "19.99"],
    [1e21, "1000000000000000000000"],
    [1.5e-7, "0.00000015"],
    [-0, "0"],
    [Number.MAX_SAFE_INTEGER, "9007199254740991"],
  ])("%d is exactly %s", (n, text) => {
    expect(Decimal.fromNumber(n)?.toString()).toBe(text);
  });

  it.each([Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY])("refuses %d", (n) => {
    expect(Decimal.fromNumber(n)).toBeUndefined();
  });
});

describe("Decimal arithmetic is exact", () => {
  it.each([
    ["0.1", "+", "0.2", "0.3"],
    ["19.99", "*", "3", "59.97"],
    ["1.1", "*", "1.1", "1.21"],
    ["100.00", "-", "99.99", "0.01"],
    ["-7", "%", "3", "-1"],
    ["7.5", "%", "2", "1.5"],
    ["7", "%", "-3", "1"],
    ["0.3", "-", "0.1", "0.2"],
  ])("%s %s %s = %s", (a, op, b, result) => {
    const x = d(a);
    const y = d(b);
    const value = op === "+" ? x.plus(y) : op === "-" ? x.minus(y) : op === "*" ? x.times(y) : x.remainder(y);
    expect(value.toString()).toBe(result);
  });

  it("adds a thousand cents to exactly ten, where binary floats drift", () => {
    let exact = Decimal.ZERO;
    let float = 0;
    for (let i = 0; i < 1000; i++) {
      exact = exact.plus(d("0.01"));
      float += 0.01;
    }
    expect(exact.toString()).toBe("10");
    expect(float).not.toBe(10);
  });

  it.each([
    ["1", "3", 4, "0.3333"],
    ["2", "3", 4, "0.6667"],
    ["-2", "3", 4, "-0.6667"],
    ["10", "4", 20, "2.5"],
    ["1", "8", 2, "0.13"],
    ["-1", "8", 2, "-0.13"],
    ["0.001", "0.1", 0, "0"],
    ["12.5", "-0.5", 2, "-25"],
  ])("%s / %s to %i places = %s (half away from zero)", (a, b, places, result) => {
    expect(d(a).dividedBy(d(b), places).toString()).toBe(result);
  });

  it("refuses to divide by zero", () => {
    expect(() => d("1").dividedBy(Decimal.ZERO, 2)).toThrow(RangeError);
    expect(() => d("1").remainder(Decimal.ZERO)).toThrow(RangeError);
  });
});

describe("Decimal.round", () => {
  it.each<[string, number, RoundingMode, string]>([
    ["2.345", 2, "halfUp", "2.35"],
    ["2.344", 2, "halfUp", "2.34"],
    ["2.5", 0, "halfUp", "3"],
    ["-2.5", 0, "halfUp", "-3"],
    ["1234.5", -2, "halfUp", "1200"],
    ["1250", -2, "halfUp", "1300"],
    ["-1.5", 0, "floor", "-2"],
    ["-1.5", 0, "ceiling", "-1"],
    ["1.5", 0, "floor", "1"],
    ["1.2", 0, "ceiling", "2"],
    ["-1.9", 0, "down", "-1"],
    ["1.25", 5, "halfUp", "1.25"],
  ])("%s to %i places (%s) is %s", (text, places, mode, result) => {
    expect(d(text).round(places, mode).toString()).toBe(result);
  });
});

describe("Decimal formatting and inspection", () => {
  it.each([
    ["1.5", 2, "1.50"],
    ["-0.005", 2, "-0.01"],
    ["-0.004", 2, "0.00"],
    ["0.5", 0, "1"],
    ["42", 3, "42.000"],
    ["0.000123", 6, "0.000123"],
  ])("%s with %i places is %s", (text, places, result) => {
    expect(d(text).toFixed(places)).toBe(result);
  });

  it.each([
    ["0.5", 0],
    ["123.4", 3],
    ["-99", 2],
    ["1e40", 41],
  ])("%s has %i integer digits", (text, digits) => {
    expect(d(text).integerDigits()).toBe(digits);
  });

  it("converts to JS numbers and safe integers", () => {
    expect(d("12.34").toNumber()).toBe(12.34);
    expect(d("12").toSafeInteger()).toBe(12);
    expect(d("12.5").toSafeInteger()).toBeUndefined();
    expect(d("1e20").toSafeInteger()).toBeUndefined();
  });

  it("orders numbers of different scales", () => {
    expect(d("1.10").compare(d("1.1"))).toBe(0);
    expect(d("-0.01").compare(d("0"))).toBe(-1);
    expect(d("10").compare(d("9.999"))).toBe(1);
  });
});
