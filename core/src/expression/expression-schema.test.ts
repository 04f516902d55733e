import expressionSchema from "@crm/schemas/expression.schema.json" with { type: "json" };
import { describe, expect, it } from "vitest";
import { createAjv } from "../definition/create-ajv.ts";
import { EXPRESSION_LIMITS, parseExpression } from "./parse-expression.ts";

const ajv = createAjv();
ajv.addSchema(expressionSchema);
const validateText = ajv.getSchema("https://schemas.crm.local/expression.schema.json")!;
const validateTree = ajv.getSchema("https://schemas.crm.local/expression.schema.json#/$defs/syntaxTree")!;

describe("expression.schema.json", () => {
  it("takes expression text within the parser's length limit", () => {
    expect(validateText('discount > 20 and stage != "closed_won"')).toBe(true);
    expect(validateText("")).toBe(false);
    expect(validateText("a".repeat(EXPRESSION_LIMITS.maxLength))).toBe(true);
    expect(validateText("a".repeat(EXPRESSION_LIMITS.maxLength + 1))).toBe(false);
    expect(expressionSchema.maxLength).toBe(EXPRESSION_LIMITS.maxLength);
  });

  it("describes every tree the parser builds", () => {
    const sources = [
      'if(amount > 1000.50, "big" & name, null) = $x',
      "not a.b.c in [1, -2, true, false] or f()",
      'x not in tags and (y % 3) <= 2 * -z / 4 - 1 + "\\u00e9"',
    ];
    for (const source of sources) {
      const parsed = parseExpression(source);
      expect(parsed.ok && validateTree(parsed.value), JSON.stringify(validateTree.errors)).toBe(true);
    }
  });

  it.each([
    [{ kind: "number", value: "-1", span: { start: 0, end: 2 } }],
    [{ kind: "number", value: "1.50", span: { start: 0, end: 4 } }],
    [{ kind: "field", path: [], span: { start: 0, end: 0 } }],
    [{ kind: "binary", operator: "^", left: { kind: "null", span: { start: 0, end: 0 } }, right: { kind: "null", span: { start: 0, end: 0 } }, span: { start: 0, end: 0 } }],
    [{ kind: "call", name: "f", args: [{ kind: "nope" }], span: { start: 0, end: 0 } }],
    [{ kind: "null" }],
  ])("refuses the malformed tree %j", (tree) => {
    expect(validateTree(tree)).toBe(false);
  });
});
