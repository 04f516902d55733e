import { joinSql, param, raw, sql, type Fragment } from "../migration/sql.ts";
import { KIND_SQL_TYPES, type ValueKind } from "./value-kind.ts";

/** One ORDER BY term as the compilers see it. */
export interface SortColumn {
  column: Fragment;
  direction: "asc" | "desc";
  kind: ValueKind;
  /** False for columns that are never NULL (the root's id, createdAt, updatedAt, version): no NULL branch needed. */
  nullable: boolean;
}

/**
 * ORDER BY terms, with PostgreSQL's default NULL placement spelled out: NULL sorts as the largest
 * value, so last ascending and first descending. Plain indexes serve both directions.
 * @example toStatement(orderBy([{ column: sql`"t"."amount"`, direction: "desc", kind: "numeric" }])).text // `"t"."amount" DESC NULLS FIRST`
 */
export function orderBy(terms: readonly SortColumn[]): Fragment {
  return joinSql(terms.map((t) => sql`${t.column} ${raw(t.direction === "asc" ? "ASC NULLS LAST" : "DESC NULLS FIRST")}`), ", ");
}

/**
 * The keyset values of a row, as `jsonb`: decimals and integers as text so no precision is lost
 * in JSON, date-times as ISO 8601 with microseconds, everything else as its JSON value.
 */
export function keyValues(terms: readonly SortColumn[]): Fragment {
  return sql`jsonb_build_array(${joinSql(terms.map((t) => (t.kind === "numeric" || t.kind === "integer" ? sql`${t.column}::text` : t.column)), ", ")})`;
}

/**
 * Rows strictly after `after` in the order of `terms`, for any mix of directions and NULLs:
 * `(a after) OR (a = and b after) OR (a = and b = and id after)`, where with NULL as the largest value
 * "after v" is `> v OR IS NULL` ascending, `< v` descending, nothing ascending after NULL, and
 * `IS NOT NULL` descending after NULL. The values are known here, so NULL cases are decided now.
 * @example keysetCondition([amount desc, id asc], ["10.00", "7d0c…"]) // ("t"."amount" < $1::numeric OR ("t"."amount" = $1::numeric AND "t"."id" > $2::uuid))
 */
export function keysetCondition(terms: readonly SortColumn[], after: readonly unknown[]): Fragment {
  const first = terms[0];
  const value = after[0] ?? null;
  const bound = leadingBound(first, value);
  if (!first || !bound) return expandedCondition(terms, after);
  // Under the bound `a <= v` (or `a >= v`), "a before v, or a = v and the rest after" is exactly
  // "a <> v, or the rest after". Written so, PostgreSQL estimates the rows from the bound alone instead
  // of counting the range twice, and keeps the index scan to the very last page.
  const rest = terms.length > 1 ? expandedCondition(terms.slice(1), after.slice(1)) : sql`false`;
  return sql`(${bound} AND (${first.column} <> ${typedValue(first, value)} OR ${rest}))`;
}

function typedValue(term: SortColumn, value: unknown): Fragment {
  return sql`${param(value)}::${raw(castType(term.kind))}`;
}

/** `(a after) OR (a = and b after) OR …`, for any mix of directions and NULLs. */
function expandedCondition(terms: readonly SortColumn[], after: readonly unknown[]): Fragment {
  const disjuncts: Fragment[] = [];
  const equal: Fragment[] = [];
  terms.forEach((term, i) => {
    const value = after[i] ?? null;
    const typed = value === null ? undefined : typedValue(term, value);
    const next = strictlyAfter(term, typed);
    if (next) disjuncts.push(equal.length === 0 ? next : sql`(${joinSql([...equal, next], " AND ")})`);
    equal.push(typed ? sql`${term.column} = ${typed}` : sql`${term.column} IS NULL`);
  });
  if (disjuncts.length === 0) return sql`false`;
  return sql`(${joinSql(disjuncts, " OR ")})`;
}

/**
 * A redundant range on the first sort column, implied by the condition, that lets PostgreSQL turn the
 * keyset into an index range instead of filtering every row before the cursor (deep pages stay as
 * fast as the first). Only where it is exact: descending after a value (NULLs came first), or
 * ascending on a column that is never NULL.
 */
function leadingBound(term: SortColumn | undefined, value: unknown): Fragment | undefined {
  if (!term || value === null) return undefined;
  if (term.direction === "desc") return sql`${term.column} <= ${typedValue(term, value)}`;
  return term.nullable ? undefined : sql`${term.column} >= ${typedValue(term, value)}`;
}

function strictlyAfter(term: SortColumn, typed: Fragment | undefined): Fragment | undefined {
  if (term.direction === "asc") {
    if (!typed) return undefined;
    return term.nullable ? sql`(${term.column} > ${typed} OR ${term.column} IS NULL)` : sql`${term.column} > ${typed}`;
  }
  return typed ? sql`${term.column} < ${typed}` : sql`${term.column} IS NOT NULL`;
}

function castType(kind: ValueKind): string {
  if (kind === "collection") throw new Error("a collection cannot be sorted");
  return KIND_SQL_TYPES[kind];
}
