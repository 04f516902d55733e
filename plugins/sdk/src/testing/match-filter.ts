import type { FilterNode } from "@crm/core";

type Row = Record<string, unknown>;
/** Finds a record by id in any entity, for relation paths (`account.industry`). */
export type LookupRecord = (id: string) => Row | undefined;

/**
 * Evaluate a parsed filter against an in-memory record with the REST API's semantics: a missing
 * value matches no comparison but is "not equal" to anything; contains/startsWith on text ignore
 * case; multiSelect `contains` = has all, `in` = has any, `nin` = has none.
 * @example matchFilter({ path: ["amount", "amount"], op: "gte", value: "1000" }, { amount: { amount: 1200, currency: "EUR" } }, () => undefined) // true
 */
export function matchFilter(node: FilterNode, row: Row, lookup: LookupRecord): boolean {
  if ("and" in node) return node.and.every((n) => matchFilter(n, row, lookup));
  if ("or" in node) return node.or.some((n) => matchFilter(n, row, lookup));
  if ("not" in node) return !matchFilter(node.not, row, lookup);
  const actual = readPath(row, node.path, lookup);
  const { op, value } = node;
  if (op === "isNull") return (actual === null || actual === undefined || (Array.isArray(actual) && actual.length === 0)) === (value !== "false");
  if (actual === null || actual === undefined) return op === "ne" || op === "nin";
  if (Array.isArray(actual)) {
    const wanted = Array.isArray(value) ? value : [String(value)];
    const has = (w: string) => actual.map(String).includes(w);
    if (op === "contains" || op === "eq") return wanted.every(has);
    if (op === "in") return wanted.some(has);
    if (op === "nin" || op === "ne") return !wanted.some(has);
    return false;
  }
  switch (op) {
    case "eq":
      return compare(actual, value as string) === 0;
    case "ne":
      return compare(actual, value as string) !== 0;
    case "gt":
      return compare(actual, value as string) > 0;
    case "gte":
      return compare(actual, value as string) >= 0;
    case "lt":
      return compare(actual, value as string) < 0;
    case "lte":
      return compare(actual, value as string) <= 0;
    case "in":
      return (value as string[]).some((v) => compare(actual, v) === 0);
    case "nin":
      return !(value as string[]).some((v) => compare(actual, v) === 0);
    case "contains":
      return String(actual).toLowerCase().includes(String(value).toLowerCase());
    case "startsWith":
      return String(actual).toLowerCase().startsWith(String(value).toLowerCase());
    default: {
      const never: never = op;
      throw new Error(`Unknown operator ${String(never)}.`);
    }
  }
}

/** Walk a dotted path: objects by key (currency `amount.amount`), ids through their record. */
export function readPath(row: Row, path: readonly string[], lookup: LookupRecord): unknown {
  let current: unknown = row;
  for (const segment of path) {
    if (typeof current === "string") current = lookup(current);
    if (current === null || current === undefined || typeof current !== "object") return undefined;
    current = (current as Row)[segment];
  }
  return current;
}

/** Compare a stored value with a filter's text the way its column type would. */
export function compare(actual: unknown, text: string): number {
  if (typeof actual === "number") return Math.sign(actual - Number(text));
  if (typeof actual === "boolean") return actual === (text === "true") ? 0 : actual ? 1 : -1;
  const a = String(actual);
  return a < text ? -1 : a > text ? 1 : 0;
}
