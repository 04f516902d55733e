import { param, raw, sql, type Fragment } from "../migration/sql.ts";
import { textArrayLiteral } from "../query/encode-value.ts";
import type { AccessSubject, Scope } from "./types.ts";

/** The system column holding a record's owner; every scope but `all` is decided on it. */
export const OWNER_COLUMN = "ownerId";

/** The users whose records a scope (or any of several scopes) reaches, or `all` / `none`. */
export function scopeOwners(scope: Scope | readonly Scope[], subject: AccessSubject): string[] | "all" | "none" {
  if (typeof scope !== "string") {
    if (scope.includes("all")) return "all";
    const owners = new Set<string>();
    for (const one of scope) {
      const reached = scopeOwners(one, subject);
      if (typeof reached !== "string") for (const owner of reached) owners.add(owner);
    }
    return owners.size ? [...owners] : "none";
  }
  switch (scope) {
    case "all":
      return "all";
    case "none":
      return "none";
    case "own":
      return subject.userId ? [subject.userId] : "none";
    case "team":
      return subject.teamUserIds;
    case "department":
      return subject.departmentUserIds;
    case "subtree":
      return subject.subtreeUserIds;
    default: {
      const never: never = scope;
      return never;
    }
  }
}

/**
 * The SQL condition (on row alias `alias`) that keeps exactly the records a scope reaches, and, with
 * `unowned`, the records nobody owns (an entity's pool). It goes into the query itself, so counts,
 * pages and aggregates never see other records.
 * @example toStatement(sql`SELECT … WHERE ${scopePredicate("own", me)}`) // … WHERE "t"."ownerId" = ANY($1::uuid[])
 */
export function scopePredicate(scope: Scope | readonly Scope[], subject: AccessSubject, alias = "t", options: { unowned?: boolean } = {}): Fragment {
  return ownersPredicate(scopeOwners(scope, subject), alias, options.unowned === true);
}

/** The condition keeping records of `owners` (and unowned ones with `unowned`) on row alias `alias`. */
export function ownersPredicate(owners: readonly string[] | "all" | "none", alias: string, unowned: boolean): Fragment {
  if (owners === "all") return raw("TRUE");
  const column = raw(`"${alias}"."${OWNER_COLUMN}"`);
  const none = owners === "none" || owners.length === 0;
  if (none) return unowned ? sql`${column} IS NULL` : raw("FALSE");
  const owned = sql`${column} = ANY(${param(textArrayLiteral(owners as readonly string[]))}::uuid[])`;
  return unowned ? sql`(${owned} OR ${column} IS NULL)` : owned;
}
