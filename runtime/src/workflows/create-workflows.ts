import type { StepType } from "@crm/core";
import type { AccessService } from "../access/index.ts";
import type { WorkflowConfig } from "../config.ts";
import type { Database, Queryable } from "../db/database.ts";
import type { Logger } from "../logger.ts";
import type { EntityRegistry } from "../services/entity-registry.ts";
import type { RecordEvents } from "../services/record-writes.ts";
import { defaultExecutors } from "./executors/default-executors.ts";
import { createJobQueue, type JobQueue } from "./job-queue.ts";
import { createRunEngine, type Clock } from "./run-engine.ts";
import { createRunLog } from "./run-log.ts";
import type { StepExecutor } from "./step-context.ts";
import { createInboundWebhooks } from "./inbound-webhooks.ts";
import { createManualRuns } from "./manual-runs.ts";
import { pruneWorkflowRuns } from "./prune-workflow-runs.ts";
import { createTriggerDispatcher } from "./trigger-dispatcher.ts";
import { createTriggerScheduler } from "./trigger-scheduler.ts";
import { createWorkflowEvents, fanOutEvents } from "./workflow-events.ts";
import { createWorkflowStore } from "./workflow-store.ts";

/** Other processes hear workflow changes on this channel (PostgreSQL). */
export const WORKFLOW_CHANNEL = "crm_workflows";

export interface WorkflowsOptions {
  db: Database;
  logger: Logger;
  registry: EntityRegistry;
  access: AccessService;
  config: WorkflowConfig;
  /** Other sinks of record events (webhooks): writes made by steps reach them too. */
  otherEvents?: RecordEvents | undefined;
  /** Step executors by type, added to (or replacing) the shipped ones. */
  executors?: Partial<Record<StepType, StepExecutor>>;
  /** The engine's time; default the system clock. */
  clock?: Clock;
  /** Another job queue driver (tests, an offline harness); default pg-boss on the runtime's database. */
  jobs?: JobQueue;
  /** Called in the transaction that cancels a run (approvals withdraw its pending requests). */
  onRunCancelled?: (tx: Queryable, runId: string) => Promise<unknown>;
}

/** Retention runs an hour apart (the first a minute after start). */
const PRUNE_EVERY_MS = 3_600_000;

/**
 * The workflow runtime: definitions (store), trigger capture in record writes (`events`), the
 * dispatcher that turns captured changes into runs, the engine that executes them through the job
 * queue, and run history. `start()` begins the background work; `close()` ends it.
 */
export async function createWorkflows(options: WorkflowsOptions) {
  const { db, logger, config } = options;
  const clock = options.clock ?? { now: () => new Date() };
  let entities: ReadonlySet<string> = new Set();
  const jobs = options.jobs ?? createJobQueue({ db, logger, options: { pollingIntervalSeconds: config.jobPollMs / 1000, concurrency: config.concurrency, heartbeatSeconds: config.heartbeatSeconds } });

  async function reload(): Promise<void> {
    entities = await store.recordTriggeredEntities();
  }
  const store = createWorkflowStore({
    db,
    registry: options.registry,
    onChange: () => {
      reload().catch((error: unknown) => logger.error({ err: error }, "reloading workflows failed"));
      db.query(`select pg_notify($1, '')`, [WORKFLOW_CHANNEL]).catch(() => undefined);
    },
  });
  const dispatcher = createTriggerDispatcher({ db, logger, registry: options.registry, access: options.access, store, jobs, clock, pollMs: config.pollMs, shouldPoll: () => entities.size > 0 });
  const own = createWorkflowEvents({ entities: () => entities, wake: () => dispatcher.wake() });
  /** Every record event sink of the runtime: pass as `events` to record writes. */
  const events = fanOutEvents([options.otherEvents, own]);
  const engine = createRunEngine({
    db,
    logger,
    registry: options.registry,
    access: options.access,
    store,
    jobs,
    clock,
    executors: { ...defaultExecutors(), ...options.executors },
    events,
    retry: { maxAttempts: config.maxAttempts, backoffMs: config.backoffMs },
  });
  const runs = createRunLog({ db, jobs, transaction: (fn) => db.transaction(fn), ...(options.onRunCancelled ? { onCancel: options.onRunCancelled } : {}) });
  const scheduler = createTriggerScheduler({ db, logger, registry: options.registry, access: options.access, store, dispatcher, clock });
  const manual = createManualRuns({ db, registry: options.registry, store, dispatcher });
  const webhooks = createInboundWebhooks({ db, registry: options.registry, access: options.access, store, dispatcher });
  /** Finished runs older than the retention go, with their step executions (by the database's time, which stamped them). */
  const prune = (now: Date = new Date(), batch?: number) => pruneWorkflowRuns(db, config.runRetentionDays, now, batch);
  let pruning: NodeJS.Timeout | undefined;
  await reload();
  await db.listen(WORKFLOW_CHANNEL, () => {
    reload().catch((error: unknown) => logger.error({ err: error }, "reloading workflows failed"));
  });
  let started = false;
  return {
    store,
    events,
    dispatcher,
    engine,
    runs,
    jobs,
    /** Schedule and date-relative triggers (`tick(at)` claims and scans what is due). */
    scheduler,
    /** Manual triggers: the buttons of an entity, and starting runs on records. */
    manual,
    /** Inbound webhook triggers: secrets, and verified deliveries. */
    webhooks,
    prune,
    /** Reload which entities have enabled workflows (done on every change; exposed for tests). */
    reload,
    async start(): Promise<void> {
      await jobs.start();
      await jobs.work((runId) => engine.advance(runId));
      dispatcher.start();
      scheduler.start();
      const pruneLater = (ms: number) => {
        pruning = setTimeout(() => {
          prune()
            .catch((error: unknown) => logger.error({ err: error }, "pruning old workflow runs failed"))
            .finally(() => started && pruneLater(PRUNE_EVERY_MS));
        }, ms);
        pruning.unref();
      };
      started = true;
      pruneLater(60_000);
    },
    async close(): Promise<void> {
      if (!started) return;
      started = false;
      clearTimeout(pruning);
      await scheduler.stop();
      await dispatcher.stop();
      await jobs.stop();
    },
  };
}

export type Workflows = Awaited<ReturnType<typeof createWorkflows>>;
