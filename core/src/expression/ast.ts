/** Where a node stands in the source: UTF-16 offsets, `end` exclusive. */
export interface Span {
  start: number;
  end: number;
}

export type ArithmeticOperator = "+" | "-" | "*" | "/" | "%";
export type ComparisonOperator = "=" | "!=" | "<" | "<=" | ">" | ">=";
export type BinaryOperator = ArithmeticOperator | ComparisonOperator | "&" | "and" | "or";
export type UnaryOperator = "-" | "not";

/**
 * The syntax tree of an expression: plain JSON (numbers are decimal text), so it can be stored and
 * sent to the browser. `parseExpression` builds it; `printExpression` turns it back into text.
 */
export type Expression =
  | { kind: "number"; /** Canonical decimal text, never negative (`-5` is a unary minus). */ value: string; span: Span }
  | { kind: "text"; value: string; span: Span }
  | { kind: "boolean"; value: boolean; span: Span }
  | { kind: "null"; span: Span }
  /** A field of the record, or of a related record through manyToOne relations: `account.name`. */
  | { kind: "field"; path: string[]; span: Span }
  /** A value the caller supplies, declared in the environment: `$userId`. */
  | { kind: "variable"; name: string; span: Span }
  | { kind: "list"; items: Expression[]; span: Span }
  | { kind: "unary"; operator: UnaryOperator; operand: Expression; span: Span }
  | { kind: "binary"; operator: BinaryOperator; left: Expression; right: Expression; span: Span }
  | { kind: "in"; negated: boolean; value: Expression; list: Expression; span: Span }
  /** A function call; `name` as written (function names are case-insensitive). */
  | { kind: "call"; name: string; args: Expression[]; span: Span };

export type ExpressionKind = Expression["kind"];

/** The direct children of a node, in source order. */
export function childrenOf(node: Expression): Expression[] {
  switch (node.kind) {
    case "list":
      return node.items;
    case "unary":
      return [node.operand];
    case "binary":
      return [node.left, node.right];
    case "in":
      return [node.value, node.list];
    case "call":
      return node.args;
    default:
      return [];
  }
}
