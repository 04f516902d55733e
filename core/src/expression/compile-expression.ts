import type { Expression } from "./ast.ts";
import { checkNode } from "./check/check-node.ts";
import { createChecker, report, type ExpressionEnvironment } from "./check/checker.ts";
import { buildRunner } from "./evaluate/build-runner.ts";
import { EVALUATION_LIMITS, type EvaluationContext, type EvaluationState, type RecordJson } from "./evaluation-state.ts";
import { EvaluationFault, type EvaluationError } from "./evaluation-error.ts";
import { lineColumn, type ExpressionResult } from "./expression-issue.ts";
import { describeType, isAssignable, type ExpressionType } from "./expression-type.ts";
import { fieldReferences, type FieldReference } from "./field-references.ts";
import { parseExpression } from "./parse-expression.ts";
import type { Value } from "./values.ts";

export interface CompileExpressionOptions {
  /** JSON Pointer of the expression in the document it comes from, put on every issue. Default `""`. */
  pointer?: string;
  /**
   * The type the result must fit: boolean for conditions and validation rules, the field's type
   * (`fieldType(field)`) for formula fields and computed values.
   */
  expect?: ExpressionType;
}

export type EvaluationResult = { ok: true; value: Value } | { ok: false; error: EvaluationError };

/** A checked expression, ready to evaluate on many records. */
export interface CompiledExpression {
  source: string;
  ast: Expression;
  /** The result type. */
  type: ExpressionType;
  /** Every field path the expression reads, sorted by path: what to load, which changes matter. */
  fields: FieldReference[];
  /** `$variables` read, sorted. */
  variables: string[];
  /** It calls now() or today(): its value changes with time, not only with the record. */
  usesClock: boolean;
  /** It calls isChanged(), priorValue() or isNew(): pass `previous` in the context. */
  usesPrevious: boolean;
  /** Evaluate on a record in the API's JSON shape. Never throws: problems come back as `{ ok: false, error }`. */
  evaluate(record: RecordJson, context?: EvaluationContext): EvaluationResult;
}

/**
 * Parse and type-check an expression against an entity definition; on success, a compiled
 * expression to evaluate. Issues carry code, pointer, message, offset/length and line/column:
 * syntax errors stop at the first one; type errors are all reported.
 * @example
 * const rule = compileExpression('stage = "closed_won" and amount > 10000', { entity: opportunity, entities }, { expect: T.boolean });
 * if (rule.ok) rule.value.evaluate(record).value // true or false (or null when unknown)
 */
export function compileExpression(source: string, environment: ExpressionEnvironment, options: CompileExpressionOptions = {}): ExpressionResult<CompiledExpression> {
  const pointer = options.pointer ?? "";
  const parsed = parseExpression(source, pointer);
  if (!parsed.ok) return parsed;
  const checker = createChecker(source, environment, pointer);
  const typed = checkNode(checker, parsed.value);
  const expected = options.expect;
  if (expected && checker.issues.length === 0 && !isAssignable(typed.type, expected)) {
    report(checker, "TYPE_MISMATCH", parsed.value.span, `the expression gives ${describeType(typed.type)}, but ${describeType(expected)} is expected here`);
  }
  if (checker.issues.length > 0) return { ok: false, issues: checker.issues };
  const run = buildRunner(typed);
  return {
    ok: true,
    value: {
      source,
      ast: parsed.value,
      type: typed.type,
      fields: fieldReferences(checker.fields),
      variables: [...checker.variables].sort(),
      usesClock: checker.usesClock,
      usesPrevious: checker.usesPrevious,
      evaluate: function evaluate(record: RecordJson, context: EvaluationContext = {}): EvaluationResult {
        const budget = context.maxSteps;
        const maxSteps = typeof budget === "number" && budget > 0 ? budget : EVALUATION_LIMITS.maxSteps;
        const state: EvaluationState = { record, context, steps: 0, maxSteps };
        try {
          return { ok: true, value: run(state) };
        } catch (error) {
          return { ok: false, error: evaluationError(source, error) };
        }
      },
    },
  };
}

function evaluationError(source: string, error: unknown): EvaluationError {
  const known = error instanceof EvaluationFault;
  const span = known ? error.span : { start: 0, end: source.length };
  const { line, column } = lineColumn(source, span.start);
  // Anything else is a defect of the evaluator (or a stack overflow); it is reported, never thrown.
  const code = known ? error.code : "INTERNAL_ERROR";
  const message = known ? error.message : `the expression could not be evaluated: ${error instanceof Error ? error.message : String(error)}`;
  return { code, message, offset: span.start, length: span.end - span.start, line, column };
}
