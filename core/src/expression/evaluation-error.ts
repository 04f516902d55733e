import type { Span } from "./ast.ts";

/**
 * Why an evaluation stopped. Stable codes:
 * - `DIVISION_BY_ZERO`: `/` or `%` by zero (guard with `if(x = 0, null, y / x)`).
 * - `CURRENCY_MISMATCH`: adding, subtracting, dividing or ordering amounts in different currencies.
 * - `OUT_OF_RANGE`: a number with more than 38 digits before the point, a date outside years
 *   1–9999, a text longer than 100 000 characters.
 * - `INVALID_ARGUMENT`: a function got a value it cannot use (`dateValue("31.02.")`, `value("abc")`).
 * - `INVALID_RECORD_VALUE`: a record (or variable) holds a value that does not fit its field's type.
 * - `INVALID_CONTEXT`: the evaluation context lacks what the expression needs (a clock for now(),
 *   a known time zone for today(), a lookup for related records).
 * - `STEP_LIMIT_EXCEEDED`: the expression did more work than `maxSteps` allows.
 * - `INTERNAL_ERROR`: a defect of the evaluator itself (reported, never thrown).
 */
export type EvaluationErrorCode =
  | "DIVISION_BY_ZERO"
  | "CURRENCY_MISMATCH"
  | "OUT_OF_RANGE"
  | "INVALID_ARGUMENT"
  | "INVALID_RECORD_VALUE"
  | "INVALID_CONTEXT"
  | "STEP_LIMIT_EXCEEDED"
  | "INTERNAL_ERROR";

/** A failed evaluation: a code, an English message, and the part of the expression that failed. */
export interface EvaluationError {
  code: EvaluationErrorCode;
  message: string;
  offset: number;
  length: number;
  line: number;
  column: number;
}

/** What evaluation throws internally; `evaluate` turns it into an `EvaluationError` result. */
export class EvaluationFault {
  code: EvaluationErrorCode;
  message: string;
  span: Span;

  constructor(code: EvaluationErrorCode, message: string, span: Span) {
    this.code = code;
    this.message = message;
    this.span = span;
  }
}

/** Throw an `EvaluationFault`. */
export function fault(code: EvaluationErrorCode, message: string, span: Span): never {
  throw new EvaluationFault(code, message, span);
}
