import { quoteLiteral } from "../migration/quote-literal.ts";
import { joinSql, param, raw, sql, toStatement, type Fragment } from "../migration/sql.ts";
import type { SqlStatement } from "../migration/types.ts";
import { conditions, from, whereClause, type CompileOptions } from "./query-clauses.ts";
import { createJoinPlanner, type JoinPlanner } from "./join-planner.ts";
import { isoTimestamp } from "./record-json.ts";
import type { ResolvedAggregateQuery, ResolvedGroupBy, ResolvedMetric } from "./types.ts";
import { valueKind } from "./value-kind.ts";

interface Compiled {
  /** The SQL value grouped on or aggregated (sorting uses it). */
  value: Fragment;
  /** Its JSON rendering in the result row. */
  json: Fragment;
}

/**
 * The SQL of an aggregate. One row per group, at most `limit`:
 * `{ key: jsonb, count: number, metrics: jsonb }` where `key` maps each group name (the dotted
 * path, e.g. `"stage"`, `"account.industry"`) to its value (JSON like a record's: dates
 * `YYYY-MM-DD`, date-times ISO UTC, numbers as numbers; a bucketed date is the first day of its
 * bucket as `YYYY-MM-DD`, weeks start on Monday, date-times are bucketed in UTC), `count` is the
 * number of records in the group, and `metrics` maps each requested metric name (`count`,
 * `sum:amount`…) to its value (sum/avg of no values is null). Without groupBy, one row with `key: {}`.
 * Rows are ordered by the requested sort, then by every other group ascending (NULL last).
 * @example compileAggregate(resolved).text // SELECT jsonb_build_object('stage', "t"."stage") AS key, count(*)::int AS count, jsonb_build_object('count', count(*)) AS metrics FROM "data"."deal" "t" GROUP BY "t"."stage" ORDER BY … LIMIT $1::int
 */
export function compileAggregate(query: ResolvedAggregateQuery, options: CompileOptions = {}): SqlStatement {
  const planner = createJoinPlanner(options.policy);
  const where = conditions(query, planner, options);
  const groups = query.groupBy.map((g) => ({ name: g.name, ...groupExpression(g, planner) }));
  const metrics = query.metrics.map((m) => ({ name: m.name, ...metricExpression(m, planner) }));
  const named = new Map<string, Fragment>([["count", sql`count(*)`], ...groups.map((g) => [g.name, g.value] as const), ...metrics.map((m) => [m.name, m.value] as const)]);
  const order = [
    ...query.sort.map((s) => sql`${named.get(s.key)!} ${raw(s.direction === "asc" ? "ASC NULLS LAST" : "DESC NULLS FIRST")}`),
    ...groups.filter((g) => !query.sort.some((s) => s.key === g.name)).map((g) => sql`${g.value} ASC NULLS LAST`),
  ];
  const key = sql`jsonb_build_object(${joinSql(groups.map((g) => sql`${raw(quoteLiteral(g.name))}, ${g.json}`), ", ")})`;
  const values = sql`jsonb_build_object(${joinSql(metrics.map((m) => sql`${raw(quoteLiteral(m.name))}, ${m.json}`), ", ")})`;
  const groupBy = groups.length === 0 ? sql`` : sql` GROUP BY ${joinSql(groups.map((g) => g.value), ", ")}`;
  const orderBy = order.length === 0 ? sql`` : sql` ORDER BY ${joinSql(order, ", ")}`;
  return toStatement(
    sql`SELECT ${key} AS key, count(*)::int AS count, ${values} AS metrics${from(query, planner)}${whereClause(where)}${groupBy}${orderBy} LIMIT ${param(query.limit)}::int`,
  );
}

function groupExpression(group: ResolvedGroupBy, planner: JoinPlanner): Compiled {
  const column = planner.column(group.path);
  const kind = valueKind(group.path);
  if (group.bucket) {
    // date_trunc on a plain timestamp: the session time zone never shifts a bucket.
    const local = kind === "date" ? sql`${column}::timestamp` : sql`(${column} AT TIME ZONE 'UTC')`;
    const value = sql`date_trunc(${raw(quoteLiteral(group.bucket))}, ${local})`;
    return { value, json: sql`to_char(${value}, 'YYYY-MM-DD')` };
  }
  return { value: column, json: jsonOf(kind, column) };
}

function metricExpression(metric: ResolvedMetric, planner: JoinPlanner): Compiled {
  if (metric.fn === "count") return { value: sql`count(*)`, json: sql`count(*)` };
  const value = sql`${raw(metric.fn)}(${planner.column(metric.path)})`;
  return { value, json: jsonOf(valueKind(metric.path), value) };
}

function jsonOf(kind: string, value: Fragment): Fragment {
  if (kind === "date") return sql`to_char(${value}, 'YYYY-MM-DD')`;
  if (kind === "datetime") return isoTimestamp(value);
  return value;
}
