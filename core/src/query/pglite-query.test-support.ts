import type { ReadPolicy } from "../access/read-policy.ts";
import type { EntityDefinition } from "../definition/types.ts";
import type { TestDatabase } from "../migration/pglite-harness.test-support.ts";
import type { Fragment } from "../migration/sql.ts";
import type { SqlStatement } from "../migration/types.ts";
import { compileAggregate } from "./compile-aggregate.ts";
import { compileList } from "./compile-list.ts";
import { encodeCursor } from "./cursor.ts";
import { parseAggregateQuery } from "./parse-aggregate-query.ts";
import { parseListQuery } from "./parse-list-query.ts";
import { resolveAggregateQuery } from "./resolve-aggregate-query.ts";
import { resolveListQuery } from "./resolve-list-query.ts";
import { ENTITIES } from "./test-entities.test-support.ts";
import type { ResolvedAggregateQuery, ResolvedListQuery } from "./types.ts";

/** Parse, resolve, compile and run list queries on a test database, as the runtime will. */

export function listQuery(entity: EntityDefinition, query: string): ResolvedListQuery {
  const parsed = parseListQuery(new URLSearchParams(query));
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
  const resolved = resolveListQuery(parsed.value, entity, ENTITIES);
  if (!resolved.ok) throw new Error(JSON.stringify(resolved.issues));
  return resolved.value;
}

export function aggregateQuery(entity: EntityDefinition, query: string): ResolvedAggregateQuery {
  const parsed = parseAggregateQuery(new URLSearchParams(query));
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
  const resolved = resolveAggregateQuery(parsed.value, entity, ENTITIES);
  if (!resolved.ok) throw new Error(JSON.stringify(resolved.issues));
  return resolved.value;
}

export async function run(db: TestDatabase, statement: SqlStatement): Promise<Array<Record<string, unknown>>> {
  try {
    return await db.rows(statement.text, statement.params);
  } catch (error) {
    throw new Error(`${(error as Error).message}\n${statement.text}\n${JSON.stringify(statement.params)}`);
  }
}

export interface Page {
  records: Array<Record<string, unknown>>;
  nextCursor?: string;
  count?: number;
}

/** A policy applying `scope` to the root rows only. */
function rootPolicy(scope: Fragment): ReadPolicy {
  return { scope: (_, alias) => (alias === "t" ? scope : undefined), canRead: () => true, readable: () => undefined };
}

/** One page, the way the records service builds it. */
export async function listPage(db: TestDatabase, entity: EntityDefinition, query: string, scope?: Fragment): Promise<Page> {
  const resolved = listQuery(entity, query);
  const { statement, countStatement } = compileList(resolved, scope ? { policy: rootPolicy(scope) } : {});
  const rows = await run(db, statement);
  const page: Page = { records: rows.slice(0, resolved.limit).map((row) => row["r"] as Record<string, unknown>) };
  if (rows.length > resolved.limit) page.nextCursor = encodeCursor(resolved, rows[resolved.limit - 1]!["k"] as unknown[]);
  if (countStatement) page.count = (await run(db, countStatement))[0]!["count"] as number;
  return page;
}

/** Every page of a query, following cursors; fails on a loop. */
export async function allPages(db: TestDatabase, entity: EntityDefinition, query: string): Promise<{ ids: string[]; pages: number }> {
  const ids: string[] = [];
  let cursor: string | undefined;
  let pages = 0;
  do {
    const page = await listPage(db, entity, cursor ? `${query}&cursor=${cursor}` : query);
    ids.push(...page.records.map((r) => r["id"] as string));
    cursor = page.nextCursor;
    if (++pages > 500) throw new Error("too many pages");
  } while (cursor);
  return { ids, pages };
}

export async function aggregate(db: TestDatabase, entity: EntityDefinition, query: string, scope?: Fragment) {
  const rows = await run(db, compileAggregate(aggregateQuery(entity, query), scope ? { policy: rootPolicy(scope) } : {}));
  return rows as Array<{ key: Record<string, unknown>; count: number; metrics: Record<string, unknown> }>;
}

/** Compare like the SQL ORDER BY: NULL is the largest value, strings by code unit (C collation), then directions. */
export function compareBy<T>(terms: Array<[(row: T) => unknown, "asc" | "desc"]>): (a: T, b: T) => number {
  return (a, b) => {
    for (const [get, direction] of terms) {
      const x = get(a);
      const y = get(b);
      if (x === y) continue;
      const sign = direction === "asc" ? 1 : -1;
      if (x === null || x === undefined) return sign;
      if (y === null || y === undefined) return -sign;
      return (x < (y as typeof x) ? -1 : 1) * sign;
    }
    return 0;
  };
}
