import { AsyncLocalStorage } from "node:async_hooks";
import { PgBoss } from "pg-boss";
import type { Database, Queryable } from "../db/database.ts";
import type { Logger } from "../logger.ts";

/** The queue every workflow job goes through: one job = "advance this run". */
export const RUN_QUEUE = "workflow-run";

export interface JobQueueOptions {
  /** Seconds between polls for new jobs (pg-boss's minimum is 0.5). */
  pollingIntervalSeconds: number;
  /** Jobs one process works on at once. */
  concurrency: number;
  /** A worker that stops sending heartbeats (a crashed process) loses its job after this long; another process takes it. */
  heartbeatSeconds: number;
}

/** What the engine asks of the queue; pg-boss underneath, on PostgreSQL and on PGlite alike. */
export interface JobQueue {
  /** Queue "advance run" for now or later; with `tx`, the job commits or rolls back with that transaction. */
  send(runId: string, options?: { startAfter?: Date; tx?: Queryable }): Promise<void>;
  /** Start working: `handler` runs for each job; throwing makes pg-boss retry the job. */
  work(handler: (runId: string) => Promise<void>): Promise<void>;
  start(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * pg-boss's database adapter over ours: statements with parameters through `query` (of the database,
 * or of an open transaction), parameterless scripts (pg-boss sends BEGIN … COMMIT as one text)
 * through `script`, so on PGlite the single connection never interleaves them.
 */
function adapter(q: Queryable | Database, within?: AsyncLocalStorage<Queryable>) {
  return {
    async executeSql(text: string, given?: unknown[]) {
      // pg-boss sends some times as Date objects, which postgres.js cannot bind to a text-typed parameter.
      const values = given?.map((value) => (value instanceof Date ? value.toISOString() : value));
      // Inside `send(…, { tx })` pg-boss may look its queue up through the main handle: on PGlite's one
      // connection, held by that transaction, that would wait forever, so it reads through the transaction.
      const tx = within?.getStore();
      if (tx) return { rows: await tx.query(text, values ?? []) };
      // The rows of every statement, in order (pg-boss reads a lock row from the middle of a script).
      if ((!values || values.length === 0) && "script" in q && q.script) return { rows: (await q.script(text)).flatMap((result) => result.rows) };
      return { rows: await q.query(text, values ?? []) };
    },
  };
}

/**
 * The workflow job queue on pg-boss (schema `pgboss`), sharing the runtime's database handle: several
 * runtime processes on one PostgreSQL share the jobs (SKIP LOCKED), and PGlite runs the same library
 * in process. A process that dies mid-job stops its heartbeat; pg-boss hands the job to another.
 */
export function createJobQueue(deps: { db: Database; logger: Logger; options: JobQueueOptions }): JobQueue {
  const { db, logger, options } = deps;
  const within = new AsyncLocalStorage<Queryable>();
  const boss = new PgBoss({ db: adapter(db, within), schema: "pgboss", schedule: false });
  boss.on("error", (error: unknown) => logger.error({ err: error }, "the workflow job queue failed"));
  let started = false;
  return {
    async send(runId, sendOptions = {}) {
      const options = { ...(sendOptions.startAfter ? { startAfter: sendOptions.startAfter } : {}), ...(sendOptions.tx ? { db: adapter(sendOptions.tx) } : {}) };
      if (sendOptions.tx) await within.run(sendOptions.tx, () => boss.send(RUN_QUEUE, { runId }, options));
      else await boss.send(RUN_QUEUE, { runId }, options);
    },
    async work(handler) {
      await boss.work<{ runId: string }>(RUN_QUEUE, { pollingIntervalSeconds: options.pollingIntervalSeconds, localConcurrency: options.concurrency }, async (jobs) => {
        for (const job of jobs) await handler(job.data.runId);
      });
    },
    async start() {
      await boss.start();
      started = true;
      await boss.createQueue(RUN_QUEUE, { retryLimit: 10, retryDelay: 1, retryBackoff: true, heartbeatSeconds: options.heartbeatSeconds });
    },
    async stop() {
      if (!started) return;
      started = false;
      await boss.stop({ graceful: true, timeout: 10_000 });
    },
  };
}
