import type { Issue, Result } from "../issues.ts";
import { checkParameterNames, readFilters, readLimit, readList, readPath, readSearch } from "./query-params.ts";
import type { AggregateQuery, DateBucket } from "./types.ts";

export const AGGREGATE_PARAMETERS = ["filter", "q", "groupBy", "metrics", "sort", "limit"] as const;
export const DATE_BUCKETS: readonly DateBucket[] = ["day", "week", "month", "quarter", "year"];
export const DEFAULT_AGGREGATE_LIMIT = 100;
export const MAX_AGGREGATE_LIMIT = 1000;
const MAX_GROUPS = 5;
const MAX_METRICS = 20;
const METRIC_FUNCTIONS = ["sum", "avg", "min", "max"] as const;

/**
 * Parse the query string of an aggregate request (syntax only; `resolveAggregateQuery` checks it).
 * @example parseAggregateQuery(new URLSearchParams("groupBy=stage,expectedCloseDate:month&metrics=count,sum:amount&sort=-count"))
 * // { ok: true, value: { groupBy: [{ path: ["stage"] }, { path: ["expectedCloseDate"], bucket: "month" }], metrics: [{ fn: "count" }, { fn: "sum", path: ["amount"] }], sort: [{ key: "count", direction: "desc" }], limit: 100 } }
 */
export function parseAggregateQuery(params: URLSearchParams): Result<AggregateQuery> {
  const issues: Issue[] = [];
  checkParameterNames(params, AGGREGATE_PARAMETERS, issues);
  const query: AggregateQuery = {
    groupBy: readGroupBy(params.get("groupBy"), issues),
    metrics: readMetrics(params.get("metrics"), issues),
    sort: readGroupSort(params.get("sort"), issues),
    limit: readLimit(params.get("limit"), DEFAULT_AGGREGATE_LIMIT, MAX_AGGREGATE_LIMIT, issues),
  };
  const filter = readFilters(params, issues);
  if (filter) query.filter = filter;
  const search = readSearch(params.get("q"), issues);
  if (search !== undefined) query.search = search;
  return issues.length > 0 ? { ok: false, issues } : { ok: true, value: query };
}

function readGroupBy(text: string | null, issues: Issue[]): AggregateQuery["groupBy"] {
  if (text === null) return [];
  const groups: AggregateQuery["groupBy"] = [];
  for (const item of readList(text, "groupBy", issues)) {
    const [pathText = "", bucket, ...extra] = item.split(":");
    const path = readPath(pathText, "groupBy", issues);
    if (!path) continue;
    if (extra.length > 0 || (bucket !== undefined && !(DATE_BUCKETS as readonly string[]).includes(bucket))) {
      issues.push({ code: "INVALID_GROUP_BY", pointer: "/groupBy", message: `groupBy: "${item}" has an unknown date bucket; buckets are ${DATE_BUCKETS.join(", ")}` });
      continue;
    }
    if (groups.some((g) => g.path.join(".") === path.join("."))) {
      issues.push({ code: "INVALID_GROUP_BY", pointer: "/groupBy", message: `groupBy: "${pathText}" is listed twice` });
      continue;
    }
    groups.push(bucket === undefined ? { path } : { path, bucket: bucket as DateBucket });
  }
  if (groups.length > MAX_GROUPS) issues.push({ code: "INVALID_GROUP_BY", pointer: "/groupBy", message: `groupBy: at most ${MAX_GROUPS} groups are allowed` });
  return groups;
}

function readMetrics(text: string | null, issues: Issue[]): AggregateQuery["metrics"] {
  if (text === null || text.trim() === "") return [{ fn: "count" }];
  const metrics: AggregateQuery["metrics"] = [];
  const names = new Set<string>();
  for (const item of readList(text, "metrics", issues)) {
    const [fn = "", pathText, ...extra] = item.split(":");
    if (fn === "count" && pathText === undefined) {
      if (!names.has("count")) metrics.push({ fn: "count" });
      names.add("count");
      continue;
    }
    if (!(METRIC_FUNCTIONS as readonly string[]).includes(fn) || pathText === undefined || extra.length > 0) {
      issues.push({ code: "INVALID_METRICS", pointer: "/metrics", message: `metrics: "${item}" is not a metric; use count, or sum:, avg:, min:, max: followed by a field` });
      continue;
    }
    const path = readPath(pathText, "metrics", issues);
    if (!path) continue;
    const name = `${fn}:${path.join(".")}`;
    if (!names.has(name)) metrics.push({ fn: fn as (typeof METRIC_FUNCTIONS)[number], path });
    names.add(name);
  }
  if (metrics.length > MAX_METRICS) issues.push({ code: "INVALID_METRICS", pointer: "/metrics", message: `metrics: at most ${MAX_METRICS} metrics are allowed` });
  return metrics;
}

/** `sort=-count,stage,-sum:amount`: names are checked against the groups and metrics when resolving. */
function readGroupSort(text: string | null, issues: Issue[]): AggregateQuery["sort"] {
  if (text === null) return [];
  return readList(text, "sort", issues).flatMap((item) => {
    const descending = item.startsWith("-");
    const key = descending ? item.slice(1) : item;
    if (/^[A-Za-z][A-Za-z0-9_.:]*$/.test(key)) return [{ key, direction: descending ? ("desc" as const) : ("asc" as const) }];
    issues.push({ code: "INVALID_SORT", pointer: "/sort", message: `sort: ${JSON.stringify(item)} is not a group or metric name` });
    return [];
  });
}
