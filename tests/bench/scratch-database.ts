import { postgresTarget } from "../integration/support/databases.ts";

/**
 * Run a benchmark on a throw-away database: in-memory PGlite, or, when DATABASE_URL is set, a new
 * database on that PostgreSQL server that is dropped afterwards.
 */
export async function withScratchDatabase<T>(fn: (databaseUrl: string | undefined) => Promise<T>): Promise<T> {
  const base = process.env.DATABASE_URL;
  if (!base) return fn(undefined);
  const database = await postgresTarget(base).create();
  try {
    return await fn(database.url);
  } finally {
    await database.drop();
  }
}
