import { describe, expect, it } from "vitest";
import type { FieldDefinition } from "../definition/types.ts";
import { field } from "../migration/test-fixtures.ts";
import { Decimal } from "./decimal.ts";
import { toFieldValue } from "./to-field-value.ts";
import { Instant, JsonValue, Money, PlainDate, type Value } from "./values.ts";

const n = (text: string) => Decimal.parse(text)!;

describe("toFieldValue", () => {
  it.each<[string, FieldDefinition, Value, unknown]>([
    ["null", field("integer", { key: "qty" }), null, null],
    ["integer, rounded half-up", field("integer", { key: "qty" }), n("2.5"), 3],
    ["decimal to its scale", field("decimal", { key: "price", scale: 2 }), n("2.345"), 2.35],
    ["percent default scale 2", field("percent", { key: "rate" }), n("12.3456"), 12.35],
    ["currency to its scale", field("currency", { key: "total", scale: 2 }), new Money(n("10.005"), "EUR"), { amount: 10.01, currency: "EUR" }],
    ["text", field("text", { key: "label" }), "hello", "hello"],
    ["select key", field("select", { key: "stage" }), "a", "a"],
    ["boolean", field("boolean", { key: "flag" }), true, true],
    ["date", field("date", { key: "due" }), new PlainDate(19_853), "2024-05-10"],
    ["datetime", field("datetime", { key: "at" }), new Instant(Date.parse("2024-05-10T08:00:00Z")), "2024-05-10T08:00:00.000Z"],
    ["multiSelect", field("multiSelect", { key: "tags" }), ["a", "b"], ["a", "b"]],
    ["manyToOne id", field("relation", { key: "account", relation: "manyToOne", target: "account" }), "id-1", "id-1"],
    ["json", field("json", { key: "meta" }), new JsonValue({ a: 1 }), { a: 1 }],
    ["json from a number", field("json", { key: "meta" }), n("1.5"), 1.5],
  ])("%s", (_, target, value, expected) => {
    expect(toFieldValue(value, target)).toEqual({ ok: true, value: expected });
  });

  it.each<[string, FieldDefinition, Value, string, string]>([
    ["text into a number", field("integer", { key: "qty" }), "3", "VALUE_NOT_ASSIGNABLE", 'qty: "3" is not a number'],
    ["a number into an amount", field("currency", { key: "total" }), n("3"), "VALUE_NOT_ASSIGNABLE", "total: 3 is not an amount with its currency"],
    ["too many digits", field("decimal", { key: "price", precision: 5, scale: 2 }), n("1234.5"), "OUT_OF_RANGE", "more than 3 digits before the decimal point"],
    ["an unsafe integer", field("integer", { key: "qty" }), n("9007199254740993"), "OUT_OF_RANGE", "beyond the safe integers"],
    ["a date into a date-time", field("datetime", { key: "at" }), new PlainDate(0), "VALUE_NOT_ASSIGNABLE", '"1970-01-01" is not a date-time'],
    ["into an auto number", field("autoNumber", { key: "no" }), "x", "VALUE_NOT_ASSIGNABLE", "the field is not written directly"],
  ])("refuses %s", (_, target, value, code, message) => {
    const result = toFieldValue(value, target, "/steps/0/values/qty");
    expect(result).toMatchObject({ ok: false, issues: [{ code, pointer: "/steps/0/values/qty" }] });
    if (!result.ok) expect(result.issues[0]!.message).toContain(message);
  });
});
