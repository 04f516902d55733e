import { advance, currentRecord, currentStep, retryDelayMs, type StepType } from "@crm/core";
import type { AccessService } from "../access/index.ts";
import type { Database, Queryable } from "../db/database.ts";
import { AppError } from "../errors.ts";
import type { Logger } from "../logger.ts";
import type { Caller } from "../services/caller.ts";
import type { EntityRegistry } from "../services/entity-registry.ts";
import { createRecordReads } from "../services/record-reads.ts";
import { createRecordWrites, type RecordEvents } from "../services/record-writes.ts";
import { StepFailed, StepNotImplemented } from "./executors/step-failed.ts";
import type { JobQueue } from "./job-queue.ts";
import { loadRelated } from "./load-related.ts";
import { ACTIVE_STATUSES, parsed, RUN_COLUMNS, type RunRow } from "./run-row.ts";
import type { RecordJson, RunTrigger, StepContext, StepExecutor, StepResult } from "./step-context.ts";
import { transactionDatabase } from "./transaction-database.ts";
import { workflowCaller } from "./workflow-caller.ts";
import type { WorkflowStore } from "./workflow-store.ts";

/** The time source of the engine: injected, so tests (and the offline harness) can move it. */
export interface Clock {
  now(): Date;
}

export interface RunEngineDeps {
  db: Database;
  logger: Logger;
  registry: EntityRegistry;
  access: AccessService;
  store: WorkflowStore;
  jobs: JobQueue;
  clock: Clock;
  executors: Partial<Record<StepType, StepExecutor>>;
  /** Where writes made by steps announce their changes (webhooks, and workflows again, with the run as cause). */
  events?: RecordEvents | undefined;
  /** Retry policy of steps that declare none. */
  retry: { maxAttempts: number; backoffMs: number };
}

/** Steps one job executes before handing the run to a new job (a long loop does not hold a worker forever). */
const STEPS_PER_JOB = 200;

interface Failure {
  stepId: string;
  pointer: string;
  stepType: string;
  recordId: string | null;
  input: unknown;
  error: { code: string; message: string; issues?: unknown };
  durationMs: number;
  started: Date;
}

function describeError(error: unknown): Failure["error"] {
  if (error instanceof AppError) return { code: error.code, message: error.message, ...(error.issues.length ? { issues: error.issues } : {}) };
  return { code: "INTERNAL_ERROR", message: error instanceof Error ? error.message.slice(0, 1000) : String(error).slice(0, 1000) };
}

/**
 * Executes runs step by step. Each step runs in one transaction with its effects (record writes
 * through the same services and permission checks as the API, as the workflow's identity), its
 * execution record and the run's next position: a crash before the commit leaves the step to run
 * again, never half-done; a crash after it moves on. The run row is locked while a step runs, so
 * two processes never execute the same step. A failed step rolls back its effects only (the
 * triggering write is long committed), is recorded, and is retried with exponential backoff.
 */
export function createRunEngine(deps: RunEngineDeps) {
  const { db, logger, clock } = deps;

  async function lockRun(tx: Queryable, runId: string): Promise<RunRow | undefined> {
    const [row] = await tx.query<RunRow>(`select ${RUN_COLUMNS} from workflow_runs where id = $1::uuid for update`, [runId]);
    return row;
  }

  async function recordExecution(tx: Queryable, runId: string, attempt: number, status: "succeeded" | "failed", values: { stepId: string; pointer: string; stepType: string; recordId: string | null; input: unknown; output?: unknown; error?: unknown; started: Date; durationMs: number }) {
    await tx.query(
      `insert into workflow_step_executions (run_id, step_id, pointer, step_type, record_id, attempt, status, input, output, error, started_at, duration_ms)
       values ($1::uuid, $2, $3, $4, $5::uuid, $6, $7, $8::jsonb, $9::jsonb, $10::jsonb, $11, $12)`,
      [runId, values.stepId, values.pointer, values.stepType, values.recordId, attempt, status, JSON.stringify(values.input ?? null), JSON.stringify(values.output ?? null), values.error === undefined ? null : JSON.stringify(values.error), values.started.toISOString(), values.durationMs],
    );
  }

  /** Execute the step at the run's cursor; "continue" when another step is due now. */
  async function executeOne(runId: string): Promise<"continue" | "done"> {
    // The identity is resolved before the step's transaction: loading it may read the database, which
    // on PGlite's single connection must not wait behind that very transaction.
    const [peek] = await db.query<{ workflow_id: string; version: number }>(`select workflow_id, version from workflow_runs where id = $1::uuid`, [runId]);
    if (!peek) return "done";
    const { actAs } = await deps.store.version(peek.workflow_id, peek.version);
    const caller = actAs ? await workflowCaller({ db, access: deps.access }, runId, actAs) : undefined;
    let failure: Failure | undefined;
    try {
      return await db.transaction(async (tx) => {
        const run = await lockRun(tx, runId);
        // A waiting run goes on when its job comes (its date has come, or a decision queued it).
        if (!run || !(ACTIVE_STATUSES.includes(run.status) || run.status === "waiting")) return "done";
        if (run.resume_at && new Date(run.resume_at).getTime() > clock.now().getTime()) return "done";
        const { compiled } = await deps.store.version(run.workflow_id, run.version, tx);
        const cursor = parsed(run.cursor);
        const here = currentStep(compiled.definition, cursor);
        if (!here) {
          await tx.query(`update workflow_runs set status = 'succeeded', finished_at = now(), updated_at = now() where id = $1::uuid`, [runId]);
          return "done";
        }
        const trigger = parsed<RunTrigger>(run.trigger);
        const ref = currentRecord(cursor, run.record_entity && run.record_id ? { entity: run.record_entity, id: run.record_id } : null);
        const started = clock.now();
        const t0 = performance.now();
        let result: StepResult;
        try {
          if (!caller || !actAs) throw StepFailed("The workflow has no identity to act as (runAs, or the administrator who saved it).");
          const context = buildContext(tx, run, { compiled, actAs, caller, cursor, trigger, ref, started, here });
          const executor = deps.executors[here.step.type];
          if (!executor) throw StepNotImplemented(`No executor for "${here.step.type}" steps is registered in this runtime.`);
          result = await executor(context);
        } catch (error) {
          failure = { stepId: here.step.id, pointer: here.pointer, stepType: here.step.type, recordId: ref?.id ?? null, input: null, error: describeError(error), durationMs: performance.now() - t0, started };
          throw error;
        }
        await recordExecution(tx, runId, run.attempts + 1, "succeeded", { stepId: here.step.id, pointer: here.pointer, stepType: here.step.type, recordId: ref?.id ?? null, input: result.input, output: result.output, started, durationMs: performance.now() - t0 });
        logger.debug({ runId, step: here.step.id, workflow: run.workflow_id }, "workflow step executed");
        if (result.wait) {
          const until = result.wait.until;
          await tx.query(`update workflow_runs set status = 'waiting', attempts = 0, error = null, resume_at = $2::timestamptz, updated_at = now() where id = $1::uuid`, [runId, until?.toISOString() ?? null]);
          if (until) await deps.jobs.send(runId, { startAfter: until, tx });
          return "done";
        }
        const next = advance(compiled.definition, cursor, result.move);
        const ended = result.outcome ?? (next.length === 0 ? { status: "succeeded" as const } : undefined);
        if (ended) {
          const error = ended.status === "failed" ? { code: "STOPPED", message: ended.message ?? `Stopped with failure at step "${here.step.id}".` } : null;
          await tx.query(`update workflow_runs set status = $2, cursor = $3::jsonb, attempts = 0, error = $4::jsonb, finished_at = now(), updated_at = now() where id = $1::uuid`, [runId, ended.status, JSON.stringify(next), error === null ? null : JSON.stringify(error)]);
          return "done";
        }
        await tx.query(`update workflow_runs set status = 'running', cursor = $2::jsonb, attempts = 0, error = null, resume_at = null, updated_at = now() where id = $1::uuid`, [runId, JSON.stringify(next)]);
        return "continue";
      });
    } catch (error) {
      if (!failure) throw error;
      await recordFailure(runId, failure);
      return "done";
    }
  }

  function buildContext(
    tx: Queryable,
    run: RunRow,
    parts: { compiled: StepContext["workflow"]; actAs: string; caller: Caller; cursor: StepContext["run"]["cursor"]; trigger: RunTrigger; ref: StepContext["record"]; started: Date; here: { step: StepContext["step"]; pointer: string } },
  ): StepContext {
    const caller = parts.caller;
    const bound = transactionDatabase(db, tx);
    const reads = createRecordReads({ db: bound, registry: deps.registry });
    const writes = createRecordWrites({ db: bound, registry: deps.registry, events: deps.events });
    const read = async (entity: string, id: string): Promise<RecordJson | null> => {
      try {
        return JSON.parse((await reads.get(entity, id, new URLSearchParams(), caller)).json) as RecordJson;
      } catch (error) {
        if (error instanceof AppError && error.status === 404) return null;
        throw error;
      }
    };
    let current: RecordJson | null | undefined;
    const loadRecord = async () => {
      if (current !== undefined) return current;
      const ref = parts.ref;
      if (!ref) return (current = null);
      const isTrigger = ref.entity === parts.trigger.entity && ref.id === parts.trigger.recordId;
      if (isTrigger && parts.trigger.type === "deleted") return (current = parts.trigger.previous ?? null);
      return (current = await read(ref.entity, ref.id));
    };
    const loop = parts.cursor.filter((frame) => frame.loop).map((frame) => frame.loop!.at).join(".");
    const context: StepContext = {
      step: parts.here.step,
      pointer: parts.here.pointer,
      run: { id: run.id, workflowId: run.workflow_id, version: run.version, depth: run.depth, attempt: run.attempts + 1, cursor: parts.cursor },
      workflow: parts.compiled,
      record: parts.ref,
      trigger: parts.trigger,
      caller,
      tx,
      reads,
      writes,
      now: parts.started,
      idempotencyKey: `workflow:${run.id}:${parts.here.step.id}${loop ? `:${loop}` : ""}`,
      entity: (key) => deps.registry.find(key)?.definition,
      loadRecord,
      async evaluate(pointer, record) {
        const expression = parts.compiled.expressions.get(pointer);
        if (!expression) throw StepFailed(`There is no expression at ${pointer}.`);
        const subject = record === undefined ? await loadRecord() : record;
        const lookup = await loadRelated([expression], subject, read);
        const isTrigger = parts.ref !== null && parts.ref.entity === parts.trigger.entity && parts.ref.id === parts.trigger.recordId;
        const result = expression.evaluate(subject ?? {}, {
          now: parts.started,
          timeZone: "UTC",
          lookup,
          previous: isTrigger && parts.trigger.type === "updated" ? (parts.trigger.previous ?? null) : null,
          variables: { ...parts.trigger.variables, userId: parts.actAs, runId: run.id },
        });
        if (!result.ok) throw StepFailed(`The expression at ${pointer} failed: ${result.error.message}`, { issues: [{ code: result.error.code, pointer, message: result.error.message }] });
        return result.value;
      },
    };
    return context;
  }

  /** After a step failed (its transaction rolled back): record the attempt, then retry later or fail the run. */
  async function recordFailure(runId: string, failure: Failure): Promise<void> {
    await db.transaction(async (tx) => {
      const run = await lockRun(tx, runId);
      if (!run || !ACTIVE_STATUSES.includes(run.status)) return;
      const attempt = run.attempts + 1;
      await recordExecution(tx, runId, attempt, "failed", { ...failure, output: null });
      const { compiled } = await deps.store.version(run.workflow_id, run.version, tx);
      const step = compiled.steps.get(failure.stepId)?.step;
      const delay = step && failure.error.code !== StepNotImplemented.code ? retryDelayMs(step, attempt, deps.retry) : undefined;
      const error = { ...failure.error, stepId: failure.stepId, attempt };
      if (delay === undefined) {
        await tx.query(`update workflow_runs set status = 'failed', attempts = $2, error = $3::jsonb, finished_at = now(), updated_at = now() where id = $1::uuid`, [runId, attempt, JSON.stringify(error)]);
        return;
      }
      const resumeAt = new Date(clock.now().getTime() + delay);
      await tx.query(`update workflow_runs set status = 'retrying', attempts = $2, error = $3::jsonb, resume_at = $4, updated_at = now() where id = $1::uuid`, [runId, attempt, JSON.stringify(error), resumeAt.toISOString()]);
      await deps.jobs.send(runId, { startAfter: resumeAt, tx });
    });
    logger.warn({ runId, step: failure.stepId, error: failure.error }, "a workflow step failed");
  }

  return {
    /** Run the job for `runId`: execute steps until the run ends, waits or a step fails. */
    async advance(runId: string): Promise<void> {
      for (let i = 0; i < STEPS_PER_JOB; i++) {
        if ((await executeOne(runId)) === "done") return;
      }
      await deps.jobs.send(runId);
    },
  };
}

export type RunEngine = ReturnType<typeof createRunEngine>;
