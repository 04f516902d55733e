// The generated record API against a hand-written Hono + postgres.js server running the same SQL, on
// PostgreSQL, each server in a fresh process, the same load at the same concurrency, in this run, both
// acting as an administrator through an API token (looked up on every request; a create is owned by
// the caller and writes its history row in the same statement on both sides):
// get by id and create on a 100,000-row table of a 12-field entity, list 50 (filter + sort) on a
// 1,000,000-row one. Targets: generated/hand-written throughput >= 0.9 (get, list) and >= 0.85
// (create); paging a filtered, sorted list of the 1M table to its end stays flat (median of the
// last 50 pages, and of every tenth of the walk, within 1.5x of the first 50). Server and database CPU per request
// is printed too: on a shared machine it varies far less than throughput. Smaller runs while developing:
// API_BENCH_ROWS=10000 API_BENCH_LIST_ROWS=20000 API_BENCH_SECONDS=3 node tests/bench/run.ts
// (API_BENCH_ONLY and API_BENCH_ROUNDS narrow a run to some scenarios and set the rounds per side).
import { join } from "node:path";
import postgres from "postgres";
import { BENCH_ADMIN, BENCH_ADMIN_ENV, createUserToken } from "./bench-auth.ts";
import { createBody, STATUSES } from "./bench-entity.ts";
import { envInt } from "./env-int.ts";
import { withPostgresDatabase } from "./find-postgres.ts";
import { databaseBackends } from "./database-backends.ts";
import { cpuRatio, formatLoad, LOAD_COLUMNS, loadTest, meanLoad, type LoadRequest, type LoadResult } from "./load-test.ts";
import { prepareBenchData } from "./prepare-bench-data.ts";
import { startServerProcess, type ServerProcess } from "./server-process.ts";
import { median, walkPages, type Walk } from "./walk-pages.ts";

const ROWS = envInt("API_BENCH_ROWS", 100_000);
const LIST_ROWS = envInt("API_BENCH_LIST_ROWS", 1_000_000);
const SECONDS = envInt("API_BENCH_SECONDS", 10);
const WARMUP_SECONDS = Math.min(3, SECONDS);
const CONNECTIONS = envInt("API_BENCH_CONNECTIONS", 16);
/** At least the concurrency, so neither server queues requests for a connection. */
const POOL = CONNECTIONS + 4;
/** Each round runs both servers, the order swapped every round. */
const ROUNDS = envInt("API_BENCH_ROUNDS", 2);
/** `API_BENCH_ONLY="get by id,create"` runs only those scenarios: for a closer look while developing. */
const ONLY = (process.env.API_BENCH_ONLY ?? "").split(",").map((name) => name.trim()).filter(Boolean);
const PAGE = 200;
// 50 pages at each end: enough for a median that one slow page (GC, a checkpoint) cannot move.
const EDGE_PAGES = 50;
const PAGING_TARGET = 1.5;

const ITEMS = "benchItem";
const LIST = "benchList";
const RUNTIME_MAIN = join(import.meta.dirname, "../../runtime/src/main.ts");
const HANDWRITTEN = join(import.meta.dirname, "handwritten-server.ts");

type Side = "generated" | "handwritten";

interface Scenario {
  name: string;
  target: number;
  /** The hand-written server serves one table. */
  table: string;
  request(side: Side): LoadRequest;
}

export function run(): Promise<boolean> {
  return withPostgresDatabase(compare);
}

async function compare(databaseUrl: string): Promise<boolean> {
  console.log(`PostgreSQL, ${CONNECTIONS} connections, pool ${POOL}, ${SECONDS} s per run after ${WARMUP_SECONDS} s warm-up, ${ROUNDS} rounds (order swapped)`);
  const start = (side: Side, table: string): Promise<ServerProcess> =>
    side === "generated"
      ? startServerProcess(RUNTIME_MAIN, { DATABASE_URL: databaseUrl, PORT: "0", HOST: "127.0.0.1", LOG_LEVEL: "warn", DB_POOL_SIZE: String(POOL), ...BENCH_ADMIN_ENV })
      : startServerProcess(HANDWRITTEN, { DATABASE_URL: databaseUrl, PORT: "0", DB_POOL_SIZE: String(POOL), TABLE: table });

  // The first start creates the admin; their token then serves every later process of both servers.
  const setup = await start("generated", ITEMS);
  let ids: string[];
  let admin: { token: string; userId: string };
  try {
    admin = await createUserToken(setup.url, BENCH_ADMIN);
    ids = await prepareBenchData(setup, databaseUrl, { items: { key: ITEMS, rows: ROWS }, list: { key: LIST, rows: LIST_ROWS } }, { adminToken: admin.token, owner: admin.userId });
  } finally {
    await setup.stop();
  }
  const headers = { authorization: `Bearer ${admin.token}` };

  const pick = <T>(values: readonly T[]): T => values[Math.floor(Math.random() * values.length)]!;
  let created = 0;
  const runTag = Date.now().toString(36);
  const listPath = (side: Side, status: string, limit: number, cursor?: string) => {
    const after = cursor ? `&cursor=${encodeURIComponent(cursor)}` : "";
    return side === "generated" ? `/api/records/${LIST}?filter=status:eq:${status}&sort=-amount&limit=${limit}${after}` : `/items?status=${status}&limit=${limit}${after}`;
  };
  const scenarios: Scenario[] = [
    {
      name: "get by id",
      target: 0.9,
      table: ITEMS,
      request: (side) => ({ headers, next: () => ({ path: side === "generated" ? `/api/records/${ITEMS}/${pick(ids)}` : `/items/${pick(ids)}` }) }),
    },
    {
      name: "list 50 (filter+sort)",
      target: 0.9,
      table: LIST,
      request: (side) => ({ headers, next: () => ({ path: listPath(side, pick(STATUSES), 50) }) }),
    },
    {
      name: "create",
      target: 0.85,
      table: ITEMS,
      request: (side) => ({
        method: "POST",
        headers,
        next: () => ({ path: side === "generated" ? `/api/records/${ITEMS}` : "/items", body: createBody(`B-${runTag}-${++created}`) }),
      }),
    },
  ];

  let ok = await checkSameAnswers(start, databaseUrl, headers, ids[0]!, listPath);

  const measured: Array<{ scenario: Scenario; generated: LoadResult; handwritten: LoadResult }> = [];
  const backends = databaseBackends(databaseUrl);
  for (const scenario of scenarios.filter((s) => ONLY.length === 0 || ONLY.includes(s.name))) {
    const results: Record<Side, LoadResult[]> = { generated: [], handwritten: [] };
    for (let round = 0; round < ROUNDS; round++) {
      const order: Side[] = round % 2 === 0 ? ["generated", "handwritten"] : ["handwritten", "generated"];
      for (const side of order) {
        const server = await start(side, scenario.table);
        try {
          results[side].push(await loadTest(server.url, scenario.request(side), { connections: CONNECTIONS, seconds: SECONDS, warmupSeconds: WARMUP_SECONDS, pid: server.pid, databasePids: backends.pids }));
        } finally {
          await server.stop();
        }
      }
    }
    measured.push({ scenario, generated: meanLoad(results.generated), handwritten: meanLoad(results.handwritten) });
  }
  await backends.close();

  console.log(`\nreq/s, latency p50 and p99, CPU per request of the server process and of the database's; ratio = generated / hand-written req/s (CPU: the same for CPU per request)`);
  console.log(`${"scenario".padEnd(22)} ${`generated ${LOAD_COLUMNS}`.padStart(48)}   ${`hand-written ${LOAD_COLUMNS}`.padStart(51)}   ratio`);
  for (const { scenario, generated, handwritten } of measured) {
    const ratio = generated.rps / handwritten.rps;
    const failures = generated.failures + handwritten.failures;
    const pass = ratio >= scenario.target && failures === 0;
    ok &&= pass;
    console.log(
      `${scenario.name.padEnd(22)} ${formatLoad(generated).padStart(48)}   ${formatLoad(handwritten).padStart(51)}   ${ratio.toFixed(2)}${cpuRatio(generated, handwritten)}` +
        `   target >= ${scenario.target} ${pass ? "ok" : "MISSED"}${failures ? ` (${failures} failed requests)` : ""}`,
    );
  }

  if (ONLY.length) return ok;
  // The generated API only: the hand-written server runs the same SQL, and a walk takes minutes.
  console.log(`\npaging ${LIST} (status:eq:open, sort -amount, limit ${PAGE}) to its end with one client, generated API:`);
  const server = await start("generated", LIST);
  try {
    // Warm the fresh process up on another status first, so the first pages are not timing the JIT.
    for (let i = 0; i < 100; i++) await (await fetch(server.url + listPath("generated", pick(["won", "lost", "hold"]), PAGE), { headers })).arrayBuffer();
    const flat = reportWalk(await walkPages(server.url, (cursor) => listPath("generated", "open", PAGE, cursor), headers));
    ok &&= flat;
  } catch (error) {
    console.log(`paging failed: ${(error as Error).message}`);
    ok = false;
  } finally {
    await server.stop();
  }
  return ok;
}

/**
 * Both servers must give the same record JSON and the same first page, refuse a request without a
 * token alike, and a create must answer the same record and write the same history row (but for ids,
 * times, the request id and the code the body was numbered with), or the comparison is void.
 */
async function checkSameAnswers(
  start: (side: Side, table: string) => Promise<ServerProcess>,
  databaseUrl: string,
  headers: Record<string, string>,
  id: string,
  listPath: (side: Side, status: string, limit: number) => string,
): Promise<boolean> {
  const sql = postgres(databaseUrl, { max: 1, onnotice: () => {} });
  const answers: Record<string, string[]> = {};
  try {
    for (const [side, table, path] of [
      ["generated", ITEMS, `/api/records/${ITEMS}/${id}`],
      ["handwritten", ITEMS, `/items/${id}`],
      ["generated", LIST, listPath("generated", "won", 5)],
      ["handwritten", LIST, listPath("handwritten", "won", 5)],
    ] as const) {
      const server = await start(side, table);
      try {
        const response = await fetch(server.url + path, { headers });
        const body = (await response.json()) as { items?: unknown };
        (answers[table] ??= []).push(`${response.status} ${JSON.stringify(table === LIST ? body.items : body)}`);
        if (table === LIST) continue;
        (answers.anonymous ??= []).push(String((await fetch(server.url + path)).status));
        const code = `SAME-${side}`;
        const created = await fetch(server.url + (side === "generated" ? `/api/records/${ITEMS}` : "/items"), {
          method: "POST",
          headers: { ...headers, "content-type": "application/json" },
          body: JSON.stringify(createBody(code)),
        });
        const { id: createdId, createdAt, updatedAt, ...record } = (await created.json()) as Record<string, unknown>;
        const rows = await sql`select entity_id, entity_key, action, actor_kind, actor_id, actor_user_id, changes from record_history where record_id = ${String(createdId)}::uuid`;
        (answers.create ??= []).push(`${created.status} ${JSON.stringify(record)} history ${JSON.stringify(rows)}`.replaceAll(code, "SAME-<side>"));
      } finally {
        await server.stop();
      }
    }
  } finally {
    await sql.end();
  }
  let same = true;
  for (const [what, [generated, handwritten]] of Object.entries(answers)) {
    if (generated === handwritten) continue;
    same = false;
    console.log(`different answers on ${what}:\n  generated    ${generated!.slice(0, 1500)}\n  hand-written ${handwritten!.slice(0, 1500)}`);
  }
  return same;
}

/**
 * Flat means every part of the walk, not only its end: a keyset condition the index cannot bound
 * makes each page scan past all earlier ones, and near the end the planner may switch to another
 * plan that hides this from a first-vs-last comparison. So each tenth of the walk is checked too.
 */
function reportWalk(walk: Walk): boolean {
  const edge = Math.min(EDGE_PAGES, Math.max(1, Math.floor(walk.pages / 2)));
  const first = median(walk.times.slice(0, edge));
  const last = median(walk.times.slice(-edge));
  const tenths = Array.from({ length: 10 }, (_, i) => walk.times.slice(Math.floor((i * walk.pages) / 10), Math.floor(((i + 1) * walk.pages) / 10))).filter((t) => t.length);
  const tenthMedians = tenths.map(median);
  const worst = Math.max(...tenthMedians);
  const pass = last / first <= PAGING_TARGET && worst / first <= PAGING_TARGET;
  console.log(`${walk.pages} pages, ${walk.items.toLocaleString("en")} records in ${(walk.totalMs / 1000).toFixed(1)} s`);
  console.log(`p50 per tenth of the walk (ms): ${tenthMedians.map((t) => t.toFixed(1)).join(" ")}`);
  console.log(
    `p50 first ${edge} pages ${first.toFixed(1)} ms, last ${edge} ${last.toFixed(1)} ms: last/first ${(last / first).toFixed(2)}; worst tenth/first ${(worst / first).toFixed(2)}` +
      `   target both <= ${PAGING_TARGET} ${pass ? "ok" : "MISSED"}`,
  );
  return pass;
}
