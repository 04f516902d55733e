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
  pool(): { size: number; active: number; waiting: number; peakActive: number; queries: number };
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  /**
   * Run a script of several statements without parameters (one slot of the pool, so on PGlite nothing
   * interleaves), answering the rows of every statement in order. For libraries that send scripts
   * with their own BEGIN/COMMIT (the workflow job queue).
   */
  script?(text: string): Promise<Array<{ rows: unknown[] }>>;
  /**
   * Hear `NOTIFY` messages on a channel from every process sharing the database (PostgreSQL). PGlite
   * belongs to one process, so there is nobody else to hear from: a no-op.
   */
  listen(channel: string, onMessage: (payload: string) => void): Promise<void>;
  close(): Promise<void>;
}
