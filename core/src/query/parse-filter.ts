import type { Issue, Result } from "../issues.ts";
import { FILTER_OPERATORS, type FilterNode, type FilterOperator } from "./types.ts";

/** Bounds that keep a filter cheap to parse and to run. */
export const FILTER_LIMITS = { maxLength: 4000, maxDepth: 10, maxConditions: 100, maxListItems: 200 } as const;

const GROUPS = ["and", "or", "not"] as const;
const NAME = /[A-Za-z][A-Za-z0-9_]*/y;
const OPERATOR_LIST = FILTER_OPERATORS.join(", ");

interface Parser {
  text: string;
  pos: number;
  pointer: string;
  conditions: number;
  /** Problems that do not stop parsing (an unknown operator). */
  issues: Issue[];
}

/** A problem that stops parsing: nothing after it can be trusted. */
class Stop {
  issue: Issue;
  constructor(issue: Issue) {
    this.issue = issue;
  }
}

/**
 * Parse one `filter` parameter into its syntax tree, checking syntax and size only (fields and
 * values are checked by `resolveListQuery`). Positions in messages count characters from 0.
 * @example parseFilter('or(stage:eq:won,amount:gte:1000)') // { ok: true, value: { or: [{ path: ["stage"], op: "eq", value: "won" }, …] } }
 */
export function parseFilter(text: string, pointer = "/filter"): Result<FilterNode> {
  const result = parseFilterCounted(text, pointer);
  return result.ok ? { ok: true, value: result.value.node } : result;
}

/** `parseFilter`, also returning the number of conditions (the limit applies across all filter parameters). */
export function parseFilterCounted(text: string, pointer = "/filter"): Result<{ node: FilterNode; conditions: number }> {
  if (text.length > FILTER_LIMITS.maxLength) {
    return fail("FILTER_TOO_LONG", pointer, `filter: ${text.length} characters is too long; at most ${FILTER_LIMITS.maxLength} are allowed`);
  }
  const p: Parser = { text, pos: 0, pointer, conditions: 0, issues: [] };
  try {
    skipSpaces(p);
    const node = parseNode(p, 0, true);
    skipSpaces(p);
    if (p.pos < text.length) stop(p, "FILTER_SYNTAX", `unexpected ${describe(p)} at position ${p.pos}; expected the end of the filter`);
    if (p.issues.length > 0) return { ok: false, issues: p.issues };
    return { ok: true, value: { node, conditions: p.conditions } };
  } catch (error) {
    if (!(error instanceof Stop)) throw error;
    return { ok: false, issues: [...p.issues, error.issue] };
  }
}

function parseNode(p: Parser, depth: number, top: boolean): FilterNode {
  const start = p.pos;
  const name = readName(p);
  if (name === "") stop(p, "FILTER_SYNTAX", `expected a field name or and(, or(, not( at position ${p.pos}, found ${describe(p)}`);
  if (peek(p) === "(") return parseGroup(p, name, start, depth);
  return parseCondition(p, name, start, top);
}

function parseGroup(p: Parser, name: string, start: number, depth: number): FilterNode {
  if (!(GROUPS as readonly string[]).includes(name)) {
    stop(p, "FILTER_SYNTAX", `unknown group "${name}(" at position ${start}; groups are and(...), or(...), not(...)`);
  }
  if (depth + 1 > FILTER_LIMITS.maxDepth) {
    stop(p, "FILTER_TOO_DEEP", `filter: groups nest deeper than ${FILTER_LIMITS.maxDepth} levels at position ${start}`);
  }
  p.pos++;
  const children: FilterNode[] = [];
  for (;;) {
    skipSpaces(p);
    children.push(parseNode(p, depth + 1, false));
    skipSpaces(p);
    const next = peek(p);
    if (next === ",") {
      p.pos++;
      continue;
    }
    if (next === ")") break;
    stop(p, "FILTER_SYNTAX", `expected "," or ")" at position ${p.pos} to continue ${name}( opened at position ${start}, found ${describe(p)}`);
  }
  p.pos++;
  if (name === "not") {
    if (children.length !== 1) stop(p, "FILTER_SYNTAX", `not( at position ${start} takes exactly one condition, found ${children.length}`);
    return { not: children[0]! };
  }
  return name === "and" ? { and: children } : { or: children };
}

function parseCondition(p: Parser, first: string, start: number, top: boolean): FilterNode {
  const path = [first];
  while (peek(p) === ".") {
    p.pos++;
    const segment = readName(p);
    if (segment === "") stop(p, "FILTER_SYNTAX", `expected a field name after "${p.text.slice(start, p.pos)}" at position ${p.pos}`);
    path.push(segment);
  }
  if (peek(p) !== ":") {
    stop(p, "FILTER_SYNTAX", `expected ":" and an operator after "${p.text.slice(start, p.pos)}" at position ${p.pos}, found ${describe(p)}`);
  }
  p.pos++;
  const opStart = p.pos;
  const opText = readName(p);
  if (opText === "") stop(p, "FILTER_SYNTAX", `expected an operator after "${p.text.slice(start, p.pos)}" at position ${p.pos}; operators are ${OPERATOR_LIST}`);
  let op: FilterOperator = "eq";
  if ((FILTER_OPERATORS as readonly string[]).includes(opText)) op = opText as FilterOperator;
  else issue(p, "UNKNOWN_OPERATOR", `unknown operator "${opText}" at position ${opStart}; operators are ${OPERATOR_LIST}`);
  p.conditions++;
  if (p.conditions > FILTER_LIMITS.maxConditions) {
    stop(p, "FILTER_TOO_MANY_CONDITIONS", `filter: more than ${FILTER_LIMITS.maxConditions} conditions (position ${start})`);
  }
  if (peek(p) !== ":") {
    const ended = atConditionEnd(p, top);
    if (ended && op === "isNull") return { path, op, value: null };
    if (ended) stop(p, "FILTER_SYNTAX", `expected ":" and a value after "${p.text.slice(start, p.pos)}" at position ${p.pos}`);
    stop(p, "FILTER_SYNTAX", `expected ":" after the operator "${opText}" at position ${p.pos}, found ${describe(p)}`);
  }
  p.pos++;
  return { path, op, value: parseValue(p, top) };
}

function atConditionEnd(p: Parser, top: boolean): boolean {
  const next = peek(p);
  return next === undefined || (!top && (next === "," || next === ")" || /\s/.test(next)));
}

function parseValue(p: Parser, top: boolean): string | string[] {
  const next = peek(p);
  if (next === "(") return parseList(p);
  if (next === '"') {
    const value = parseQuoted(p);
    if (top && p.pos < p.text.length) stop(p, "FILTER_SYNTAX", `unexpected ${describe(p)} at position ${p.pos} after the closing quote; expected the end of the filter`);
    return value;
  }
  if (top) {
    const rest = p.text.slice(p.pos);
    if (rest === "") stop(p, "FILTER_SYNTAX", `expected a value at position ${p.pos} (end of the filter); quote an empty value as ""`);
    p.pos = p.text.length;
    return rest;
  }
  return parseBare(p, "a value");
}

/** An unquoted value inside a group or list: ends at `,` or `)`, surrounding spaces trimmed. */
function parseBare(p: Parser, what: string): string {
  const start = p.pos;
  while (p.pos < p.text.length) {
    const ch = p.text[p.pos]!;
    if (ch === "," || ch === ")") break;
    if (ch === "(" || ch === '"') stop(p, "FILTER_SYNTAX", `unexpected ${JSON.stringify(ch)} at position ${p.pos} inside an unquoted value; quote values containing , ( ) "`);
    p.pos++;
  }
  const value = p.text.slice(start, p.pos).trim();
  if (value === "") stop(p, "FILTER_SYNTAX", `expected ${what} at position ${start}, found ${describe(p)}; quote an empty value as ""`);
  return value;
}

function parseList(p: Parser): string[] {
  const start = p.pos;
  p.pos++;
  const items: string[] = [];
  skipSpaces(p);
  if (peek(p) === ")") {
    p.pos++;
    return items;
  }
  for (;;) {
    skipSpaces(p);
    const next = peek(p);
    if (next === "(") stop(p, "FILTER_SYNTAX", `unexpected "(" at position ${p.pos}; lists cannot be nested`);
    items.push(next === '"' ? parseQuoted(p) : parseBare(p, "a list item"));
    if (items.length > FILTER_LIMITS.maxListItems) {
      stop(p, "FILTER_LIST_TOO_LONG", `filter: the list at position ${start} has more than ${FILTER_LIMITS.maxListItems} items`);
    }
    skipSpaces(p);
    const after = peek(p);
    if (after === ",") {
      p.pos++;
      continue;
    }
    if (after === ")") break;
    stop(p, "FILTER_SYNTAX", `expected "," or ")" at position ${p.pos} in the list opened at position ${start}, found ${describe(p)}`);
  }
  p.pos++;
  return items;
}

function parseQuoted(p: Parser): string {
  const start = p.pos;
  p.pos++;
  let value = "";
  for (;;) {
    const ch = p.text[p.pos];
    if (ch === undefined) stop(p, "FILTER_SYNTAX", `unterminated string: the quote at position ${start} is never closed`);
    if (ch === '"') break;
    if (ch === "\\") {
      const escaped = p.text[p.pos + 1];
      if (escaped !== '"' && escaped !== "\\") {
        stop(p, "FILTER_SYNTAX", `invalid escape at position ${p.pos}; inside quotes only \\" and \\\\ are allowed`);
      }
      value += escaped;
      p.pos += 2;
      continue;
    }
    value += ch;
    p.pos++;
  }
  p.pos++;
  return value;
}

function readName(p: Parser): string {
  NAME.lastIndex = p.pos;
  const match = NAME.exec(p.text);
  if (!match) return "";
  p.pos += match[0].length;
  return match[0];
}

function peek(p: Parser): string | undefined {
  return p.text[p.pos];
}

function skipSpaces(p: Parser): void {
  while (p.pos < p.text.length && /\s/.test(p.text[p.pos]!)) p.pos++;
}

function describe(p: Parser): string {
  const ch = p.text[p.pos];
  return ch === undefined ? "the end of the filter" : JSON.stringify(ch);
}

function issue(p: Parser, code: string, message: string): void {
  p.issues.push({ code, pointer: p.pointer, message: message.startsWith("filter:") ? message : `filter: ${message}` });
}

function stop(p: Parser, code: string, message: string): never {
  throw new Stop({ code, pointer: p.pointer, message: message.startsWith("filter:") ? message : `filter: ${message}` });
}

function fail(code: string, pointer: string, message: string): { ok: false; issues: Issue[] } {
  return { ok: false, issues: [{ code, pointer, message }] };
}
