import type { BinaryOperator, Expression } from "./ast.ts";

/** Binding strength; a higher level binds tighter. Comparisons (including `in`) do not chain. */
const LEVEL: Record<BinaryOperator, number> = {
  or: 1,
  and: 2,
  "=": 4,
  "!=": 4,
  "<": 4,
  "<=": 4,
  ">": 4,
  ">=": 4,
  "&": 5,
  "+": 6,
  "-": 6,
  "*": 7,
  "/": 7,
  "%": 7,
};
const NOT_LEVEL = 3;
const COMPARISON_LEVEL = 4;
const NEGATE_LEVEL = 8;
const ATOM_LEVEL = 9;

/**
 * The canonical text of a syntax tree: lower-case keywords, `=`/`!=`, double-quoted text and only
 * the parentheses the precedence needs. Parsing the result gives the same tree (positions aside).
 * @example printExpression(parseExpression("A==1 AND (b<>2)").value) // "A = 1 and b != 2"
 */
export function printExpression(node: Expression): string {
  switch (node.kind) {
    case "number":
      return node.value;
    case "text":
      return quoteText(node.value);
    case "boolean":
      return String(node.value);
    case "null":
      return "null";
    case "field":
      return node.path.join(".");
    case "variable":
      return "$" + node.name;
    case "list":
      return `[${node.items.map(printExpression).join(", ")}]`;
    case "call":
      return `${node.name}(${node.args.map(printExpression).join(", ")})`;
    case "unary":
      if (node.operator === "not") return `not ${operand(node.operand, NOT_LEVEL)}`;
      return `-${operand(node.operand, ATOM_LEVEL)}`;
    case "in": {
      const keyword = node.negated ? "not in" : "in";
      return `${operand(node.value, COMPARISON_LEVEL + 1)} ${keyword} ${operand(node.list, COMPARISON_LEVEL + 1)}`;
    }
    case "binary": {
      const level = LEVEL[node.operator];
      // Left-associative: the left side may sit at the same level, the right side must bind tighter.
      const leftLevel = level === COMPARISON_LEVEL ? level + 1 : level;
      return `${operand(node.left, leftLevel)} ${node.operator} ${operand(node.right, level + 1)}`;
    }
  }
}

/** Print `node`, in parentheses unless it binds at least as tightly as `level`. */
function operand(node: Expression, level: number): string {
  const text = printExpression(node);
  return levelOf(node) >= level ? text : `(${text})`;
}

function levelOf(node: Expression): number {
  if (node.kind === "binary") return LEVEL[node.operator];
  if (node.kind === "in") return COMPARISON_LEVEL;
  if (node.kind === "unary") return node.operator === "not" ? NOT_LEVEL : NEGATE_LEVEL;
  return ATOM_LEVEL;
}

/**
 * Text as a double-quoted literal with escapes, so that any string prints on one line.
 * @example quoteText('say "hi"') // "\"say \\\"hi\\\"\""
 */
export function quoteText(value: string): string {
  let out = '"';
  for (const char of value) {
    const code = char.charCodeAt(0);
    if (char === '"' || char === "\\") out += "\\" + char;
    else if (char === "\n") out += "\\n";
    else if (char === "\t") out += "\\t";
    else if (char === "\r") out += "\\r";
    else if (code < 0x20 || code === 0x7f || (code >= 0xd800 && code <= 0xdfff && char.length === 1)) out += "\\u" + code.toString(16).padStart(4, "0");
    else out += char;
  }
  return out + '"';
}
