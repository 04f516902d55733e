import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import { drizzle as drizzlePostgres } from "drizzle-orm/postgres-js";
import { migrate as migratePostgres } from "drizzle-orm/postgres-js/migrator";
import pLimit from "p-limit";
import postgres from "postgres";
import type { Database, Orm, Queryable } from "./database.ts";
import { lockDataDir } from "./pglite-lock.ts";

const MIGRATIONS_FOLDER = join(import.meta.dirname, "../../drizzle");

export interface DatabaseOptions {
  /** PostgreSQL URL; absent means embedded PGlite. */
  url?: string | undefined;
  /** PGlite data folder; absent means in memory. */
  dataDir?: string | undefined;
  /** postgres.js pool size. */
  poolSize?: number;
}

/**
 * Open the database and bring the system tables up to date (drizzle-kit migrations).
 * @example const db = await createDatabase({}); // in-memory PGlite
 */
export async function createDatabase(options: DatabaseOptions): Promise<Database> {
  const database = options.url ? await openPostgres(options.url, options.poolSize ?? 10) : await openPglite(options.dataDir);
  try {
    await database.migrate();
  } catch (error) {
    await database.close();
    throw error;
  }
  return database;
}

type Opened = Database & { migrate(): Promise<void> };

/** How a driver runs statements directly and inside a transaction. */
interface Driver {
  direct: Queryable;
  script(text: string): Promise<Array<{ rows: unknown[] }>>;
  begin<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
}

/**
 * Every top-level statement or transaction takes one slot of `size`, so in-flight work never exceeds
 * the pool (postgres.js degrades for good when concurrency exceeds its pool: porsager/postgres#747).
 */
function limited(kind: Database["kind"], size: number, driver: Driver) {
  const limit = pLimit(size);
  let peakActive = 0;
  let queries = 0;
  const counted = (q: Queryable): Queryable => ({
    orm: q.orm,
    query: (text, params) => {
      queries++;
      return q.query(text, params);
    },
  });
  const run = <T>(fn: () => Promise<T>) =>
    limit(() => {
      peakActive = Math.max(peakActive, limit.activeCount);
      return fn();
    });
  const direct = counted(driver.direct);
  return {
    kind,
    orm: driver.direct.orm,
    pool: () => ({ size, active: limit.activeCount, waiting: limit.pendingCount, peakActive, queries }),
    query: <T>(text: string, params?: readonly unknown[]) => run(() => direct.query<T>(text, params)),
    transaction: <T>(fn: (tx: Queryable) => Promise<T>) => run(() => driver.begin((tx) => fn(counted(tx)))),
    script: (text: string) => run(() => driver.script(text)),
  };
}

async function openPglite(dataDir: string | undefined): Promise<Opened> {
  let unlock = async () => {};
  if (dataDir) {
    await mkdir(dataDir, { recursive: true });
    unlock = await lockDataDir(dataDir);
  }
  const client = await PGlite.create(dataDir ? { dataDir } : {});
  await client.exec("SET TIME ZONE 'UTC'");
  const orm = drizzlePglite({ client }) as unknown as Orm;
  const queryable = (target: Pick<PGlite, "query">, boundOrm: Orm): Queryable => ({
    orm: boundOrm,
    query: async <T>(text: string, params: readonly unknown[] = []) => (await target.query<T>(text, params as unknown[])).rows,
  });
  // PGlite is one connection: one transaction or statement at a time.
  return {
    ...limited("pglite", 1, {
      direct: queryable(client, orm),
      begin: (fn) => client.transaction((tx) => fn(queryable(tx, drizzlePglite({ client: tx as unknown as PGlite }) as unknown as Orm))),
      script: async (text) => (await client.exec(text)).map((result) => ({ rows: result.rows })),
    }),
    migrate: () => migratePglite(orm as never, { migrationsFolder: MIGRATIONS_FOLDER }),
    listen: async () => {},
    close: async () => {
      await client.close();
      await unlock();
    },
  };
}

async function openPostgres(url: string, poolSize: number): Promise<Opened> {
  const client = postgres(url, { max: poolSize, onnotice: () => {}, connection: { TimeZone: "UTC" } });
  const orm = drizzlePostgres({ client }) as unknown as Orm;
  // Statements run as prepared statements (parsed and planned once per connection), as hand-written
  // postgres.js code would; drizzle remains for the system tables.
  const queryable = (target: postgres.Sql | postgres.TransactionSql, boundOrm: Orm): Queryable => ({
    orm: boundOrm,
    query: async <T>(text: string, params: readonly unknown[] = []) =>
      (await target.unsafe(text, params as postgres.ParameterOrJSON<never>[], { prepare: true })) as unknown as T[],
  });
  return {
    ...limited("postgres", poolSize, {
      direct: queryable(client, orm),
      // Drizzle opens the transaction; raw statements run on the same postgres.js transaction client.
      begin: <T>(fn: (tx: Queryable) => Promise<T>) =>
        orm.transaction((tx) => fn(queryable((tx as unknown as { session: { client: postgres.TransactionSql } }).session.client, tx as unknown as Orm))),
      // Without parameters postgres.js sends the simple protocol: several statements, one result each.
      // postgres.js lets only a reserved connection run a script's own BEGIN/COMMIT.
      script: async (text) => {
        const reserved = await client.reserve();
        let results: unknown[];
        try {
          results = (await reserved.unsafe(text).simple()) as unknown as unknown[];
        } finally {
          reserved.release();
        }
        const many = results.length > 0 && results.every((r) => Array.isArray(r));
        return (many ? (results as unknown[][]) : [results]).map((rows) => ({ rows: [...rows] }));
      },
    }),
    // Several runtime processes may start at once: one migrates, the others wait.
    migrate: async () => {
      const lockHolder = await client.reserve();
      try {
        await lockHolder`select pg_advisory_lock(7246013)`;
        await migratePostgres(orm as never, { migrationsFolder: MIGRATIONS_FOLDER });
      } finally {
        await lockHolder`select pg_advisory_unlock(7246013)`.catch(() => undefined);
        lockHolder.release();
      }
    },
    listen: async (channel, onMessage) => {
      await client.listen(channel, onMessage);
    },
    close: () => client.end({ timeout: 5 }),
  };
}
