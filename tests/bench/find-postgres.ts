import postgres from "postgres";
import { postgresTarget } from "../integration/support/databases.ts";

const LOCAL = "postgres://postgres@127.0.0.1:5432/postgres";

/**
 * The PostgreSQL server a benchmark that needs one runs on: `DATABASE_URL` when set, else a local
 * server if one answers, else undefined (the benchmark is skipped).
 */
export async function findPostgres(): Promise<string | undefined> {
  if (process.env.DATABASE_URL) return process.env.DATABASE_URL;
  const sql = postgres(LOCAL, { max: 1, connect_timeout: 3, onnotice: () => {} });
  try {
    await sql`select 1`;
    return LOCAL;
  } catch {
    return undefined;
  } finally {
    await sql.end({ timeout: 1 });
  }
}

/**
 * Run a PostgreSQL benchmark on a new database of `findPostgres()`'s server, dropped afterwards.
 * Without a server the benchmark is skipped (and counts as passed) with a message.
 */
export async function withPostgresDatabase(fn: (databaseUrl: string) => Promise<boolean>): Promise<boolean> {
  const base = await findPostgres();
  if (!base) {
    console.log("skipped: needs PostgreSQL (set DATABASE_URL, or run one on 127.0.0.1:5432)");
    return true;
  }
  const database = await postgresTarget(base).create();
  try {
    return await fn(database.url!);
  } finally {
    await database.drop();
  }
}
