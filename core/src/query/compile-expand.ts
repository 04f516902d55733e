import { selectableFields } from "../access/read-policy.ts";
import { textArrayLiteral } from "./encode-value.ts";
import { DATA_SCHEMA } from "../definition/types.ts";
import { ident, param, qualified, sql, toStatement, type Fragment } from "../migration/sql.ts";
import { joinTableName } from "../migration/table-ref.ts";
import type { SqlStatement } from "../migration/types.ts";
import type { CompileOptions } from "./query-clauses.ts";
import { recordJson } from "./record-json.ts";
import type { ResolvedExpand } from "./types.ts";

/** Children embedded per parent record for oneToMany and manyToMany, oldest first. */
export const EXPAND_LIMIT_PER_PARENT = 100;

/**
 * The one query that loads an expanded relation for a whole page (never one per record).
 * `ids` are the distinct foreign keys for manyToOne (see `expandIds`), the parents' ids otherwise.
 * Rows: manyToOne `{ r }`; oneToMany and manyToMany `{ parent, r }` (parent id as text), at most
 * `EXPAND_LIMIT_PER_PARENT` per parent ordered by `createdAt, id`. `r` is the target record, with the
 * fields `options.policy` lets the caller read, and only target rows in the caller's scope.
 * @example compileExpand(accountExpand, ["7d0c…"]).text // SELECT jsonb_build_object(…) AS r FROM "data"."account" "t" WHERE "t"."id" = ANY($1::uuid[])
 */
export function compileExpand(expand: ResolvedExpand, ids: readonly string[], options: CompileOptions = {}): SqlStatement {
  const { field, target } = expand;
  const table = qualified(DATA_SCHEMA, target.key);
  const r = recordJson(target, "t", selectableFields(target, options.policy));
  // Arrays travel as array literals: every driver sends text, the cast does the rest.
  const idList = sql`${param(textArrayLiteral(ids))}::uuid[]`;
  const policyScope = options.policy?.scope(target, "t");
  const scope = policyScope ? sql` AND (${policyScope})` : sql``;
  if (field.relation === "manyToOne") {
    return toStatement(sql`SELECT ${r} AS r FROM ${table} "t" WHERE "t"."id" = ANY(${idList})${scope}`);
  }
  if (field.relation === "oneToMany") {
    const inverse = sql`"t".${ident(field.inverse ?? "")}`;
    return capped(sql`SELECT ${inverse}::text AS parent, ${r} AS r, ${rowNumber(inverse)} AS n FROM ${table} "t" WHERE ${inverse} = ANY(${idList})${scope}`);
  }
  const join = qualified(DATA_SCHEMA, joinTableName(expand.source, field));
  return capped(
    sql`SELECT "j"."source"::text AS parent, ${r} AS r, ${rowNumber(sql`"j"."source"`)} AS n FROM ${join} "j" JOIN ${table} "t" ON "t"."id" = "j"."target" WHERE "j"."source" = ANY(${idList})${scope}`,
  );
}

function rowNumber(parent: Fragment): Fragment {
  return sql`row_number() OVER (PARTITION BY ${parent} ORDER BY "t"."createdAt", "t"."id")`;
}

function capped(inner: Fragment): SqlStatement {
  return toStatement(sql`SELECT "parent", "r" FROM (${inner}) "s" WHERE "n" <= ${param(EXPAND_LIMIT_PER_PARENT)}::int ORDER BY "parent", "n"`);
}
