// Plugins must not cost the API what they do not use, and must not steal what it needs. On PostgreSQL,
// one runtime process (its plugin host beside it, as in production), the same load in rounds with the
// order swapped:
// (a) create throughput on an entity with one before-hook (it answers a change, the common case)
//     against an entity without hooks: target hooked/plain >= 0.9;
// (b) p99 of get by id at a fixed request rate while 10 plugins spin at their CPU limit (record actions
//     that loop until their 100 ms CPU budget stops them, called back to back), against the same load
//     with the 10 plugins installed but idle: target p99 with/without <= 1.2.
// Smaller runs while developing:
// PLUGIN_BENCH_ROWS=10000 PLUGIN_BENCH_SECONDS=3 PLUGIN_BENCH_RATE=200 node tests/bench/run.ts
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { BENCH_ADMIN, BENCH_ADMIN_ENV, callApi, createUserToken } from "./bench-auth.ts";
import { createBody } from "./bench-entity.ts";
import { databaseBackends } from "./database-backends.ts";
import { envInt } from "./env-int.ts";
import { withPostgresDatabase } from "./find-postgres.ts";
import { cpuRatio, formatLoad, LOAD_COLUMNS, loadTest, meanLoad, type LoadResult } from "./load-test.ts";
import { prepareBenchData } from "./prepare-bench-data.ts";
import { processCpuMs } from "./process-cpu.ts";
import { startServerProcess, type ServerProcess } from "./server-process.ts";

const ROWS = envInt("PLUGIN_BENCH_ROWS", 100_000);
const SECONDS = envInt("PLUGIN_BENCH_SECONDS", 10);
const WARMUP_SECONDS = Math.min(2, SECONDS);
const CONNECTIONS = envInt("API_BENCH_CONNECTIONS", 16);
/** The fixed rate of (b)'s get by id: well below what the server can answer, so p99 measures it, not a queue. */
const RATE = envInt("PLUGIN_BENCH_RATE", 500);
const RATE_CONNECTIONS = 8;
const ROUNDS = 2;
const SPINNERS = 10;
/** The breaker disables a plugin after 5 failures in a row (then it would no longer spin): every 4th call rests. */
const SPINS_PER_REST = 3;
const CREATE_TARGET = 0.9;
const P99_TARGET = 1.2;

const PLAIN = "plainItem";
const HOOKED = "hookedItem";
const RUNTIME_MAIN = join(import.meta.dirname, "../../runtime/src/main.ts");

const HOOK_CODE = `globalThis.plugin = { hooks: { beforeCreate: async (input) => ({ changes: { score: Math.min(100, (input.record.quantity ?? 0) * 10) } }) } };`;
const SPIN_CODE = `globalThis.plugin = { actions: { spin: async () => { for (;;) {} }, rest: async () => ({ message: "rested" }) } };`;

export function run(): Promise<boolean> {
  return withPostgresDatabase(compare);
}

async function compare(databaseUrl: string): Promise<boolean> {
  console.log(`PostgreSQL, ${ROWS.toLocaleString("en")} records, ${SECONDS} s per run after ${WARMUP_SECONDS} s warm-up, ${ROUNDS} rounds (order swapped), one runtime process`);
  const server = await startServerProcess(RUNTIME_MAIN, { DATABASE_URL: databaseUrl, PORT: "0", HOST: "127.0.0.1", LOG_LEVEL: "error", DB_POOL_SIZE: String(CONNECTIONS + 4), ...BENCH_ADMIN_ENV });
  try {
    const admin = await createUserToken(server.url, BENCH_ADMIN);
    const ids = await prepareBenchData(server, databaseUrl, { items: { key: PLAIN, rows: ROWS }, list: { key: HOOKED, rows: 0 } }, { adminToken: admin.token, owner: admin.userId });
    const install = (manifest: Record<string, unknown>, code: string) =>
      callApi(server.url, "POST", "/api/admin/plugins", { body: { manifest: { version: "1.0.0", engine: "^0.1.0", capabilities: {}, ...manifest }, code }, auth: admin.token, expect: 201 });
    await install({ id: "bench-hook", hooks: { beforeCreate: { entities: [HOOKED] } } }, HOOK_CODE);
    for (let i = 1; i <= SPINNERS; i++) {
      const actions = ["spin", "rest"].map((name) => ({ name, label: { en: name }, entity: PLAIN, selection: "one" }));
      await install({ id: `bench-spin-${i}`, actions }, SPIN_CODE);
    }
    const headers = { authorization: `Bearer ${admin.token}` };
    const backends = databaseBackends(databaseUrl);
    try {
      let ok = await checkHook(server.url, admin.token);
      ok = (await createThroughput(server, headers, backends.pids)) && ok;
      ok = (await latencyWhileSpinning(server, headers, ids)) && ok;
      return ok;
    } finally {
      await backends.close();
    }
  } finally {
    await server.stop();
  }
}

/** Before timing anything: the hook must run (the hooked create answers its score), the plain one must not. */
async function checkHook(url: string, token: string): Promise<boolean> {
  const hooked = await callApi<{ score: unknown }>(url, "POST", `/api/records/${HOOKED}`, { body: { ...createBody("CHECK-H"), quantity: 4 }, auth: token, expect: 201 });
  const plain = await callApi<{ score: unknown }>(url, "POST", `/api/records/${PLAIN}`, { body: { ...createBody("CHECK-P"), quantity: 4 }, auth: token, expect: 201 });
  if (Number(hooked.body.score) === 40 && Number(plain.body.score) === 42.5) return true;
  console.log(`the before-hook did not run as expected: hooked score ${String(hooked.body.score)} (want 40), plain ${String(plain.body.score)} (want 42.5)`);
  return false;
}

async function createThroughput(server: ServerProcess, headers: Record<string, string>, databasePids: () => Promise<number[]>): Promise<boolean> {
  let created = 0;
  const runTag = Date.now().toString(36);
  const results: Record<string, LoadResult[]> = { [PLAIN]: [], [HOOKED]: [] };
  for (let round = 0; round < ROUNDS; round++) {
    for (const key of round % 2 === 0 ? [PLAIN, HOOKED] : [HOOKED, PLAIN]) {
      const request = { method: "POST" as const, headers, next: () => ({ path: `/api/records/${key}`, body: createBody(`B-${runTag}-${++created}`) }) };
      results[key]!.push(await loadTest(server.url, request, { connections: CONNECTIONS, seconds: SECONDS, warmupSeconds: WARMUP_SECONDS, pid: runtimePids(server.pid), databasePids }));
    }
  }
  const [plain, hooked] = [meanLoad(results[PLAIN]!), meanLoad(results[HOOKED]!)];
  const ratio = hooked.rps / plain.rps;
  const failures = plain.failures + hooked.failures;
  const pass = ratio >= CREATE_TARGET && failures === 0;
  console.log(`\n(a) create, ${CONNECTIONS} connections: req/s, latency p50 and p99, CPU per request of the runtime (API process and plugin host) and of the database's`);
  console.log(`${"".padEnd(22)} ${`no hooks ${LOAD_COLUMNS}`.padStart(48)}   ${`one before-hook ${LOAD_COLUMNS}`.padStart(48)}   ratio`);
  console.log(
    `${"create".padEnd(22)} ${formatLoad(plain).padStart(48)}   ${formatLoad(hooked).padStart(48)}   ${ratio.toFixed(2)}${cpuRatio(hooked, plain)}` +
      `   target >= ${CREATE_TARGET} ${pass ? "ok" : "MISSED"}${failures ? ` (${failures} failed requests)` : ""}`,
  );
  return pass;
}

async function latencyWhileSpinning(server: ServerProcess, headers: Record<string, string>, ids: string[]): Promise<boolean> {
  const pick = () => ids[Math.floor(Math.random() * ids.length)]!;
  const request = { headers, next: () => ({ path: `/api/records/${PLAIN}/${pick()}` }) };
  const results: Record<"idle" | "spinning", LoadResult[]> = { idle: [], spinning: [] };
  const spun: Spun = { timeouts: 0, rests: 0, other: new Map(), examples: [] };
  let hostCpuMs = 0;
  let spinSeconds = 0;
  for (let round = 0; round < ROUNDS; round++) {
    for (const side of round % 2 === 0 ? (["idle", "spinning"] as const) : (["spinning", "idle"] as const)) {
      const spinners = side === "spinning" ? startSpinners(server.url, headers, ids[0]!, spun) : undefined;
      const hostPid = pluginHostPid(server.pid);
      const cpuBefore = hostPid === undefined ? undefined : processCpuMs(hostPid);
      const started = performance.now();
      results[side].push(await loadTest(server.url, request, { connections: RATE_CONNECTIONS, seconds: SECONDS, warmupSeconds: WARMUP_SECONDS, pid: server.pid, rate: RATE }));
      if (spinners) {
        await spinners.stop();
        const cpuAfter = hostPid === undefined ? undefined : processCpuMs(hostPid);
        if (cpuBefore !== undefined && cpuAfter !== undefined) hostCpuMs += cpuAfter - cpuBefore;
        spinSeconds += (performance.now() - started) / 1000;
      }
    }
  }
  const [idle, spinning] = [meanLoad(results.idle), meanLoad(results.spinning)];
  const ratio = spinning.p99 / idle.p99;
  const failures = idle.failures + spinning.failures;
  // Void unless the plugins really spun: almost every spin must have ended at the CPU limit.
  const spins = spun.timeouts + [...spun.other.values()].reduce((a, b) => a + b, 0);
  const spunRight = spun.timeouts > 0 && spun.timeouts >= 0.95 * spins;
  const pass = ratio <= P99_TARGET && failures === 0 && spunRight;
  console.log(`\n(b) get by id at ${RATE} req/s (${RATE_CONNECTIONS} connections): req/s, latency p50 and p99, CPU per request of the server process`);
  console.log(`${"".padEnd(22)} ${`plugins idle ${LOAD_COLUMNS}`.padStart(48)}   ${`10 plugins spinning ${LOAD_COLUMNS}`.padStart(51)}   p99 ratio`);
  console.log(
    `${"get by id".padEnd(22)} ${formatLoad(idle).padStart(48)}   ${formatLoad(spinning).padStart(51)}   ${ratio.toFixed(2)}` +
      `   target <= ${P99_TARGET} ${pass ? "ok" : "MISSED"}${failures ? ` (${failures} failed requests)` : ""}`,
  );
  const other = [...spun.other].map(([what, n]) => `${n} ${what}`).join(", ");
  console.log(
    `spinning: ${spun.timeouts} spins stopped at the CPU limit (${(spun.timeouts / Math.max(spinSeconds, 1)).toFixed(1)}/s), ${spun.rests} rests${other ? `, unexpected: ${other}` : ""}; ` +
      `plugin host CPU ${(hostCpuMs / 1000 / Math.max(spinSeconds, 1)).toFixed(2)} cores while spinning`,
  );
  for (const example of spun.examples) console.log(`  unexpected answer, e.g. ${example}`);
  if (!spunRight) console.log("the plugins did not spin at their CPU limit: the comparison is void");
  return pass;
}

interface Spun {
  timeouts: number;
  rests: number;
  /** Unexpected answers by kind, and the first of each kind as an example. */
  other: Map<string, number>;
  examples: string[];
}

/**
 * Each of the spinning plugins called back to back on one connection: `spin` (503, timeout at the CPU
 * limit), and every few calls `rest`, which succeeds and so keeps the circuit breaker closed.
 */
function startSpinners(url: string, headers: Record<string, string>, id: string, spun: Spun) {
  let stopping = false;
  const loop = async (plugin: string) => {
    for (let call = 1; !stopping; call++) {
      // A rest first: the previous round may have ended on spins.
      const action = call % (SPINS_PER_REST + 1) === 1 ? "rest" : "spin";
      const response = await fetch(`${url}/api/records/${PLAIN}/${id}/actions/${plugin}/${action}`, { method: "POST", headers });
      const body = (await response.json().catch(() => ({}))) as { outcome?: string; limit?: string; code?: string; detail?: string };
      if (action === "rest" && response.status === 200) spun.rests++;
      else if (action === "spin" && response.status === 503 && body.outcome === "timeout" && body.limit === "cpu") spun.timeouts++;
      else {
        const what = `${action} ${response.status} ${body.code ?? ""} ${body.outcome ?? ""}`.trim();
        if (!spun.other.has(what)) spun.examples.push(`${what}: ${body.detail ?? ""}`.slice(0, 300));
        spun.other.set(what, (spun.other.get(what) ?? 0) + 1);
      }
    }
  };
  const loops = Array.from({ length: SPINNERS }, (_, i) => loop(`bench-spin-${i + 1}`));
  return {
    async stop() {
      stopping = true;
      await Promise.all(loops);
    },
  };
}

/** The API process and its plugin host: a hook's CPU is spent in both. */
function runtimePids(serverPid: number): number[] {
  const host = pluginHostPid(serverPid);
  return host === undefined ? [serverPid] : [serverPid, host];
}

/** The runtime's plugin-host child process (Linux /proc), to charge the spinning to it. */
function pluginHostPid(serverPid: number): number | undefined {
  try {
    const children = readFileSync(`/proc/${serverPid}/task/${serverPid}/children`, "utf8").trim().split(/\s+/).filter(Boolean).map(Number);
    return children[0];
  } catch {
    return undefined;
  }
}
