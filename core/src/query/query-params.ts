import type { Issue } from "../issues.ts";
import { FILTER_LIMITS, parseFilterCounted } from "./parse-filter.ts";
import type { FilterNode, SortTerm } from "./types.ts";

/** Helpers shared by the list and aggregate parsers. Each pushes its issues and returns what it could read. */

export const MAX_SEARCH_LENGTH = 200;
export const MAX_SORT_TERMS = 10;
const PATH = /^[A-Za-z][A-Za-z0-9_]*(\.[A-Za-z][A-Za-z0-9_]*)*$/;

/** Unknown parameters, and parameters given twice (only `filter` may repeat). */
export function checkParameterNames(params: URLSearchParams, allowed: readonly string[], issues: Issue[]): void {
  const seen = new Set<string>();
  for (const name of params.keys()) {
    if (!allowed.includes(name)) {
      issues.push({ code: "UNKNOWN_PARAMETER", pointer: `/${name}`, message: `unknown query parameter "${name}"; allowed: ${allowed.join(", ")}` });
    } else if (seen.has(name) && name !== "filter") {
      issues.push({ code: "DUPLICATE_PARAMETER", pointer: `/${name}`, message: `"${name}" is given more than once` });
    }
    seen.add(name);
  }
}

/** Every `filter` parameter, ANDed; the condition limit counts across all of them. */
export function readFilters(params: URLSearchParams, issues: Issue[]): FilterNode | undefined {
  const nodes: FilterNode[] = [];
  let conditions = 0;
  for (const text of params.getAll("filter")) {
    const parsed = parseFilterCounted(text);
    if (!parsed.ok) {
      issues.push(...parsed.issues);
      continue;
    }
    nodes.push(parsed.value.node);
    conditions += parsed.value.conditions;
  }
  if (conditions > FILTER_LIMITS.maxConditions) {
    issues.push({ code: "FILTER_TOO_MANY_CONDITIONS", pointer: "/filter", message: `filter: ${conditions} conditions in all; at most ${FILTER_LIMITS.maxConditions} are allowed` });
  }
  if (nodes.length === 0) return undefined;
  return nodes.length === 1 ? nodes[0] : { and: nodes };
}

export function readLimit(text: string | null, fallback: number, max: number, issues: Issue[]): number {
  if (text === null) return fallback;
  if (!/^\d{1,7}$/.test(text) || Number(text) < 1 || Number(text) > max) {
    issues.push({ code: "INVALID_LIMIT", pointer: "/limit", message: `limit must be a whole number from 1 to ${max}, got ${JSON.stringify(text)}` });
    return fallback;
  }
  return Number(text);
}

export function readSearch(text: string | null, issues: Issue[]): string | undefined {
  if (text === null || text.trim() === "") return undefined;
  if (text.length > MAX_SEARCH_LENGTH) {
    issues.push({ code: "SEARCH_TOO_LONG", pointer: "/q", message: `q: ${text.length} characters is too long; at most ${MAX_SEARCH_LENGTH} are allowed` });
    return undefined;
  }
  return text.trim();
}

/** A comma list; empty items are an issue. */
export function readList(text: string, name: string, issues: Issue[]): string[] {
  // `sort=` or `expand=` from a form left empty means "none", like leaving the parameter out.
  if (text.trim() === "") return [];
  const items = text.split(",").map((item) => item.trim());
  if (items.some((item) => item === "")) {
    issues.push({ code: `INVALID_${snake(name)}`, pointer: `/${name}`, message: `${name}: empty item in ${JSON.stringify(text)}; separate items with single commas` });
  }
  return items.filter((item) => item !== "");
}

/** A dotted field path, or undefined (with an issue) when malformed. */
export function readPath(text: string, name: string, issues: Issue[]): string[] | undefined {
  if (PATH.test(text)) return text.split(".");
  issues.push({ code: `INVALID_${snake(name)}`, pointer: `/${name}`, message: `${name}: ${JSON.stringify(text)} is not a field path (field keys joined by ".")` });
  return undefined;
}

/** `sort=-amount,account.name` */
export function readSort(text: string | null, issues: Issue[]): SortTerm[] {
  if (text === null) return [];
  const terms: SortTerm[] = [];
  const seen = new Set<string>();
  for (const item of readList(text, "sort", issues)) {
    const descending = item.startsWith("-");
    const path = readPath(descending ? item.slice(1) : item, "sort", issues);
    if (!path) continue;
    const key = path.join(".");
    if (seen.has(key)) issues.push({ code: "INVALID_SORT", pointer: "/sort", message: `sort: "${key}" is listed twice` });
    seen.add(key);
    terms.push({ path, direction: descending ? "desc" : "asc" });
  }
  if (terms.length > MAX_SORT_TERMS) {
    issues.push({ code: "INVALID_SORT", pointer: "/sort", message: `sort: ${terms.length} terms; at most ${MAX_SORT_TERMS} are allowed` });
  }
  return terms;
}

function snake(name: string): string {
  return name.replace(/([a-z])([A-Z])/g, "$1_$2").toUpperCase();
}
