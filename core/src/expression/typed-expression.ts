import type { BinaryOperator, Span, UnaryOperator } from "./ast.ts";
import type { ExpressionType } from "./expression-type.ts";
import type { FunctionSpec } from "./functions/function-spec.ts";
import type { SpecialFormName } from "./functions/special-forms.ts";
import type { ResolvedPath } from "../query/types.ts";
import type { Value } from "./values.ts";

/** The checked tree: every node with its type, fields resolved against the definitions, functions found. */
export type TypedExpression = { type: ExpressionType; span: Span } & (
  | { kind: "literal"; value: Value }
  | { kind: "field"; path: ResolvedPath; text: string }
  | { kind: "variable"; name: string }
  | { kind: "list"; items: TypedExpression[] }
  | { kind: "unary"; operator: UnaryOperator; operand: TypedExpression }
  | { kind: "binary"; operator: BinaryOperator; left: TypedExpression; right: TypedExpression }
  | { kind: "in"; negated: boolean; value: TypedExpression; list: TypedExpression }
  | { kind: "call"; spec: FunctionSpec; args: TypedExpression[] }
  | { kind: "special"; form: SpecialFormName; args: TypedExpression[] }
);
