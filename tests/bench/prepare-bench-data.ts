import postgres from "postgres";
import { callApi } from "./bench-auth.ts";
import { benchDefinition, loadRowsSql } from "./bench-entity.ts";
import type { ServerProcess } from "./server-process.ts";

const BATCH = 250_000;

/**
 * Define the benchmark entities through the running runtime's metadata API (as an admin would), then
 * fill their tables straight in SQL (every row owned by `owner`), vacuum and analyze. `adminToken` is
 * an administrator's API token. Returns a sample of record ids of `items`.
 */
export async function prepareBenchData(
  runtime: ServerProcess,
  databaseUrl: string,
  tables: { items: { key: string; rows: number }; list: { key: string; rows: number } },
  auth: { adminToken: string; owner: string },
): Promise<string[]> {
  await callApi(runtime.url, "POST", "/api/meta/entities", {
    body: { definitions: [benchDefinition(tables.items.key), benchDefinition(tables.list.key)] },
    auth: auth.adminToken,
    expect: 201,
  });

  const sql = postgres(databaseUrl, { max: 2, onnotice: () => {} });
  try {
    for (const { key, rows } of [tables.items, tables.list]) {
      const started = performance.now();
      const batches = [];
      for (let from = 1; from <= rows; from += BATCH) batches.push(sql.unsafe(loadRowsSql(key, from, Math.min(from + BATCH - 1, rows), [auth.owner])));
      // Two connections: two batches load at once.
      await Promise.all(batches);
      await sql.unsafe(`vacuum (analyze) data."${key}"`);
      console.log(`loaded ${rows.toLocaleString("en")} rows into ${key} in ${((performance.now() - started) / 1000).toFixed(1)} s (vacuum analyze included)`);
    }
    const ids = await sql<{ id: string }[]>`select "id" from data.${sql(tables.items.key)} order by random() limit 10000`;
    return ids.map((r) => r.id);
  } finally {
    await sql.end();
  }
}
