import type { EntityDefinition } from "../definition/types.ts";
import type { Issue, Result } from "../issues.ts";
import { describeField, resolvePath } from "./resolve-path.ts";
import { resolveFilter } from "./resolve-filter.ts";
import { searchFields } from "./search.ts";
import type { AggregateQuery, ResolvedAggregateQuery, ResolvedGroupBy, ResolvedMetric, ResolvedPath } from "./types.ts";
import { SORTABLE_KINDS, valueKind, type ValueKind } from "./value-kind.ts";

const METRIC_KINDS: Record<"sum" | "avg" | "min" | "max", readonly ValueKind[]> = {
  sum: ["integer", "numeric"],
  avg: ["integer", "numeric"],
  min: ["integer", "numeric", "date", "datetime"],
  max: ["integer", "numeric", "date", "datetime"],
};

/**
 * Check a parsed aggregate query: groups on stored scalar fields and manyToOne ids (date buckets
 * only on dates and date-times), sum/avg on numbers, min/max on numbers and dates, sort by a group
 * or a metric (`count` is always available).
 * @example resolveAggregateQuery(parsed, deal, entities) // { ok: true, value: { groupBy: [{ name: "stage", … }], metrics: [{ name: "count", fn: "count" }], … } }
 */
export function resolveAggregateQuery(query: AggregateQuery, entity: EntityDefinition, entities: readonly EntityDefinition[]): Result<ResolvedAggregateQuery> {
  const issues: Issue[] = [];
  const at = (pointer: string, segments: string[]) => {
    const found = resolvePath(segments, entity, entities);
    if ("path" in found) return found.path;
    issues.push({ code: found.error.code, pointer, message: `${pointer.slice(1)}: ${found.error.message}` });
    return undefined;
  };
  const groupBy: ResolvedGroupBy[] = [];
  for (const group of query.groupBy) {
    const path = at("/groupBy", group.path);
    if (path && checkGroup(path, group.bucket, issues)) groupBy.push({ name: group.path.join("."), path, ...(group.bucket ? { bucket: group.bucket } : {}) });
  }
  const metrics: ResolvedMetric[] = [];
  for (const metric of query.metrics) {
    if (metric.fn === "count") {
      metrics.push({ name: "count", fn: "count" });
      continue;
    }
    const name = `${metric.fn}:${metric.path.join(".")}`;
    const path = at("/metrics", metric.path);
    if (!path) continue;
    if (!METRIC_KINDS[metric.fn].includes(valueKind(path))) {
      issues.push({ code: "METRIC_NOT_SUPPORTED", pointer: "/metrics", message: `metrics: "${name}": ${metric.fn} needs ${METRIC_KINDS[metric.fn].join(", ")} values, and "${metric.path.join(".")}" is ${describeField(path.field)}` });
      continue;
    }
    metrics.push({ name, fn: metric.fn, path });
  }
  const names = ["count", ...groupBy.map((g) => g.name), ...metrics.map((m) => m.name)];
  for (const term of query.sort) {
    if (!names.includes(term.key)) {
      issues.push({ code: "INVALID_SORT", pointer: "/sort", message: `sort: "${term.key}" is neither a group nor a metric of this request; use one of ${[...new Set(names)].join(", ")}` });
    }
  }
  const resolved: ResolvedAggregateQuery = { entity, groupBy, metrics, sort: query.sort, limit: query.limit };
  if (query.filter) {
    const filter = resolveFilter(query.filter, entity, entities, issues);
    if (filter) resolved.filter = filter;
  }
  if (query.search !== undefined) {
    if (searchFields(entity).length === 0) issues.push({ code: "SEARCH_UNAVAILABLE", pointer: "/q", message: `q: ${entity.key} has no text fields to search` });
    else resolved.search = query.search;
  }
  return issues.length > 0 ? { ok: false, issues } : { ok: true, value: resolved };
}

function checkGroup(path: ResolvedPath, bucket: string | undefined, issues: Issue[]): boolean {
  const kind = valueKind(path);
  if (!SORTABLE_KINDS.includes(kind)) {
    issues.push({ code: "NOT_GROUPABLE", pointer: "/groupBy", message: `groupBy: "${path.field.key}" is ${describeField(path.field)} and cannot be grouped on` });
    return false;
  }
  if (bucket !== undefined && kind !== "date" && kind !== "datetime") {
    issues.push({ code: "INVALID_BUCKET", pointer: "/groupBy", message: `groupBy: "${path.field.key}:${bucket}": date buckets apply to date and datetime fields only, and "${path.field.key}" is ${describeField(path.field)}` });
    return false;
  }
  return true;
}
