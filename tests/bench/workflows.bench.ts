// Workflows must keep up with the writes that start them. On PostgreSQL, one runtime process (default
// workflow settings), N record creates through the API (16 at a time) on an entity with no workflow
// (the baseline), then the same creates on an entity whose enabled workflow starts on every create
// (its first step updates the record):
// (a) create throughput with the workflow against without: target >= 0.8 (capturing the trigger in
//     the write's transaction costs little);
// (b) first-step latency (record created → first step executed) p50 and p99, printed beside the
//     baseline create latency, and events per minute (runs whose first step ran, per minute from the
//     first create) against the baseline's creates per minute: target >= 0.2 (the queue keeps up with
//     a fifth of the API's create rate on one process). Absolute numbers are printed too.
// Smaller runs while developing: WORKFLOW_BENCH_EVENTS=1000 node tests/bench/run.ts
import { join } from "node:path";
import postgres from "postgres";
import { BENCH_ADMIN, BENCH_ADMIN_ENV, callApi, createUserToken } from "./bench-auth.ts";
import { benchDefinition, createBody } from "./bench-entity.ts";
import { envInt } from "./env-int.ts";
import { withPostgresDatabase } from "./find-postgres.ts";
import { startServerProcess } from "./server-process.ts";

const EVENTS = envInt("WORKFLOW_BENCH_EVENTS", 10_000);
const CONNECTIONS = 16;
const THROUGHPUT_TARGET = 0.8;
const EVENTS_TARGET = 0.2;
const PLAIN = "plainEvent";
const FLOW = "flowEvent";
const RUNTIME_MAIN = join(import.meta.dirname, "../../runtime/src/main.ts");

export function run(): Promise<boolean> {
  return withPostgresDatabase(compare);
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;

/** `count` creates through the API, `CONNECTIONS` at a time: creates per second and each create's latency. */
async function creates(url: string, token: string, entity: string, count: number): Promise<{ perSecond: number; latencies: number[] }> {
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  const worker = async () => {
    while (next < count) {
      const n = next++;
      const t0 = performance.now();
      await callApi(url, "POST", `/api/records/${entity}`, { body: createBody(`${entity}-${n}`), auth: token, expect: 201 });
      latencies.push(performance.now() - t0);
    }
  };
  await Promise.all(Array.from({ length: CONNECTIONS }, worker));
  return { perSecond: count / ((performance.now() - started) / 1000), latencies: latencies.sort((a, b) => a - b) };
}

async function compare(databaseUrl: string): Promise<boolean> {
  console.log(`PostgreSQL, ${EVENTS.toLocaleString("en")} record-created events per side, ${CONNECTIONS} concurrent creates, one runtime process, default workflow settings`);
  const server = await startServerProcess(RUNTIME_MAIN, { DATABASE_URL: databaseUrl, PORT: "0", HOST: "127.0.0.1", LOG_LEVEL: "error", DB_POOL_SIZE: String(CONNECTIONS + 4), ...BENCH_ADMIN_ENV });
  const sql = postgres(databaseUrl, { max: 1, onnotice: () => {} });
  try {
    const admin = await createUserToken(server.url, BENCH_ADMIN);
    await callApi(server.url, "POST", "/api/meta/entities", { body: { definitions: [benchDefinition(PLAIN), benchDefinition(FLOW)] }, auth: admin.token, expect: 201 });
    const workflow = { id: "bench-first-step", name: "Mark new items", enabled: true, entity: FLOW, trigger: { type: "recordCreated" }, steps: [{ id: "mark", type: "updateRecord", values: { score: "99" } }] };
    await callApi(server.url, "POST", "/api/admin/workflows", { body: workflow, auth: admin.token, expect: 201 });

    const baseline = await creates(server.url, admin.token, PLAIN, EVENTS);
    const firstCreate = new Date();
    const flow = await creates(server.url, admin.token, FLOW, EVENTS);
    const deadline = Date.now() + 30 * 60_000;
    for (;;) {
      const [row] = await sql<{ n: number }[]>`select count(distinct run_id)::int as n from workflow_step_executions where step_id = 'mark'`;
      if (row!.n >= EVENTS) break;
      if (Date.now() > deadline) throw new Error(`only ${row!.n} of ${EVENTS} runs executed their first step within 30 minutes`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    const rows = await sql<{ ms: number; at: Date }[]>`
      select extract(epoch from (min(e.started_at) - d."createdAt")) * 1000 as ms, min(e.started_at) as at
        from workflow_runs r join workflow_step_executions e on e.run_id = r.id join data.${sql(FLOW)} d on d.id = r.record_id
       group by r.id, d."createdAt"`;
    const firstStep = rows.map((r) => Number(r.ms)).sort((a, b) => a - b);
    const lastStepAt = Math.max(...rows.map((r) => new Date(r.at).getTime()));
    const eventsPerMinute = rows.length / ((lastStepAt - firstCreate.getTime()) / 60_000);
    const baselinePerMinute = baseline.perSecond * 60;
    const throughput = flow.perSecond / baseline.perSecond;
    const keepUp = eventsPerMinute / baselinePerMinute;
    const ms = (v: number) => `${v.toFixed(1)} ms`;
    console.log(`creates/s            no workflow ${baseline.perSecond.toFixed(0)}   with workflow ${flow.perSecond.toFixed(0)}   ratio ${throughput.toFixed(2)} (target >= ${THROUGHPUT_TARGET}) ${throughput >= THROUGHPUT_TARGET ? "ok" : "MISSED"}`);
    console.log(`create latency       no workflow p50 ${ms(percentile(baseline.latencies, 50))} p99 ${ms(percentile(baseline.latencies, 99))}   with workflow p50 ${ms(percentile(flow.latencies, 50))} p99 ${ms(percentile(flow.latencies, 99))}`);
    console.log(
      `first-step latency   p50 ${ms(percentile(firstStep, 50))} p99 ${ms(percentile(firstStep, 99))}   (${(percentile(firstStep, 50) / percentile(baseline.latencies, 50)).toFixed(1)}× / ${(percentile(firstStep, 99) / percentile(baseline.latencies, 99)).toFixed(1)}× the baseline create's p50 / p99)`,
    );
    console.log(`events/min           ${eventsPerMinute.toFixed(0)} against ${baselinePerMinute.toFixed(0)} creates/min without workflows   ratio ${keepUp.toFixed(2)} (target >= ${EVENTS_TARGET}) ${keepUp >= EVENTS_TARGET ? "ok" : "MISSED"}`);
    return throughput >= THROUGHPUT_TARGET && keepUp >= EVENTS_TARGET;
  } finally {
    await sql.end();
    await server.stop();
  }
}
