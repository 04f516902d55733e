import type { Issue, Result } from "../issues.ts";
import { checkParameterNames, readFilters, readLimit, readList, readPath, readSearch, readSort } from "./query-params.ts";
import type { ExpandTree, ListQuery } from "./types.ts";

export const LIST_PARAMETERS = ["filter", "sort", "limit", "cursor", "fields", "expand", "count", "q"] as const;
export const DEFAULT_LIST_LIMIT = 50;
export const MAX_LIST_LIMIT = 200;
export const MAX_EXPAND_DEPTH = 2;
const MAX_CURSOR_LENGTH = 4000;

/**
 * Parse the query string of a list request (syntax only; `resolveListQuery` checks it against the
 * entity). Returns every issue, each pointing at its parameter (`/filter`, `/limit`…).
 * @example parseListQuery(new URLSearchParams("filter=stage:eq:won&sort=-amount&limit=10"))
 * // { ok: true, value: { filter: { path: ["stage"], op: "eq", value: "won" }, sort: [{ path: ["amount"], direction: "desc" }], limit: 10, expand: {}, count: false } }
 */
export function parseListQuery(params: URLSearchParams): Result<ListQuery> {
  const issues: Issue[] = [];
  checkParameterNames(params, LIST_PARAMETERS, issues);
  const query: ListQuery = {
    sort: readSort(params.get("sort"), issues),
    limit: readLimit(params.get("limit"), DEFAULT_LIST_LIMIT, MAX_LIST_LIMIT, issues),
    expand: readExpand(params.get("expand"), issues),
    count: readCount(params.get("count"), issues),
  };
  const filter = readFilters(params, issues);
  if (filter) query.filter = filter;
  const search = readSearch(params.get("q"), issues);
  if (search !== undefined) query.search = search;
  const fields = params.get("fields");
  // `fields=id` asks for the system fields only; an empty `fields=` is the same as none given.
  if (fields !== null && fields.trim() !== "") query.fields = readFields(fields, issues);
  const cursor = params.get("cursor");
  if (cursor !== null) {
    if (cursor.length > MAX_CURSOR_LENGTH || !/^[A-Za-z0-9_-]+$/.test(cursor)) {
      issues.push({ code: "INVALID_CURSOR", pointer: "/cursor", message: "cursor is not one this API issued; use the nextCursor of the previous page" });
    } else query.cursor = cursor;
  }
  return issues.length > 0 ? { ok: false, issues } : { ok: true, value: query };
}

function readFields(text: string, issues: Issue[]): string[] {
  const keys: string[] = [];
  for (const item of readList(text, "fields", issues)) {
    if (!/^[A-Za-z][A-Za-z0-9_]*$/.test(item)) {
      issues.push({ code: "INVALID_FIELDS", pointer: "/fields", message: `fields: ${JSON.stringify(item)} is not a field key` });
    } else if (!keys.includes(item)) keys.push(item);
  }
  return keys;
}

/** `expand=account,contacts.account` → `{ account: {}, contacts: { account: {} } }` */
function readExpand(text: string | null, issues: Issue[]): ExpandTree {
  const tree: ExpandTree = {};
  if (text === null) return tree;
  for (const item of readList(text, "expand", issues)) {
    const path = readPath(item, "expand", issues);
    if (!path) continue;
    if (path.length > MAX_EXPAND_DEPTH) {
      issues.push({ code: "EXPAND_TOO_DEEP", pointer: "/expand", message: `expand: "${item}" is ${path.length} levels deep; at most ${MAX_EXPAND_DEPTH} are allowed` });
      continue;
    }
    let level = tree;
    for (const key of path) {
      // Own properties only: "constructor" or "toString" must not reach Object.prototype.
      if (!Object.hasOwn(level, key)) level[key] = {};
      level = level[key]!;
    }
  }
  return tree;
}

function readCount(text: string | null, issues: Issue[]): boolean {
  if (text === null || text === "" || text === "false") return false;
  if (text === "true") return true;
  issues.push({ code: "INVALID_COUNT", pointer: "/count", message: `count must be true or false, got ${JSON.stringify(text)}` });
  return false;
}
