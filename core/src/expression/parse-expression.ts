import type { BinaryOperator, Expression, Span } from "./ast.ts";
import { Decimal } from "./decimal.ts";
import { expressionIssue, lineColumn, type ExpressionIssue, type ExpressionResult } from "./expression-issue.ts";
import { tokenize, type Token } from "./lexer.ts";

/** Bounds that keep hostile input cheap: text length, nesting depth of the tree, items of a list or call. */
export const EXPRESSION_LIMITS = { maxLength: 10_000, maxDepth: 100, maxItems: 500 } as const;

const KEYWORDS = new Set(["and", "or", "not", "in", "true", "false", "null"]);
const COMPARISONS: Record<string, BinaryOperator> = { "=": "=", "==": "=", "!=": "!=", "<>": "!=", "<": "<", "<=": "<=", ">": ">", ">=": ">=" };
const LEVELS: Array<Record<string, BinaryOperator>> = [
  { "&": "&" },
  { "+": "+", "-": "-" },
  { "*": "*", "/": "/", "%": "%" },
];

interface Parser {
  source: string;
  tokens: Token[];
  index: number;
  pointer: string;
  depth: number;
  heights: WeakMap<Expression, number>;
}

/** A problem that stops parsing; only the first syntax error is reported (what follows it is guesswork). */
class Stop {
  issue: ExpressionIssue;
  constructor(issue: ExpressionIssue) {
    this.issue = issue;
  }
}

/**
 * Parse an expression into its syntax tree. Issues carry the position of the problem and name what
 * was expected there; `pointer` locates the expression in the document it came from.
 * @example parseExpression('stage = "closed_won" and amount > 1000') // { ok: true, value: { kind: "binary", operator: "and", … } }
 * @example parseExpression("if(a, b") // { ok: false, issues: [{ code: "EXPRESSION_SYNTAX", message: "expected ',' or ')' after the arguments of if, found the end of the expression (line 1, column 8)", … }] }
 */
export function parseExpression(source: string, pointer = ""): ExpressionResult<Expression> {
  if (source.length > EXPRESSION_LIMITS.maxLength) {
    const span = { start: EXPRESSION_LIMITS.maxLength, end: source.length };
    const message = `the expression has ${source.length} characters; at most ${EXPRESSION_LIMITS.maxLength} are allowed`;
    return { ok: false, issues: [expressionIssue(source, pointer, "EXPRESSION_TOO_LONG", span, message)] };
  }
  const p: Parser = { source, tokens: tokenize(source), index: 0, pointer, depth: 0, heights: new WeakMap() };
  try {
    const expression = parseOr(p);
    if (peek(p).type !== "end") fail(p, peek(p), `expected an operator or the end of the expression, found ${describe(p, peek(p))}`);
    return { ok: true, value: expression };
  } catch (error) {
    if (!(error instanceof Stop)) throw error;
    return { ok: false, issues: [error.issue] };
  }
}

function parseOr(p: Parser): Expression {
  return parseLogical(p, "or", "||", () => parseLogical(p, "and", "&&", () => parseNot(p)));
}

function parseLogical(p: Parser, word: "and" | "or", symbol: string, operand: () => Expression): Expression {
  let left = operand();
  while (isKeyword(peek(p), word) || isSymbol(peek(p), symbol)) {
    next(p);
    left = binary(p, word, left, operand());
  }
  return left;
}

function parseNot(p: Parser): Expression {
  const token = peek(p);
  if (isKeyword(token, "not") || isSymbol(token, "!")) {
    next(p);
    const operand = nested(p, () => parseNot(p));
    return node(p, { kind: "unary", operator: "not", operand, span: spanOf(token.start, operand) }, [operand]);
  }
  return parseComparison(p);
}

function parseComparison(p: Parser): Expression {
  const left = parseLevel(p, 0);
  const token = peek(p);
  let result: Expression;
  if (token.type === "symbol" && COMPARISONS[token.value]) {
    next(p);
    result = binary(p, COMPARISONS[token.value]!, left, parseLevel(p, 0));
  } else if (isKeyword(token, "in") || (isKeyword(token, "not") && isKeyword(p.tokens[p.index + 1]!, "in"))) {
    const negated = isKeyword(next(p), "not");
    if (negated) next(p);
    const list = parseLevel(p, 0);
    result = node(p, { kind: "in", negated, value: left, list, span: spanOf(left.span.start, list) }, [left, list]);
  } else {
    return left;
  }
  const after = peek(p);
  if ((after.type === "symbol" && COMPARISONS[after.value]) || isKeyword(after, "in")) {
    fail(p, after, `comparisons cannot be chained: write "a < b and b < c", or add parentheses`);
  }
  return result;
}

function parseLevel(p: Parser, level: number): Expression {
  const operators = LEVELS[level];
  if (!operators) return parseUnary(p);
  let left = parseLevel(p, level + 1);
  while (peek(p).type === "symbol" && operators[peek(p).value]) {
    const operator = operators[next(p).value]!;
    left = binary(p, operator, left, parseLevel(p, level + 1));
  }
  return left;
}

function parseUnary(p: Parser): Expression {
  const token = peek(p);
  if (isSymbol(token, "-")) {
    next(p);
    const operand = nested(p, () => parseUnary(p));
    return node(p, { kind: "unary", operator: "-", operand, span: spanOf(token.start, operand) }, [operand]);
  }
  if (isSymbol(token, "+")) fail(p, token, "expected a value; a leading + is not needed");
  return parsePrimary(p);
}

function parsePrimary(p: Parser): Expression {
  const token = next(p);
  const span = { start: token.start, end: token.end };
  switch (token.type) {
    case "number":
      return { kind: "number", value: Decimal.parse(token.value)!.toString(), span };
    case "text":
      return { kind: "text", value: token.value, span };
    case "variable":
      return { kind: "variable", name: token.value, span };
    case "name":
      return parseName(p, token);
    case "symbol":
      if (token.value === "(") return parseParenthesised(p, token);
      if (token.value === "[") return parseList(p, token);
      break;
    case "error":
      throw new Stop(expressionIssue(p.source, p.pointer, token.code!, span, token.value));
  }
  return fail(p, token, `expected a value (a field, a number, "text", a function call or "("), found ${describe(p, token)}`);
}

function parseName(p: Parser, token: Token): Expression {
  const span = { start: token.start, end: token.end };
  const word = token.value.toLowerCase();
  if (KEYWORDS.has(word)) {
    if (word === "true" || word === "false") return { kind: "boolean", value: word === "true", span };
    if (word === "null") return { kind: "null", span };
    return fail(p, token, `expected a value, found the keyword "${token.value}"`);
  }
  if (!isSymbol(peek(p), "(")) return { kind: "field", path: token.value.split("."), span };
  if (token.value.includes(".")) fail(p, token, `"${token.value}" is not a function name; function names have no dots`);
  const open = next(p);
  const args = items(p, ")", `the arguments of ${token.value}`, open);
  return node(p, { kind: "call", name: token.value, args, span: { start: token.start, end: previous(p).end } }, args);
}

function parseParenthesised(p: Parser, open: Token): Expression {
  const inner = nested(p, () => parseOr(p));
  expect(p, ")", `expected ')' to close the '(' at ${position(p, open)}`);
  // The parentheses belong to the node's span, so an error in it highlights them too.
  const widened = { ...inner, span: { start: open.start, end: previous(p).end } };
  p.heights.set(widened, p.heights.get(inner) ?? 1);
  return widened;
}

function parseList(p: Parser, open: Token): Expression {
  const values = items(p, "]", "the list items", open);
  return node(p, { kind: "list", items: values, span: { start: open.start, end: previous(p).end } }, values);
}

/** Comma-separated expressions up to `close`; the opening token was just read. */
function items(p: Parser, close: ")" | "]", what: string, open: Token): Expression[] {
  const values: Expression[] = [];
  if (isSymbol(peek(p), close)) {
    next(p);
    return values;
  }
  while (true) {
    values.push(nested(p, () => parseOr(p)));
    if (values.length > EXPRESSION_LIMITS.maxItems) fail(p, open, `too many items: at most ${EXPRESSION_LIMITS.maxItems}`, "EXPRESSION_TOO_LONG");
    const token = next(p);
    if (isSymbol(token, close)) return values;
    if (!isSymbol(token, ",")) fail(p, token, `expected ',' or '${close}' after ${what}, found ${describe(p, token)}`);
  }
}

function nested(p: Parser, parse: () => Expression): Expression {
  if (++p.depth > EXPRESSION_LIMITS.maxDepth) fail(p, previous(p), `the expression nests deeper than ${EXPRESSION_LIMITS.maxDepth} levels`, "EXPRESSION_TOO_DEEP");
  const result = parse();
  p.depth--;
  return result;
}

function binary(p: Parser, operator: BinaryOperator, left: Expression, right: Expression): Expression {
  return node(p, { kind: "binary", operator, left, right, span: spanOf(left.span.start, right) }, [left, right]);
}

/** Record the node's height and refuse trees deeper than the limit (a long chain `1+1+…` is as deep as it is long). */
function node(p: Parser, built: Expression, children: Expression[]): Expression {
  const height = 1 + Math.max(0, ...children.map((c) => p.heights.get(c) ?? 1));
  if (height > EXPRESSION_LIMITS.maxDepth) {
    const message = `the expression nests deeper than ${EXPRESSION_LIMITS.maxDepth} levels; split long chains with functions such as concat(…)`;
    throw new Stop(expressionIssue(p.source, p.pointer, "EXPRESSION_TOO_DEEP", built.span, message));
  }
  p.heights.set(built, height);
  return built;
}

function spanOf(start: number, last: Expression): Span {
  return { start, end: last.span.end };
}

function peek(p: Parser): Token {
  return p.tokens[p.index]!;
}

function next(p: Parser): Token {
  const token = p.tokens[p.index]!;
  if (token.type !== "end") p.index++;
  return token;
}

function previous(p: Parser): Token {
  return p.tokens[p.index - 1]!;
}

function expect(p: Parser, symbol: string, message: string): void {
  const token = next(p);
  if (!isSymbol(token, symbol)) fail(p, token, `${message}, found ${describe(p, token)}`);
}

function isSymbol(token: Token, symbol: string): boolean {
  return token.type === "symbol" && token.value === symbol;
}

function isKeyword(token: Token, word: string): boolean {
  return token.type === "name" && token.value.toLowerCase() === word;
}

function describe(p: Parser, token: Token): string {
  if (token.type === "end") return "the end of the expression";
  if (token.type === "error") return token.value;
  return `'${token.raw}'`;
}

function position(p: Parser, token: Token): string {
  const { line, column } = lineColumn(p.source, token.start);
  return `line ${line}, column ${column}`;
}

function fail(p: Parser, token: Token, message: string, code = "EXPRESSION_SYNTAX"): never {
  if (token.type === "error") throw new Stop(expressionIssue(p.source, p.pointer, token.code!, token, token.value));
  throw new Stop(expressionIssue(p.source, p.pointer, code, { start: token.start, end: token.end }, message));
}
