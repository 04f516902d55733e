// A scoped user's list on 100,000 records must stay fast. A manager whose role reads its department
// subtree (a sixth of the owners) lists the same pages as an administrator, in the same runtime
// process, under the same load, in rounds with the order swapped. Each page is full (50) for both,
// so they are comparable: the manager's statement carries `"ownerId" = ANY(<subtree's users>)`.
// Target: manager/admin throughput >= 0.85 for every list. Smaller runs while developing:
// SCOPE_BENCH_ROWS=20000 SCOPE_BENCH_SECONDS=2 node tests/bench/run.ts
import { join } from "node:path";
import postgres from "postgres";
import { BENCH_ADMIN, BENCH_ADMIN_ENV, callApi, createUserToken } from "./bench-auth.ts";
import { benchDefinition, loadRowsSql, STATUSES } from "./bench-entity.ts";
import { createOrganisation, type BenchOrganisation } from "./bench-organisation.ts";
import { envInt } from "./env-int.ts";
import { withPostgresDatabase } from "./find-postgres.ts";
import { databaseBackends } from "./database-backends.ts";
import { cpuRatio, formatLoad, LOAD_COLUMNS, loadTest, meanLoad, type LoadResult } from "./load-test.ts";
import { startServerProcess } from "./server-process.ts";

const ROWS = envInt("SCOPE_BENCH_ROWS", 100_000);
const SECONDS = envInt("SCOPE_BENCH_SECONDS", 3);
// The process stays up between runs, so a short warm-up suffices; many short rounds in alternating
// order average out a busy machine better than a few long ones.
const WARMUP_SECONDS = 1;
const CONNECTIONS = envInt("API_BENCH_CONNECTIONS", 16);
const ROUNDS = 4;
const TARGET = 0.85;
const PAGE = 50;
/** 6 regions of 3 areas, 11 owners per area: 198 owners in 25 departments; the first region holds a sixth. */
const SHAPE = { regions: 6, areas: 3, usersPerArea: 11 };

const KEY = "scopeItem";
const ENTITY_ID = benchDefinition(KEY).id;
const RUNTIME_MAIN = join(import.meta.dirname, "../../runtime/src/main.ts");

type Caller = "admin" | "manager";

const LISTS: Array<{ name: string; path: () => string }> = [
  { name: "status filter, sort -amount", path: () => `/api/records/${KEY}?filter=status:eq:${STATUSES[Math.floor(Math.random() * STATUSES.length)]}&sort=-amount&limit=${PAGE}` },
  { name: "first page (id order)", path: () => `/api/records/${KEY}?limit=${PAGE}` },
  { name: "first page, sort -createdAt", path: () => `/api/records/${KEY}?sort=-createdAt&limit=${PAGE}` },
];

export function run(): Promise<boolean> {
  return withPostgresDatabase(compare);
}

async function compare(databaseUrl: string): Promise<boolean> {
  console.log(`PostgreSQL, ${ROWS.toLocaleString("en")} records, ${CONNECTIONS} connections, ${SECONDS} s per run after ${WARMUP_SECONDS} s warm-up, ${ROUNDS} rounds (order swapped), one runtime process`);
  const server = await startServerProcess(RUNTIME_MAIN, { DATABASE_URL: databaseUrl, PORT: "0", HOST: "127.0.0.1", LOG_LEVEL: "warn", DB_POOL_SIZE: String(CONNECTIONS + 4), ...BENCH_ADMIN_ENV });
  try {
    const admin = await createUserToken(server.url, BENCH_ADMIN);
    await callApi(server.url, "POST", "/api/meta/entities", { body: { definitions: [benchDefinition(KEY)] }, auth: admin.token, expect: 201 });
    const org = await createOrganisation(server.url, databaseUrl, admin.token, { entityId: ENTITY_ID, ...SHAPE });
    await loadRecords(databaseUrl, org.owners);
    console.log(`${org.owners.length} owners in ${1 + SHAPE.regions * (1 + SHAPE.areas)} departments; the manager's subtree holds ${org.subtreeOwners.size} of them (${((100 * org.subtreeOwners.size) / org.owners.length).toFixed(0)} %)`);
    const tokens: Record<Caller, string> = { admin: admin.token, manager: org.manager.token };
    let ok = await checkPages(server.url, tokens, org);

    console.log(`\nreq/s, latency p50 and p99, CPU per request of the server process and of the database's; ratio = manager / admin req/s (CPU: the same for CPU per request)`);
    console.log(`${"list of 50".padEnd(30)} ${`admin ${LOAD_COLUMNS}`.padStart(48)}   ${`manager ${LOAD_COLUMNS}`.padStart(48)}   ratio`);
    const backends = databaseBackends(databaseUrl);
    for (const list of LISTS) {
      const results: Record<Caller, LoadResult[]> = { admin: [], manager: [] };
      for (let round = 0; round < ROUNDS; round++) {
        const order: Caller[] = round % 2 === 0 ? ["admin", "manager"] : ["manager", "admin"];
        for (const caller of order) {
          const request = { headers: { authorization: `Bearer ${tokens[caller]}` }, next: () => ({ path: list.path() }) };
          results[caller].push(await loadTest(server.url, request, { connections: CONNECTIONS, seconds: SECONDS, warmupSeconds: WARMUP_SECONDS, pid: server.pid, databasePids: backends.pids }));
        }
      }
      const [asAdmin, asManager] = [meanLoad(results.admin), meanLoad(results.manager)];
      const ratio = asManager.rps / asAdmin.rps;
      const failures = asAdmin.failures + asManager.failures;
      const pass = ratio >= TARGET && failures === 0;
      ok &&= pass;
      console.log(
        `${list.name.padEnd(30)} ${formatLoad(asAdmin).padStart(48)}   ${formatLoad(asManager).padStart(48)}   ${ratio.toFixed(2)}${cpuRatio(asManager, asAdmin)}` +
          `   target >= ${TARGET} ${pass ? "ok" : "MISSED"}${failures ? ` (${failures} failed requests)` : ""}`,
      );
    }
    await backends.close();
    return ok;
  } finally {
    await server.stop();
  }
}

/** The records, owned in turn by every owner (each with every status), then vacuum and analyze. */
async function loadRecords(databaseUrl: string, owners: readonly string[]): Promise<void> {
  const sql = postgres(databaseUrl, { max: 1, onnotice: () => {} });
  try {
    const started = performance.now();
    await sql.unsafe(loadRowsSql(KEY, 1, ROWS, owners));
    await sql.unsafe(`vacuum (analyze) data."${KEY}"`);
    console.log(`loaded ${ROWS.toLocaleString("en")} rows into ${KEY} in ${((performance.now() - started) / 1000).toFixed(1)} s (vacuum analyze included)`);
  } finally {
    await sql.end();
  }
}

/**
 * Before timing anything: every list gives both callers a full page, the manager's holds only
 * records of the subtree, and the admin's first pages reach beyond it (else the scope did nothing).
 */
async function checkPages(url: string, tokens: Record<Caller, string>, org: BenchOrganisation): Promise<boolean> {
  let ok = true;
  let adminOutside = 0;
  for (const list of LISTS) {
    for (const caller of ["admin", "manager"] as const) {
      const { body } = await callApi<{ items: Array<{ ownerId: string }> }>(url, "GET", list.path(), { auth: tokens[caller] });
      const outside = body.items.filter((r) => !org.subtreeOwners.has(r.ownerId)).length;
      if (caller === "admin") adminOutside += outside;
      if (body.items.length === PAGE && (caller === "admin" || outside === 0)) continue;
      ok = false;
      console.log(`${list.name} as ${caller}: ${body.items.length} records, ${outside} of them outside the manager's subtree`);
    }
  }
  if (adminOutside === 0) {
    ok = false;
    console.log("the admin's pages hold only records of the manager's subtree: the data does not test the scope");
  }
  return ok;
}
