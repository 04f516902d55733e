import type { ComparisonOperator } from "../ast.ts";
import type { Decimal } from "../decimal.ts";
import { checkedText, spend, type At, type EvaluationState } from "../evaluation-state.ts";
import { arithmetic } from "../operators/arithmetic.ts";
import { compareValues, valuesEqual } from "../operators/compare-values.ts";
import type { TypedExpression } from "../typed-expression.ts";
import { Money, valueText, type Value } from "../values.ts";
import { decodeValue } from "./decode-value.ts";
import { readField } from "./read-field.ts";

/** One node turned into a function of the evaluation state (closures, not generated code). */
export type Runner = (state: EvaluationState) => Value;

type Node<K extends TypedExpression["kind"]> = Extract<TypedExpression, { kind: K }>;

/**
 * Build the evaluator of a checked tree once; run it on many records. Every node spends one step.
 * @example buildRunner(typed)({ record, context: {}, steps: 0, maxSteps: 10_000 })
 */
export function buildRunner(node: TypedExpression): Runner {
  const span = node.span;
  switch (node.kind) {
    case "literal": {
      const value = node.value;
      return (state) => {
        spend({ state, span });
        return value;
      };
    }
    case "field":
      return (state) => {
        const at = { state, span };
        spend(at);
        return readField(state.record, node.path, node.type, node.text, at);
      };
    case "variable":
      return (state) => {
        const at = { state, span };
        spend(at);
        const values = state.context.variables ?? {};
        return decodeValue(Object.hasOwn(values, node.name) ? values[node.name] : undefined, node.type, "$" + node.name, at);
      };
    case "list": {
      const items = node.items.map(buildRunner);
      return (state) => {
        spend({ state, span });
        return items.map((item) => item(state));
      };
    }
    case "unary":
      return buildUnary(node);
    case "binary":
      return buildBinary(node);
    case "in":
      return buildIn(node);
    case "call":
      return buildCall(node);
    case "special":
      return buildSpecial(node);
  }
}

function buildUnary(node: Node<"unary">): Runner {
  const operand = buildRunner(node.operand);
  const span = node.span;
  return (state) => {
    spend({ state, span });
    const value = operand(state);
    if (value === null) return null;
    if (node.operator === "not") return !value;
    if (value instanceof Money) return new Money(value.amount.negated(), value.currency);
    return (value as Decimal).negated();
  };
}

function buildBinary(node: Node<"binary">): Runner {
  const left = buildRunner(node.left);
  const right = buildRunner(node.right);
  const span = node.span;
  const op = node.operator;
  // Three-valued logic (true, false, null) with short-circuit: false and x = false, true or x = true.
  if (op === "and" || op === "or") {
    const decisive = op === "or";
    return (state) => {
      spend({ state, span });
      const a = left(state);
      if (a === decisive) return decisive;
      const b = right(state);
      if (b === decisive) return decisive;
      return a === null || b === null ? null : !decisive;
    };
  }
  return (state) => {
    const at: At = { state, span };
    spend(at);
    const a = left(state);
    const b = right(state);
    switch (op) {
      case "&":
        return checkedText(valueText(a) + valueText(b), at);
      case "=":
        return valuesEqual(a, b);
      case "!=":
        return !valuesEqual(a, b);
      case "+":
      case "-":
      case "*":
      case "/":
      case "%":
        return arithmetic(op, a, b, at);
      default:
        return ordered(op, compareValues(a, b, at));
    }
  };
}

function ordered(op: Exclude<ComparisonOperator, "=" | "!=">, order: number | undefined): Value {
  if (order === undefined) return null;
  if (op === "<") return order < 0;
  if (op === "<=") return order <= 0;
  if (op === ">") return order > 0;
  return order >= 0;
}

function buildIn(node: Node<"in">): Runner {
  const value = buildRunner(node.value);
  const list = buildRunner(node.list);
  const span = node.span;
  return (state) => {
    spend({ state, span });
    const needle = value(state);
    const items = list(state) as readonly Value[] | null;
    const found = items !== null && items.some((item) => valuesEqual(item, needle));
    return found !== node.negated;
  };
}

function buildCall(node: Node<"call">): Runner {
  const args = node.args.map(buildRunner);
  const { spec, span } = node;
  return (state) => {
    const at = { state, span };
    spend(at);
    const values = args.map((arg) => arg(state));
    if (!spec.takesNull && values.includes(null)) return null;
    return spec.evaluate(values, at);
  };
}

function buildSpecial(node: Node<"special">): Runner {
  const args = node.args.map(buildRunner);
  const span = node.span;
  switch (node.form) {
    case "if":
      return (state) => {
        spend({ state, span });
        if (args[0]!(state) === true) return args[1]!(state);
        return args[2] ? args[2](state) : null;
      };
    case "case":
      return (state) => {
        spend({ state, span });
        const value = args[0]!(state);
        let i = 1;
        for (; i + 1 < args.length; i += 2) {
          if (valuesEqual(value, args[i]!(state))) return args[i + 1]!(state);
        }
        return i < args.length ? args[i]!(state) : null;
      };
    case "coalesce":
    case "ifNull":
      return (state) => {
        spend({ state, span });
        for (const arg of args) {
          const value = arg(state);
          if (value !== null) return value;
        }
        return null;
      };
    case "isNew":
      return (state) => {
        spend({ state, span });
        return !state.context.previous;
      };
    case "isChanged":
    case "priorValue":
      return buildPrevious(node);
  }
}

function buildPrevious(node: Node<"special">): Runner {
  const field = node.args[0] as Node<"field">;
  const current = buildRunner(field);
  const span = node.span;
  return (state) => {
    const at = { state, span };
    spend(at);
    const previous = state.context.previous;
    if (node.form === "priorValue") return previous ? readField(previous, field.path, field.type, field.text, at) : null;
    if (!previous) return false;
    return !valuesEqual(current(state), readField(previous, field.path, field.type, field.text, at));
  };
}

