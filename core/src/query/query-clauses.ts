import { DATA_SCHEMA } from "../definition/types.ts";
import { ident, joinSql, qualified, sql, type Fragment } from "../migration/sql.ts";
import { compileFilter } from "./compile-filter.ts";
import { ROOT_ALIAS, type JoinPlanner } from "./join-planner.ts";
import { searchCondition } from "./search.ts";
import type { ResolvedListQuery } from "./types.ts";

/** Options of the compilers. */
export interface CompileOptions {
  /** An extra condition on the root rows (alias `t`), e.g. the caller's row permissions; ANDed in. */
  scope?: Fragment;
  /** Records as JSON text (`r::text`) for callers that pass them through without parsing. */
  textRecords?: boolean;
}

/** Filter, search and scope of a list or aggregate, in that order. */
export function conditions(query: Pick<ResolvedListQuery, "entity" | "filter" | "search">, planner: JoinPlanner, options: CompileOptions): Fragment[] {
  const where: Fragment[] = [];
  if (query.filter) where.push(compileFilter(query.filter, planner));
  const search = searchCondition(query.entity, ROOT_ALIAS, query.search);
  if (search) where.push(search);
  if (options.scope) where.push(sql`(${options.scope})`);
  return where;
}

/** ` FROM "data"."<entity>" "t" LEFT JOIN …`: call after every column is planned. */
export function from(query: Pick<ResolvedListQuery, "entity">, planner: JoinPlanner): Fragment {
  return sql` FROM ${qualified(DATA_SCHEMA, query.entity.key)} ${ident(ROOT_ALIAS)}${planner.joins()}`;
}

export function whereClause(where: Fragment[]): Fragment {
  return where.length === 0 ? sql`` : sql` WHERE ${joinSql(where, " AND ")}`;
}
