export type { Expression, Span, BinaryOperator, UnaryOperator, ArithmeticOperator, ComparisonOperator } from "./ast.ts";
export { parseExpression, EXPRESSION_LIMITS } from "./parse-expression.ts";
export { printExpression } from "./print-expression.ts";
export type { ExpressionIssue, ExpressionResult } from "./expression-issue.ts";
export { compileExpression, type CompiledExpression, type CompileExpressionOptions, type EvaluationResult } from "./compile-expression.ts";
export type { ExpressionEnvironment } from "./check/checker.ts";
export type { FieldReference } from "./field-references.ts";
export {
  T as ExpressionTypes,
  fieldType as fieldExpressionType,
  describeType as describeExpressionType,
  isAssignable as isExpressionTypeAssignable,
  USER_ENTITY,
  type ExpressionType,
} from "./expression-type.ts";
export { EVALUATION_LIMITS, type EvaluationContext } from "./evaluation-state.ts";
export type { EvaluationError, EvaluationErrorCode } from "./evaluation-error.ts";
export { Decimal } from "./decimal.ts";
export { Money, PlainDate, Instant, JsonValue, toJsonValue, valueText, type Value } from "./values.ts";
export { FUNCTIONS } from "./functions/registry.ts";
export { SPECIAL_FORMS } from "./functions/special-forms.ts";
export { toFieldValue } from "./to-field-value.ts";
