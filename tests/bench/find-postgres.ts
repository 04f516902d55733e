import postgres from "postgres";

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
