import type { TableName } from "./step-spec.ts";
import { joinSql, qualified, raw, sql, toStatement } from "./sql.ts";
import type { Fragment } from "./sql.ts";
import type { ImpactQuery } from "./types.ts";

/**
 * An impact query counting the rows of a table that match a predicate.
 * @example countImpact({ schema: "data", name: "account" }, sql`"name" IS NULL`, "{count} rows are empty").sql.text
 * // 'SELECT count(*)::int AS count FROM "data"."account" WHERE "name" IS NULL'
 */
export function countImpact(table: TableName, where: Fragment, message: string, blocks = false): ImpactQuery {
  const statement = toStatement(sql`SELECT count(*)::int AS count FROM ${qualified(table.schema, table.name)} WHERE ${where}`);
  return blocks ? { sql: statement, message, blocksWhenNonZero: true } : { sql: statement, message };
}

/**
 * Counts the rows that share their (non-null) values with another row, i.e. that a unique constraint
 * over those values would reject. Values are computed in a subquery and grouped by alias, because
 * GROUP BY reads a bare integer constant as a column position.
 */
export function duplicateImpact(table: TableName, values: Fragment[], message: string): ImpactQuery {
  const keys = values.map((_, i) => raw(`k${i}`));
  const columns = joinSql(values.map((value, i) => sql`${value} AS ${keys[i] ?? raw("")}`), ", ");
  const notNull = joinSql(keys.map((key) => sql`${key} IS NOT NULL`), " AND ");
  const statement = toStatement(
    sql`SELECT coalesce(sum(d.n), 0)::int AS count FROM (SELECT count(*) AS n FROM (SELECT ${columns} FROM ${qualified(table.schema, table.name)}) AS s WHERE ${notNull} GROUP BY ${joinSql(keys, ", ")} HAVING count(*) > 1) AS d`,
  );
  return { sql: statement, message, blocksWhenNonZero: true };
}
