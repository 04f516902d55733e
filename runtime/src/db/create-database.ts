import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import { drizzle as drizzlePostgres } from "drizzle-orm/postgres-js";
import { migrate as migratePostgres } from "drizzle-orm/postgres-js/migrator";
import pLimit from "p-limit";
import postgres from "postgres";
import { queryableOf, type Database, type Orm } from "./database.ts";
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

/**
 * Every top-level statement or transaction takes one slot of `limit`, so in-flight work never exceeds
 * the pool (postgres.js degrades for good when concurrency exceeds its pool: porsager/postgres#747).
 */
function limited(kind: Database["kind"], orm: Orm, size: number) {
  const limit = pLimit(size);
  let peakActive = 0;
  const run = <T>(fn: () => Promise<T>) =>
    limit(() => {
      peakActive = Math.max(peakActive, limit.activeCount);
      return fn();
    });
  const direct = queryableOf(orm);
  return {
    kind,
    orm,
    pool: () => ({ size, active: limit.activeCount, waiting: limit.pendingCount, peakActive }),
    query: <T>(text: string, params?: readonly unknown[]) => run(() => direct.query<T>(text, params)),
    transaction: <T>(fn: (tx: ReturnType<typeof queryableOf>) => Promise<T>) =>
      run(() => orm.transaction((tx) => fn(queryableOf(tx as unknown as Orm)))),
  };
}

async function openPglite(dataDir: string | undefined): Promise<Opened> {
  let unlock = async () => {};
  if (dataDir) {
    await mkdir(dataDir, { recursive: true });
    unlock = await lockDataDir(dataDir);
  }
  const client = await PGlite.create(dataDir ? { dataDir } : {});
  const orm = drizzlePglite({ client }) as unknown as Orm;
  // PGlite is one connection: one transaction or statement at a time.
  return {
    ...limited("pglite", orm, 1),
    migrate: () => migratePglite(orm as never, { migrationsFolder: MIGRATIONS_FOLDER }),
    close: async () => {
      await client.close();
      await unlock();
    },
  };
}

async function openPostgres(url: string, poolSize: number): Promise<Opened> {
  const client = postgres(url, { max: poolSize, onnotice: () => {} });
  const orm = drizzlePostgres({ client }) as unknown as Orm;
  return {
    ...limited("postgres", orm, poolSize),
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
    close: () => client.end({ timeout: 5 }),
  };
}
