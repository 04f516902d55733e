import { describe, expect, it } from "vitest";
import { FIELD_TYPES } from "../definition/types.ts";
import type { FieldType } from "../definition/types.ts";
import { findConversion, refusalReason, TYPE_CONVERSIONS } from "./type-conversions.ts";

/** Every supported type change; everything else is refused. Each one runs on PGlite in pglite-type-changes.test.ts. */
const SUPPORTED: Record<FieldType, FieldType[]> = {
  text: ["longText", "richText", "integer", "decimal", "percent", "email", "phone", "url", "select", "json"],
  longText: ["text", "richText", "integer", "decimal", "percent", "email", "phone", "url", "select", "json"],
  richText: ["text", "longText"],
  integer: ["text", "longText", "richText", "decimal", "currency", "percent"],
  decimal: ["text", "longText", "richText", "integer", "currency", "percent"],
  currency: ["decimal", "percent"],
  percent: ["text", "longText", "richText", "integer", "decimal", "currency"],
  boolean: ["text", "longText", "richText"],
  date: ["text", "longText", "richText", "datetime"],
  datetime: ["text", "longText", "richText", "date"],
  email: ["text", "longText", "richText", "phone", "url"],
  phone: ["text", "longText", "richText", "email", "url"],
  url: ["text", "longText", "richText", "email", "phone"],
  select: ["text", "longText", "richText", "multiSelect"],
  multiSelect: ["select"],
  relation: [],
  autoNumber: ["text", "longText", "richText"],
  json: ["text", "longText", "richText"],
};

describe("TYPE_CONVERSIONS", () => {
  it.each(FIELD_TYPES)("supports exactly the listed changes from %s", (from) => {
    expect(FIELD_TYPES.filter((to) => findConversion(from, to) !== undefined)).toEqual(SUPPORTED[from]);
  });

  it("matches each pair with one rule only", () => {
    for (const from of FIELD_TYPES) {
      for (const to of FIELD_TYPES) {
        const rules = TYPE_CONVERSIONS.filter((c) => from !== to && c.from.includes(from) && c.to.includes(to));
        expect(rules.length, `${from} → ${to}`).toBeLessThanOrEqual(1);
      }
    }
  });

  it.each<[FieldType, FieldType, RegExp]>([
    ["relation", "text", /relation/],
    ["text", "relation", /relation/],
    ["integer", "autoNumber", /given by the platform/],
    ["autoNumber", "integer", /text with a prefix/],
    ["integer", "json", /only plain text/],
    ["boolean", "integer", /no safe way/],
  ])("explains why %s → %s is refused", (from, to, reason) => {
    expect(findConversion(from, to)).toBeUndefined();
    expect(refusalReason(from, to)).toMatch(reason);
  });
});
