import { textArrayLiteral } from "./encode-value.ts";
import { joinSql, param, raw, sql, type Fragment } from "../migration/sql.ts";
import type { JoinPlanner } from "./join-planner.ts";
import type { ResolvedFilter, ResolvedPath } from "./types.ts";
import { KIND_SQL_TYPES, valueKind } from "./value-kind.ts";

/**
 * The SQL condition of a resolved filter. Semantics, chosen so that every condition is two-valued:
 * - a missing value (NULL) matches no comparison (`eq`, `gt`, `in`, `contains`…), but it is "not
 *   equal" to anything: `ne` is `IS DISTINCT FROM`, `nin` matches NULL (and multiSelect `nin` too);
 * - `not(x)` matches exactly the records `x` does not match (`NOT COALESCE(x, false)`), so NULLs included;
 * - `contains`/`startsWith` on text are case-insensitive `ILIKE` with `%`, `_` and `\` escaped;
 * - multiSelect: `contains` has all listed, `in` has any, `nin` has none, `isNull` is NULL or empty;
 * - json `isNull` is SQL NULL or JSON null.
 * Parameters carry explicit casts (`$1::numeric`, `$2::uuid[]`…).
 * @example toStatement(compileFilter({ path: amount, op: "gte", value: 10 }, planner)).text // `"t"."amount" >= $1::numeric`
 */
export function compileFilter(filter: ResolvedFilter, planner: JoinPlanner): Fragment {
  if ("and" in filter) return group(filter.and.map((f) => compileFilter(f, planner)), " AND ");
  if ("or" in filter) return group(filter.or.map((f) => compileFilter(f, planner)), " OR ");
  if ("not" in filter) return sql`NOT COALESCE(${compileFilter(filter.not, planner)}, false)`;
  return condition(filter.path, filter.op, filter.value, planner.column(filter.path));
}

function group(parts: Fragment[], operator: string): Fragment {
  return parts.length === 1 ? parts[0]! : sql`(${joinSql(parts, operator)})`;
}

const COMPARISONS = { eq: "=", gt: ">", gte: ">=", lt: "<", lte: "<=" } as const;

function condition(path: ResolvedPath, op: string, value: unknown, column: Fragment): Fragment {
  const kind = valueKind(path);
  if (kind === "collection") throw new Error("a collection cannot be filtered");
  const type = KIND_SQL_TYPES[kind];
  const one = (v: unknown) => sql`${param(v)}::${raw(type)}`;
  // Arrays travel as array literals: every driver sends text, the cast does the rest.
  const list = () => sql`${param(textArrayLiteral(value as unknown[]))}::${raw(`${type}[]`)}`;
  if (op === "isNull") return nullCheck(kind, column, value === true);
  if (kind === "multiSelect") {
    if (op === "contains") return sql`${column} @> ${list()}`;
    if (op === "in") return sql`${column} && ${list()}`;
    return sql`(${column} IS NULL OR NOT (${column} && ${list()}))`;
  }
  switch (op) {
    case "eq":
    case "gt":
    case "gte":
    case "lt":
    case "lte":
      return sql`${column} ${raw(COMPARISONS[op])} ${one(value)}`;
    case "ne":
      return sql`${column} IS DISTINCT FROM ${one(value)}`;
    case "in":
      return sql`${column} = ANY(${list()})`;
    case "nin":
      return sql`(${column} IS NULL OR ${column} <> ALL(${list()}))`;
    case "contains":
      return sql`${column} ILIKE ${one(`%${escapeLike(String(value))}%`)} ESCAPE '\\'`;
    case "startsWith":
      return sql`${column} ILIKE ${one(`${escapeLike(String(value))}%`)} ESCAPE '\\'`;
    default:
      throw new Error(`Unknown operator ${op}`);
  }
}

function nullCheck(kind: string, column: Fragment, isNull: boolean): Fragment {
  if (kind === "multiSelect") return isNull ? sql`(${column} IS NULL OR cardinality(${column}) = 0)` : sql`cardinality(${column}) > 0`;
  if (kind === "json") return isNull ? sql`(${column} IS NULL OR jsonb_typeof(${column}) = 'null')` : sql`jsonb_typeof(${column}) <> 'null'`;
  return isNull ? sql`${column} IS NULL` : sql`${column} IS NOT NULL`;
}

/** `LIKE` wildcards and the escape character itself, escaped with `\`. */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, "\\$&");
}
