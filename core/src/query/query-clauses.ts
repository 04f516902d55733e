import type { ReadPolicy } from "../access/read-policy.ts";
import { DATA_SCHEMA } from "../definition/types.ts";
import { ident, joinSql, qualified, sql, type Fragment } from "../migration/sql.ts";
import { compileFilter } from "./compile-filter.ts";
import { ROOT_ALIAS, type JoinPlanner } from "./join-planner.ts";
import { searchCondition } from "./search.ts";
import type { ResolvedListQuery } from "./types.ts";

/** Options of the compilers. */
export interface CompileOptions {
  /**
   * The caller's read permissions: their scope goes into the statement (on the root rows, on rows a
   * relation path joins, on expanded rows) and hidden fields are never selected or searched.
   * Undefined: everything is readable.
   */
  policy?: ReadPolicy;
  /** Records as JSON text (`r::text`) for callers that pass them through without parsing. */
  textRecords?: boolean;
}

/** Filter, search and scope of a list or aggregate, in that order. */
export function conditions(query: Pick<ResolvedListQuery, "entity" | "filter" | "search">, planner: JoinPlanner, options: CompileOptions): Fragment[] {
  const where: Fragment[] = [];
  if (query.filter) where.push(compileFilter(query.filter, planner));
  const search = searchCondition(query.entity, ROOT_ALIAS, query.search, options.policy?.readable(query.entity));
  if (search) where.push(search);
  const scope = options.policy?.scope(query.entity, ROOT_ALIAS);
  if (scope) where.push(sql`(${scope})`);
  return where;
}

/** ` FROM "data"."<entity>" "t" LEFT JOIN …`: call after every column is planned. */
export function from(query: Pick<ResolvedListQuery, "entity">, planner: JoinPlanner): Fragment {
  return sql` FROM ${qualified(DATA_SCHEMA, query.entity.key)} ${ident(ROOT_ALIAS)}${planner.joins()}`;
}

export function whereClause(where: Fragment[]): Fragment {
  return where.length === 0 ? sql`` : sql` WHERE ${joinSql(where, " AND ")}`;
}
