import postgres from "postgres";

/**
 * The server processes of a PostgreSQL database's other sessions, to charge their CPU time to a
 * benchmark (with `processCpuMs`; on this machine PostgreSQL and the API share the same cores).
 */
export function databaseBackends(databaseUrl: string): { pids(): Promise<number[]>; close(): Promise<void> } {
  const sql = postgres(databaseUrl, { max: 1, onnotice: () => {} });
  return {
    pids: async () => (await sql<{ pid: number }[]>`select pid from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()`).map((r) => r.pid),
    close: () => sql.end(),
  };
}
