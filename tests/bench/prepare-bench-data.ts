import postgres from "postgres";
import { benchDefinition, loadRowsSql } from "./bench-entity.ts";
import type { ServerProcess } from "./server-process.ts";

const BATCH = 250_000;

/**
 * Define the benchmark entities through the running runtime's metadata API (as an admin would), then
 * fill their tables straight in SQL, vacuum and analyze. Returns a sample of record ids of `items`.
 */
export async function prepareBenchData(
  runtime: ServerProcess,
  databaseUrl: string,
  tables: { items: { key: string; rows: number }; list: { key: string; rows: number } },
): Promise<string[]> {
  const response = await fetch(`${runtime.url}/api/meta/entities`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ definitions: [benchDefinition(tables.items.key), benchDefinition(tables.list.key)] }),
  });
  if (response.status !== 201) throw new Error(`defining the benchmark entities answered ${response.status}: ${(await response.text()).slice(0, 500)}`);

  const sql = postgres(databaseUrl, { max: 2, onnotice: () => {} });
  try {
    for (const { key, rows } of [tables.items, tables.list]) {
      const started = performance.now();
      const batches = [];
      for (let from = 1; from <= rows; from += BATCH) batches.push(sql.unsafe(loadRowsSql(key, from, Math.min(from + BATCH - 1, rows))));
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
