import type { ReadPolicy } from "../access/read-policy.ts";
import { DATA_SCHEMA } from "../definition/types.ts";
import { fieldColumns } from "../migration/field-columns.ts";
import { ident, joinSql, qualified, sql, type Fragment } from "../migration/sql.ts";
import type { ResolvedPath } from "./types.ts";

/** The root table's alias in every compiled statement. */
export const ROOT_ALIAS = "t";

/** Turns resolved paths into column expressions, joining each manyToOne hop path once. */
export interface JoinPlanner {
  /** `"t"."amount"`, `"j1"."name"`… joining what the path needs. */
  column(path: ResolvedPath): Fragment;
  /** The LEFT JOINs needed so far (`j1`, `j2`… in order of first use), or an empty fragment. */
  joins(): Fragment;
}

/**
 * A planner for one statement. A path ending at a related record's `id` reads the foreign key
 * instead of joining (`account.id` is `"t"."account"`). With a `policy`, a joined row the caller may
 * not read joins as NULLs, so a filter or sort on it cannot tell its values apart.
 * @example const p = createJoinPlanner(); p.column(accountName); toStatement(p.joins()).text // ` LEFT JOIN "data"."account" "j1" ON "j1"."id" = "t"."account"`
 */
export function createJoinPlanner(policy?: ReadPolicy): JoinPlanner {
  const aliases = new Map<string, string>();
  const joins: Fragment[] = [];
  const aliasFor = (hops: ResolvedPath["hops"]): string => {
    let alias = ROOT_ALIAS;
    hops.forEach((hop, i) => {
      const key = hops.slice(0, i + 1).map((h) => h.field.key).join(".");
      let next = aliases.get(key);
      if (next === undefined) {
        next = `j${aliases.size + 1}`;
        aliases.set(key, next);
        const scope = policy?.scope(hop.to, next);
        joins.push(sql` LEFT JOIN ${qualified(DATA_SCHEMA, hop.to.key)} ${ident(next)} ON ${ident(next)}."id" = ${ident(alias)}.${ident(hop.field.key)}${scope ? sql` AND ${scope}` : sql``}`);
      }
      alias = next;
    });
    return alias;
  };
  return {
    column(path) {
      const field = path.field;
      const last = path.hops[path.hops.length - 1];
      if (field.type === "system" && field.key === "id" && last) {
        return sql`${ident(aliasFor(path.hops.slice(0, -1)))}.${ident(last.field.key)}`;
      }
      const name = field.type === "system" ? field.key : fieldColumns(field)[path.part === "currency" ? 1 : 0]!.name;
      return sql`${ident(aliasFor(path.hops))}.${ident(name)}`;
    },
    joins: () => joinSql(joins, ""),
  };
}
