import { parseFilter, type FilterNode } from "@crm/core";
import type { LocationQuery, LocationQueryRaw } from "vue-router";
import type { ViewState } from "../api/views.ts";
import { buildFilter, takesList, type FilterCondition, type FilterMatch, type FilterPath } from "./filter.ts";

const NUMERIC = new Set(["integer", "decimal", "percent", "currency"]);

/** The list's state as the list view holds it: the builder's rows, and filters it cannot show as rows. */
export interface ListState {
  columns: string[];
  sort: string | null;
  conditions: FilterCondition[];
  match: FilterMatch;
  /** Filters (API syntax) the builder cannot edit, such as nested groups written through the API; ANDed. */
  extra: string[];
  q: string;
}

function conditionOf(node: FilterNode, byPath: ReadonlyMap<string, FilterPath>): FilterCondition | undefined {
  if (!("path" in node)) return undefined;
  const path = node.path.join(".");
  const known = byPath.get(path);
  if (!known || !known.operators.includes(node.op)) return undefined;
  if (node.op === "isNull") return { path, op: "isNull", value: node.value !== "false" };
  const typed = (text: string): unknown => (NUMERIC.has(known.field.type) && Number.isNaN(Number(text)) ? text : NUMERIC.has(known.field.type) ? Number(text) : known.field.type === "boolean" ? text === "true" : text);
  const values = Array.isArray(node.value) ? node.value : node.value === null ? [] : [node.value];
  // Lists stay text, as the builder types them ("1, 2"); single values take the field's type.
  return { path, op: node.op, value: takesList(node.op, known.field) ? values : typed(values[0] ?? "") };
}

/**
 * Filters in the API's syntax back as the builder's rows: conditions ANDed (one per parameter), or one
 * `or(…)` group of conditions. Whatever else (nested groups, `not`, unknown paths) stays as `extra`.
 * @example filterToConditions(["or(stage:eq:won,stage:eq:lost)"], paths) // { conditions: [{ path: "stage", op: "eq", value: "won" }, …], match: "any", extra: [] }
 */
export function filterToConditions(filter: readonly string[], paths: readonly FilterPath[]): Pick<ListState, "conditions" | "match" | "extra"> {
  const byPath = new Map(paths.map((p) => [p.path, p]));
  const parsed = filter.map((text) => ({ text, node: parseFilter(text) }));
  if (parsed.length === 1 && parsed[0]!.node.ok && "or" in parsed[0]!.node.value) {
    const rows = parsed[0]!.node.value.or.map((n) => conditionOf(n, byPath));
    if (rows.every((r) => r !== undefined)) return { conditions: rows as FilterCondition[], match: "any", extra: [] };
  }
  const conditions: FilterCondition[] = [];
  const extra: string[] = [];
  for (const { text, node } of parsed) {
    const row = node.ok ? conditionOf(node.value, byPath) : undefined;
    if (row) conditions.push(row);
    else extra.push(text);
  }
  return { conditions, match: "all", extra };
}

/** The filter parameters of a list state: the builder's, then the extra ones. */
export function stateFilter(state: Pick<ListState, "conditions" | "match" | "extra">): string[] {
  return [...buildFilter(state.conditions, state.match), ...state.extra];
}

/** A list state as a saved view's state. */
export function toViewState(state: ListState, mode: ViewState["mode"] = "list"): ViewState {
  return { columns: [...state.columns], sort: state.sort, filter: stateFilter(state), q: state.q.trim() || null, mode };
}

/** A saved view as the list's state (columns the caller cannot see are dropped by the caller). */
export function fromViewState(view: ViewState, paths: readonly FilterPath[]): ListState {
  return { columns: [...view.columns], sort: view.sort, q: view.q ?? "", ...filterToConditions(view.filter, paths) };
}

/** A query parameter's first value (vue-router gives a repeated one as a list). */
export const one = (value: LocationQuery[string] | undefined): string | undefined => (Array.isArray(value) ? (value[0] ?? undefined) : (value ?? undefined));
/** Every value of a query parameter. */
export const many = (value: LocationQuery[string] | undefined): string[] => (Array.isArray(value) ? value : value === null || value === undefined ? [] : [value]).filter((v): v is string => typeof v === "string");

/**
 * The list's state in the URL (`?view=…&q=…&sort=…&columns=a,b&filter=…&filter=…`), so a link or a
 * reload opens the same list. Empty parts are left out.
 * @example stateToQuery({ columns: ["name"], sort: "-amount", conditions: [], match: "all", extra: [], q: "" }, "v1") // { view: "v1", columns: "name", sort: "-amount" }
 */
export function stateToQuery(state: ListState, viewId?: string): LocationQueryRaw {
  const query: LocationQueryRaw = {};
  if (viewId) query.view = viewId;
  if (state.q.trim()) query.q = state.q.trim();
  if (state.sort) query.sort = state.sort;
  if (state.columns.length) query.columns = state.columns.join(",");
  const filter = stateFilter(state);
  if (filter.length) query.filter = filter;
  return query;
}

/** The parts of a list state the URL holds (undefined for what it does not say), and the view named. */
export function queryToState(query: LocationQuery, paths: readonly FilterPath[]): { viewId?: string; state: Partial<ListState> } {
  const state: Partial<ListState> = {};
  const q = one(query.q);
  if (q) state.q = q;
  const sort = one(query.sort);
  if (sort) state.sort = sort;
  const columns = one(query.columns);
  if (columns) state.columns = columns.split(",").filter(Boolean);
  const filter = many(query.filter);
  if (filter.length) Object.assign(state, filterToConditions(filter, paths));
  return { viewId: one(query.view), state };
}
