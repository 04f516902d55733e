import type { Expression } from "../ast.ts";
import { describeType, T, unify, type ExpressionType } from "../expression-type.ts";
import { acceptsType, describeParam, type FunctionSpec } from "../functions/function-spec.ts";
import { findFunction, functionNames } from "../functions/registry.ts";
import type { SpecialForm } from "../functions/special-forms.ts";
import { comparableProblem } from "../operators/operator-types.ts";
import { didYouMean } from "../suggest.ts";
import type { TypedExpression } from "../typed-expression.ts";
import { checkNode } from "./check-node.ts";
import { checkOptionLiterals } from "./check-options.ts";
import { report, type Checker } from "./checker.ts";

type CallNode = Extract<Expression, { kind: "call" }>;

/** A function call: known name, number of arguments, argument types, result type. */
export function checkCall(c: Checker, node: CallNode): TypedExpression {
  const found = findFunction(node.name);
  const nameSpan = { start: node.span.start, end: node.span.start + node.name.length };
  if (!found) {
    report(c, "UNKNOWN_FUNCTION", nameSpan, `unknown function ${node.name}()${didYouMean(node.name, functionNames())}`);
    node.args.forEach((arg) => checkNode(c, arg));
    return { kind: "literal", value: null, type: T.invalid, span: node.span };
  }
  if (found.kind === "special") return checkSpecial(c, node, found.form);
  const args = node.args.map((arg) => checkNode(c, arg));
  const spec = found.spec;
  if (!arityFits(c, node, spec)) return { kind: "call", spec, args, type: T.invalid, span: node.span };
  if (spec.clock) c.usesClock = true;
  let ok = true;
  args.forEach((arg, i) => {
    const param = spec.params[Math.min(i, spec.params.length - 1)]!;
    if (acceptsType(param.type, arg.type)) return;
    ok = false;
    report(c, "TYPE_MISMATCH", arg.span, `${param.name} of ${spec.name}() must be ${describeParam(param.type)}, not ${describeType(arg.type)}`);
  });
  if (spec.name === "includes" && ok && args[0]!.type.kind === "list") checkIncludes(c, args[0]!, args[1]!, args[0]!.type.element);
  const type = typeof spec.returns === "function" ? spec.returns(args.map((a) => a.type)) : spec.returns;
  if (typeof type === "string") {
    if (ok) report(c, "TYPE_MISMATCH", node.span, type);
    return { kind: "call", spec, args, type: T.invalid, span: node.span };
  }
  return { kind: "call", spec, args, type: ok ? type : T.invalid, span: node.span };
}

function arityFits(c: Checker, node: CallNode, spec: FunctionSpec): boolean {
  const max = spec.variadic ? Infinity : spec.params.length;
  const min = spec.params.length - (spec.optional ?? 0);
  if (node.args.length >= min && node.args.length <= max) return true;
  const names = spec.params.map((p) => p.name).join(", ") + (spec.variadic ? ", …" : "");
  const count = spec.variadic ? `at least ${min}` : min === max ? `${min}` : `${min} to ${max}`;
  report(c, "WRONG_ARITY", node.span, `${spec.name}() takes ${count} ${plural(count)} (${names}), not ${node.args.length}`);
  return false;
}

function checkIncludes(c: Checker, list: TypedExpression, value: TypedExpression, element: ExpressionType): void {
  const problem = comparableProblem(element, value.type);
  if (problem !== undefined) report(c, "TYPE_MISMATCH", value.span, `a ${describeType(list.type)} cannot hold ${describeType(value.type)}${problem}`);
  else checkOptionLiterals(c, { ...list, type: element }, [value]);
}

function checkSpecial(c: Checker, node: CallNode, form: SpecialForm): TypedExpression {
  const typed = (args: TypedExpression[], type: ExpressionType): TypedExpression => ({ kind: "special", form: form.name, args, type, span: node.span });
  if (node.args.length < form.minArgs || node.args.length > form.maxArgs) {
    const count = form.minArgs === form.maxArgs ? `${form.minArgs}` : form.maxArgs > 10 ? `at least ${form.minArgs}` : `${form.minArgs} to ${form.maxArgs}`;
    report(c, "WRONG_ARITY", node.span, `${form.name}() takes ${count} ${plural(count)}: ${form.signature}; got ${node.args.length}`);
    node.args.forEach((arg) => checkNode(c, arg));
    return typed([], T.invalid);
  }
  if (form.name === "isChanged" || form.name === "priorValue") return checkPrevious(c, node, form.name, typed);
  if (form.name === "isNew") {
    c.usesPrevious = true;
    return typed([], T.boolean);
  }
  const args = node.args.map((arg) => checkNode(c, arg));
  if (form.name === "if") {
    requireBoolean(c, args[0]!, "the condition of if()");
    return typed(args, unifyAll(c, args.slice(1), "the branches of if()"));
  }
  if (form.name === "case") return typed(args, checkCase(c, args));
  return typed(args, unifyAll(c, args, `the values of ${form.name}()`));
}

function checkPrevious(c: Checker, node: CallNode, name: "isChanged" | "priorValue", typed: (args: TypedExpression[], type: ExpressionType) => TypedExpression): TypedExpression {
  const argument = node.args[0]!;
  const arg = checkNode(c, argument);
  if (argument.kind !== "field" || argument.path.length !== 1 || arg.kind !== "field") {
    if (arg.type.kind !== "invalid") report(c, "TYPE_MISMATCH", argument.span, `${name}() takes one of the record's own fields, such as ${name}(stage)`);
    return typed([arg], T.invalid);
  }
  c.usesPrevious = true;
  return typed([arg], name === "isChanged" ? T.boolean : arg.type);
}

/** case(value, match, result, …, default?): matches comparable with the value, results of one kind. */
function checkCase(c: Checker, args: TypedExpression[]): ExpressionType {
  const [value, ...rest] = args;
  const results: TypedExpression[] = [];
  for (let i = 0; i < rest.length; i += 2) {
    const match = rest[i]!;
    const result = rest[i + 1];
    if (!result) {
      results.push(match);
      break;
    }
    results.push(result);
    const problem = comparableProblem(value!.type, match.type);
    if (problem !== undefined) report(c, "TYPE_MISMATCH", match.span, `case() compares ${describeType(value!.type)} with ${describeType(match.type)}${problem}`);
    else checkOptionLiterals(c, value!, [match]);
  }
  return unifyAll(c, results, "the results of case()");
}

function requireBoolean(c: Checker, arg: TypedExpression, what: string): void {
  if (!["boolean", "null", "invalid"].includes(arg.type.kind)) report(c, "TYPE_MISMATCH", arg.span, `${what} must be true or false, not ${describeType(arg.type)}`);
}

/** The common type of the branches; a branch that does not fit is reported where it stands. */
function unifyAll(c: Checker, branches: TypedExpression[], what: string): ExpressionType {
  let type: ExpressionType = T.null;
  for (const branch of branches) {
    const merged = unify(type, branch.type);
    if (!merged) {
      report(c, "TYPE_MISMATCH", branch.span, `${what} must be of one kind: ${describeType(branch.type)} does not mix with ${describeType(type)}`);
      return T.invalid;
    }
    type = merged;
  }
  return type;
}

/** "argument" after a count ending in 1 ("1", "at least 1"), else "arguments". */
function plural(count: string): string {
  return / 1$|^1$/.test(count) ? "argument" : "arguments";
}
