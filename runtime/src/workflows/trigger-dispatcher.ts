import { randomUUID } from "node:crypto";
import { dueMoment, matchTrigger, startCursor, type RecordChangeEvent } from "@crm/core";
import type { AccessService } from "../access/index.ts";
import type { Database, Queryable } from "../db/database.ts";
import type { Logger } from "../logger.ts";
import { createRecordReads } from "../services/record-reads.ts";
import type { Caller } from "../services/caller.ts";
import { createDrainLoop } from "../services/create-drain-loop.ts";
import type { EntityRegistry } from "../services/entity-registry.ts";
import type { JobQueue } from "./job-queue.ts";
import { loadRelated, recordReader } from "./load-related.ts";
import type { Clock } from "./run-engine.ts";
import { parsed } from "./run-row.ts";
import type { RecordJson, RunTrigger } from "./step-context.ts";
import { transactionDatabase } from "./transaction-database.ts";
import { workflowCaller } from "./workflow-caller.ts";
import type { WorkflowStore } from "./workflow-store.ts";

/** The trigger key of a date-relative run: one per record and moment. */
export const dateRelativeRunKey = (recordId: string, moment: number): string => `date:${recordId}:${new Date(moment).toISOString()}`;

/** Runs started by runs started by … a person's write: at this depth the next one is refused (the loop guard). */
export const MAX_TRIGGER_DEPTH = 5;
const BATCH = 50;

interface OutboxRow {
  id: string | number;
  entity: string;
  event: "created" | "updated" | "deleted";
  record_id: string;
  record: unknown;
  previous: unknown;
  caused_by_run: string | null;
}

/**
 * Turns captured record changes into runs: in one transaction per batch it claims outbox rows
 * (SKIP LOCKED, so processes share them), matches them against the enabled workflows' triggers,
 * inserts a run per match (unique per workflow and event, so a batch dispatched twice starts
 * nothing twice), queues its job in the same transaction and deletes the rows. A change made by a
 * run starts runs one level deeper; past MAX_TRIGGER_DEPTH the run is recorded as failed with
 * LOOP_DEPTH_EXCEEDED instead of started.
 */
export function createTriggerDispatcher(deps: { db: Database; logger: Logger; registry: EntityRegistry; access: AccessService; store: WorkflowStore; jobs: JobQueue; clock: Clock; pollMs: number; shouldPoll: () => boolean }) {
  const { db, logger } = deps;
  /** Enabled workflows with their compiled version and identity, loaded before the batch's transaction (see the run engine on PGlite). */
  async function enabledWorkflows() {
    const rows = await db.query<{ id: string; entity: string; version: number }>(`select id, entity, current_version as version from workflows where enabled`);
    return Promise.all(
      rows.map(async (row) => {
        const { actAs } = await deps.store.version(row.id, row.version);
        return { ...row, caller: actAs ? await workflowCaller({ db, access: deps.access }, "trigger", actAs) : undefined };
      }),
    );
  }

  async function matches(tx: Queryable, workflow: { id: string; version: number; caller: Caller | undefined }, event: RunTrigger): Promise<boolean> {
    const { id: workflowId, version, caller } = workflow;
    const { compiled, actAs } = await deps.store.version(workflowId, version, tx);
    const condition = compiled.expressions.get("/trigger/condition");
    let lookup: ((entity: string, id: string) => Record<string, unknown> | null) | undefined;
    if (condition?.fields.some((f) => f.steps.length > 1) && caller) {
      const reads = createRecordReads({ db: transactionDatabase(db, tx), registry: deps.registry });
      lookup = await loadRelated([condition], (event.type === "deleted" ? event.previous : event.record) ?? null, recordReader(reads, caller));
    }
    const answer = matchTrigger(
      compiled,
      { type: event.type as RecordChangeEvent["type"], entity: event.entity, record: event.record ?? null, previous: event.previous ?? null },
      { now: deps.clock.now(), timeZone: "UTC", variables: { userId: actAs, runId: "" }, ...(lookup ? { lookup } : {}) },
    );
    if (answer.error) logger.warn({ workflow: workflowId, version, error: answer.error }, "a workflow trigger condition failed; the run was not started");
    return answer.matches;
  }

  async function dispatchBatch(): Promise<number> {
    const [pending] = await db.query(`select 1 from workflow_outbox limit 1`);
    if (!pending) return 0;
    const workflows = await enabledWorkflows();
    return db.transaction(async (tx) => {
      const rows = await tx.query<OutboxRow>(
        `select id, entity, event, record_id::text as record_id, record, previous, caused_by_run::text as caused_by_run from workflow_outbox order by id limit ${BATCH} for update skip locked`,
      );
      if (rows.length === 0) return 0;
      const causes = [...new Set(rows.map((r) => r.caused_by_run).filter((id): id is string => id !== null))];
      const depths = new Map(
        causes.length ? (await tx.query<{ id: string; depth: number }>(`select id::text as id, depth from workflow_runs where id = any($1::uuid[])`, [`{${causes.join(",")}}`])).map((r) => [r.id, r.depth]) : [],
      );
      for (const row of rows) {
        const event: RunTrigger = { type: row.event, entity: row.entity, recordId: row.record_id, record: parsed<RecordJson | null>(row.record as string), previous: parsed<RecordJson | null>(row.previous as string) };
        const depth = row.caused_by_run === null ? 0 : (depths.get(row.caused_by_run) ?? 0) + 1;
        for (const workflow of workflows.filter((w) => w.entity === row.entity)) {
          if (!(await matches(tx, workflow, event))) continue;
          await startRun(tx, workflow, event, depth, Number(row.id), await dateRelativeKey(tx, workflow, event));
        }
      }
      await tx.query(`delete from workflow_outbox where id = any($1::bigint[])`, [`{${rows.map((r) => r.id).join(",")}}`]);
      return rows.length;
    });
  }

  /** A date-relative run is once per record and moment, whichever record change or scheduler window starts it. */
  async function dateRelativeKey(tx: Queryable, workflow: { id: string; version: number }, event: RunTrigger): Promise<string | null> {
    const { trigger } = (await deps.store.version(workflow.id, workflow.version, tx)).compiled.definition;
    if (trigger.type !== "dateRelative" || !event.recordId) return null;
    const moment = dueMoment(trigger, event.record?.[trigger.field]);
    return moment === undefined ? null : dateRelativeRunKey(event.recordId, moment);
  }

  /**
   * Start a run of a version in `tx`: queued with its job, or failed past the loop guard. Once per
   * workflow and outbox event, and once per workflow and `triggerKey` (schedules, dates, webhooks):
   * answers undefined when such a run exists already.
   */
  async function startRun(tx: Queryable, workflow: { id: string; version: number }, event: RunTrigger, depth: number, eventId: number | null, triggerKey: string | null = null): Promise<string | undefined> {
    const id = randomUUID();
    const guarded = depth > MAX_TRIGGER_DEPTH;
    const error = guarded ? { code: "LOOP_DEPTH_EXCEEDED", message: `Started by a chain of ${depth} workflow runs; at most ${MAX_TRIGGER_DEPTH} may follow each other, so this run was not executed.` } : null;
    const [inserted] = await tx.query<{ id: string }>(
      `insert into workflow_runs (id, workflow_id, version, status, trigger, record_entity, record_id, cursor, depth, event_id, error, finished_at, trigger_key)
       values ($1::uuid, $2, $3, $4, $5::jsonb, $6, $7::uuid, $8::jsonb, $9, $10, $11::jsonb, ${guarded ? "now()" : "null"}, $12)
       on conflict do nothing returning id::text as id`,
      [id, workflow.id, workflow.version, guarded ? "failed" : "queued", JSON.stringify(event), event.entity, event.recordId, JSON.stringify(startCursor()), depth, eventId, error === null ? null : JSON.stringify(error), triggerKey],
    );
    if (!inserted) return undefined;
    if (guarded) logger.warn({ workflow: workflow.id, depth }, "the workflow loop guard stopped a run");
    else await deps.jobs.send(id, { tx });
    return id;
  }

  // Polls only while some workflow is enabled: a commit here wakes it at once; the poll hears other processes' commits.
  const loop = createDrainLoop({ logger, pollMs: deps.pollMs, what: "dispatching workflow triggers", drainOnce: async () => (await dispatchBatch()) === BATCH, shouldPoll: deps.shouldPoll });

  return {
    wake: loop.wake,
    /** Start a run of a version in a transaction (schedules, manual runs, webhooks, tests). */
    startRun,
    /** Dispatch everything captured so far (waiting for batches another dispatcher holds); resolves once the outbox is empty. */
    async drainNow(timeoutMs = 10_000): Promise<void> {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        if ((await dispatchBatch()) > 0) continue;
        const [left] = await db.query(`select 1 from workflow_outbox limit 1`);
        if (!left || Date.now() > deadline) return;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    },
    start: loop.start,
    stop: loop.stop,
  };
}

export type TriggerDispatcher = ReturnType<typeof createTriggerDispatcher>;
