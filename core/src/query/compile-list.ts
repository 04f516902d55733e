import { selectableFields } from "../access/read-policy.ts";
import { param, sql, toStatement } from "../migration/sql.ts";
import type { SqlStatement } from "../migration/types.ts";
import { createJoinPlanner, ROOT_ALIAS } from "./join-planner.ts";
import { keysetCondition, keyValues, orderBy } from "./keyset.ts";
import { conditions, from, whereClause, type CompileOptions } from "./query-clauses.ts";
import { recordJson } from "./record-json.ts";
import { sortColumns } from "./sort-columns.ts";
import type { ResolvedListQuery } from "./types.ts";

/**
 * The SQL of a list page. Rows are `{ r: jsonb, k: jsonb }`: `r` the record (see `recordJson`,
 * only `query.fields` if given), `k` the sort values for `encodeCursor`. At most `limit + 1` rows:
 * an extra row means there is a next page (drop it; the cursor is the `k` of the last row kept).
 * `countStatement` (when `query.count`) returns one row `{ count: number }` over the same filter,
 * search and scope. Relation paths are LEFT JOINs `j1`, `j2`… shared by filter and sort.
 * @example compileList(resolved).statement.text
 * // SELECT jsonb_build_object(…) AS r, jsonb_build_array("t"."amount"::text, "t"."id") AS k FROM "data"."deal" "t" WHERE … ORDER BY "t"."amount" DESC NULLS FIRST, "t"."id" ASC NULLS LAST LIMIT $3::int
 */
export function compileList(query: ResolvedListQuery, options: CompileOptions = {}): { statement: SqlStatement; countStatement?: SqlStatement } {
  const planner = createJoinPlanner(options.policy);
  const where = conditions(query, planner, options);
  const sort = sortColumns(query.sort, planner);
  const fields = selectableFields(query.entity, options.policy, query.fields);
  if (query.after) where.push(keysetCondition(sort, query.after));
  const statement = toStatement(
    sql`SELECT ${options.textRecords ? sql`(${recordJson(query.entity, ROOT_ALIAS, fields)})::text` : recordJson(query.entity, ROOT_ALIAS, fields)} AS r, ${keyValues(sort)} AS k${from(query, planner)}${whereClause(where)} ORDER BY ${orderBy(sort)} LIMIT ${param(query.limit + 1)}::int`,
  );
  if (!query.count) return { statement };
  const countPlanner = createJoinPlanner(options.policy);
  const countWhere = conditions(query, countPlanner, options);
  return { statement, countStatement: toStatement(sql`SELECT count(*)::int AS count${from(query, countPlanner)}${whereClause(countWhere)}`) };
}
