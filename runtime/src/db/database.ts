import { sql, type SQL } from "drizzle-orm";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";

export type DatabaseKind = "pglite" | "postgres";
export type Orm = PgDatabase<PgQueryResultHKT, Record<string, never>>;

/** Something to run statements on: the database itself, or one open transaction. */
export interface Queryable {
  /** Drizzle over the same connection, for the system tables. */
  orm: Orm;
  /** Run one parameterised statement (`$1`, `$2`…) and return its rows. */
  query<T = Record<string, unknown>>(text: string, params?: readonly unknown[]): Promise<T[]>;
}

/** One interface over PGlite and PostgreSQL; the rest of the runtime never knows which. */
export interface Database extends Queryable {
  kind: DatabaseKind;
  /** In-flight work against the pool: never more than `size` at once; the rest waits its turn here. */
  pool(): { size: number; active: number; waiting: number; peakActive: number };
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/**
 * Turn `text` with `$n` placeholders into a drizzle SQL chunk, so raw statements rendered by core and
 * drizzle's queries share one connection and one transaction.
 */
export function toSql(text: string, params: readonly unknown[] = []): SQL {
  const chunks: SQL[] = [];
  let last = 0;
  for (const match of text.matchAll(/\$(\d+)/g)) {
    const index = Number(match[1]) - 1;
    if (index < 0 || index >= params.length) throw new Error(`Placeholder ${match[0]} has no parameter`);
    chunks.push(sql.raw(text.slice(last, match.index)), sql`${params[index]}`);
    last = match.index + match[0].length;
  }
  chunks.push(sql.raw(text.slice(last)));
  return sql.join(chunks);
}

export function rowsOf<T>(result: unknown): T[] {
  if (Array.isArray(result)) return result as T[];
  return ((result as { rows?: T[] }).rows ?? []) as T[];
}

/** A Queryable bound to a drizzle database or transaction. */
export function queryableOf(orm: Orm): Queryable {
  return {
    orm,
    async query<T>(text: string, params: readonly unknown[] = []) {
      return rowsOf<T>(await orm.execute(params.length ? toSql(text, params) : sql.raw(text)));
    },
  };
}
