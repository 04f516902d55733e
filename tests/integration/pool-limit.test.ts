import postgres from "postgres";
import { describe, expect, it } from "vitest";
import { postgresOnly } from "./support/databases.ts";
import { useTestServer } from "./support/test-server.ts";



describe.runIf(postgresOnly.run).each(postgresOnly.targets)("connection pool on $name", (target) => {
  const server = useTestServer(target, { seed: false, env: { DB_POOL_SIZE: "2" } });

  it("serves a burst of concurrent requests without ever opening more connections than the pool size", async () => {
    const observer = postgres(server.databaseUrl!, { max: 1, onnotice: () => {} });
    const database = new URL(server.databaseUrl!).pathname.slice(1);
    let most = 0;
    let mostWaiting = 0;
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        const [row] = await observer`select count(*)::int as n from pg_stat_activity where datname = ${database} and pid <> pg_backend_pid() and query not ilike 'listen%'`;
        most = Math.max(most, row!.n);
        mostWaiting = Math.max(mostWaiting, server.runtime.db.pool().waiting);
      }
    })();
    const slow = Array.from({ length: 20 }, () => server.runtime.db.query("select pg_sleep(0.02)"));
    const responses = await Promise.all([...slow, ...Array.from({ length: 60 }, () => server.request("GET", "/api/meta/entities"))]);
    sampling = false;
    await sampler;
    await observer.end();
    expect(responses.slice(20).every((r) => (r as { status: number }).status === 200)).toBe(true);
    expect(most).toBeGreaterThan(0);
    expect(most).toBeLessThanOrEqual(2);
    // The burst queued in our limiter, not inside postgres.js (which degrades when over-subscribed).
    expect(server.runtime.db.pool().peakActive).toBe(2);
    expect(mostWaiting).toBeGreaterThan(0);
  });
});
