import { describe, expect, it } from "vitest";
import { normalizeCompanyName, normalizeEmail, normalizePersonName, normalizePhone, samePhone } from "./normalize.ts";

describe("normalisation", () => {
  it.each([
    ["The ACME Corp., Inc.", "acme"],
    ["Müller & Söhne GmbH", "muller sohne"],
    ["华为技术有限公司", "华为技术"],
    ["  Globex  ", "globex"],
    ["Inc.", ""],
  ])("company %j → %j", (name, expected) => expect(normalizeCompanyName(name)).toBe(expected));

  it("normalises people, emails and phones", () => {
    expect(normalizePersonName("  José ", "O'Neil")).toBe("jose oneil");
    expect(normalizeEmail(" Ada@Example.COM ")).toBe("ada@example.com");
    expect(normalizePhone("+1 (555) 123-4567")).toBe("15551234567");
    expect(normalizePhone("0049 30 1234567")).toBe("49301234567");
    expect(normalizePhone("123")).toBe("");
  });

  it.each([
    ["15551234567", "5551234567", true],
    ["49301234567", "0301234567", true],
    ["5551234567", "5551234568", false],
    ["", "5551234567", false],
  ])("samePhone(%s, %s) is %s", (a, b, same) => expect(samePhone(a, b)).toBe(same));
});
