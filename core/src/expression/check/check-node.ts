import type { ComparisonOperator, Expression } from "../ast.ts";
import { Decimal } from "../decimal.ts";
import { describeType, T, unify, type ExpressionType } from "../expression-type.ts";
import { arithmeticType, comparableProblem, comparisonProblem, isJoinable } from "../operators/operator-types.ts";
import type { TypedExpression } from "../typed-expression.ts";
import { checkCall } from "./check-call.ts";
import { checkField, checkVariable } from "./check-field.ts";
import { checkOptionLiterals } from "./check-options.ts";
import { report, type Checker } from "./checker.ts";

const COMPARISONS = new Set(["=", "!=", "<", "<=", ">", ">="]);

/** Type one node and its children, reporting every problem found. */
export function checkNode(c: Checker, node: Expression): TypedExpression {
  const span = node.span;
  switch (node.kind) {
    case "number":
      return { kind: "literal", value: Decimal.parse(node.value) ?? null, type: T.number, span };
    case "text":
      return { kind: "literal", value: node.value, type: T.text, span };
    case "boolean":
      return { kind: "literal", value: node.value, type: T.boolean, span };
    case "null":
      return { kind: "literal", value: null, type: T.null, span };
    case "field":
      return checkField(c, node);
    case "variable":
      return checkVariable(c, node.name, span);
    case "list":
      return checkList(c, node);
    case "unary":
      return checkUnary(c, node);
    case "binary":
      return checkBinary(c, node);
    case "in":
      return checkIn(c, node);
    case "call":
      return checkCall(c, node);
  }
}

function checkList(c: Checker, node: Extract<Expression, { kind: "list" }>): TypedExpression {
  const items = node.items.map((item) => checkNode(c, item));
  let element: ExpressionType = T.null;
  for (const item of items) {
    if (item.type.kind === "list" || item.type.kind === "json") {
      report(c, "TYPE_MISMATCH", item.span, `a list item must be a single value, not ${describeType(item.type)}`);
      continue;
    }
    const merged = unify(element, item.type);
    if (!merged) report(c, "TYPE_MISMATCH", item.span, `the items of a list must be of one kind: ${describeType(item.type)} after ${describeType(element)}`);
    element = merged ?? element;
  }
  return { kind: "list", items, type: { kind: "list", element }, span: node.span };
}

function checkUnary(c: Checker, node: Extract<Expression, { kind: "unary" }>): TypedExpression {
  const operand = checkNode(c, node.operand);
  const kind = operand.type.kind;
  const wanted = node.operator === "not" ? ["boolean"] : ["number", "currency"];
  if (!["null", "invalid", ...wanted].includes(kind)) {
    const what = node.operator === "not" ? "true or false" : "a number or an amount";
    report(c, "TYPE_MISMATCH", node.span, `${node.operator === "not" ? "not" : "unary -"} needs ${what}, not ${describeType(operand.type)}`);
  }
  const type = node.operator === "not" ? T.boolean : kind === "currency" ? T.currency : T.number;
  return { kind: "unary", operator: node.operator, operand, type, span: node.span };
}

function checkBinary(c: Checker, node: Extract<Expression, { kind: "binary" }>): TypedExpression {
  const left = checkNode(c, node.left);
  const right = checkNode(c, node.right);
  const typed = (type: ExpressionType): TypedExpression => ({ kind: "binary", operator: node.operator, left, right, type, span: node.span });
  const op = node.operator;
  if (op === "and" || op === "or") {
    for (const side of [left, right]) {
      if (!["boolean", "null", "invalid"].includes(side.type.kind)) report(c, "TYPE_MISMATCH", side.span, `${op} needs true or false on both sides, not ${describeType(side.type)}`);
    }
    return typed(T.boolean);
  }
  if (op === "&") {
    for (const side of [left, right]) {
      if (!isJoinable(side.type)) report(c, "TYPE_MISMATCH", side.span, `& joins single values, not ${describeType(side.type)}; use text(…)`);
    }
    return typed(T.text);
  }
  if (COMPARISONS.has(op)) {
    const problem = comparisonProblem(op as ComparisonOperator, left.type, right.type);
    if (problem) report(c, "TYPE_MISMATCH", node.span, problem);
    else checkOptionLiterals(c, left, [right]);
    return typed(T.boolean);
  }
  const result = arithmeticType(op as "+", left.type, right.type);
  if (typeof result === "string") {
    report(c, "TYPE_MISMATCH", node.span, result);
    return typed(T.invalid);
  }
  return typed(result);
}

function checkIn(c: Checker, node: Extract<Expression, { kind: "in" }>): TypedExpression {
  const value = checkNode(c, node.value);
  const list = checkNode(c, node.list);
  const typed: TypedExpression = { kind: "in", negated: node.negated, value, list, type: T.boolean, span: node.span };
  if (list.type.kind === "null" || list.type.kind === "invalid") return typed;
  if (list.type.kind !== "list") {
    report(c, "TYPE_MISMATCH", list.span, `in needs a list on its right ([…], a multi-select or many-to-many field), not ${describeType(list.type)}`);
    return typed;
  }
  const problem = comparableProblem(value.type, list.type.element);
  if (problem !== undefined) {
    report(c, "TYPE_MISMATCH", node.span, `cannot look for ${describeType(value.type)} in a ${describeType(list.type)}${problem}`);
  } else {
    checkOptionLiterals(c, value, list.kind === "list" ? list.items : []);
    checkOptionLiterals(c, { ...list, type: list.type.element }, [value]);
  }
  return typed;
}
