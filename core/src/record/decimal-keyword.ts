import type { FuncKeywordDefinition, SchemaValidateFunction } from "ajv";

/** Parameters of the `x-decimal` keyword: the column's NUMERIC(precision, scale). */
export interface DecimalLimits {
  precision: number;
  scale: number;
}

/**
 * Digits after the point in the shortest decimal form of `n` (what JSON would show).
 * @example fractionDigits(1.25) // 2
 */
export function fractionDigits(n: number): number {
  const match = /^(\d+)(?:\.(\d+))?(?:e([+-]\d+))?$/.exec(Math.abs(n).toString());
  if (!match) return Number.POSITIVE_INFINITY;
  return Math.max(0, (match[2]?.length ?? 0) - Number(match[3] ?? 0));
}

const validate: SchemaValidateFunction = function validateDecimal(limits: DecimalLimits, data: unknown): boolean {
  if (typeof data !== "number") return true;
  const integerDigits = limits.precision - limits.scale;
  if (fractionDigits(data) > limits.scale) {
    validate.errors = [{ keyword: "x-decimal", params: { reason: "scale", ...limits }, message: `must have at most ${limits.scale} decimal places` }];
    return false;
  }
  if (Math.abs(data) >= 10 ** integerDigits) {
    validate.errors = [{ keyword: "x-decimal", params: { reason: "precision", ...limits }, message: `must have at most ${integerDigits} digits before the decimal point` }];
    return false;
  }
  return true;
};

/**
 * The `x-decimal` ajv keyword: a number must fit a NUMERIC(precision, scale) column, i.e. have at
 * most `scale` fraction digits and fewer than `precision - scale` integer digits. Errors carry
 * `params.reason` = `"scale"` or `"precision"`.
 *
 * @example
 * ajv.addKeyword(decimalKeyword);
 * ajv.validate({ type: "number", "x-decimal": { precision: 5, scale: 2 } }, 123.456); // false
 */
export const decimalKeyword: FuncKeywordDefinition = {
  keyword: "x-decimal",
  type: "number",
  schemaType: "object",
  metaSchema: {
    type: "object",
    required: ["precision", "scale"],
    additionalProperties: false,
    properties: {
      precision: { type: "integer", minimum: 1, maximum: 38 },
      scale: { type: "integer", minimum: 0, maximum: 38 },
    },
  },
  errors: true,
  validate,
};
