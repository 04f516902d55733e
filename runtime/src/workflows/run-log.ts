import { NO_AUDIT_ACTOR, recordAdminAudit, type AuditActor } from "../auth/admin-audit.ts";
import type { Queryable } from "../db/database.ts";
import { RunNotCancellable, RunNotFound, RunNotRetryable } from "./workflow-errors.ts";
import type { JobQueue } from "./job-queue.ts";
import type { RunStatus, RunView, StepExecutionView } from "@crm/core";
import { parsed } from "./run-row.ts";

export type { RunView, StepExecutionView };



type Row = Record<string, unknown>;
const iso = (value: unknown) => (value === null || value === undefined ? null : new Date(value as string).toISOString());

function runView(row: Row): RunView {
  return {
    id: row["id"] as string,
    workflowId: row["workflow_id"] as string,
    version: Number(row["version"]),
    status: row["status"] as RunStatus,
    record: row["record_entity"] && row["record_id"] ? { entity: row["record_entity"] as string, id: row["record_id"] as string } : null,
    trigger: parsed(row["trigger"]),
    cursor: parsed(row["cursor"]),
    attempts: Number(row["attempts"]),
    depth: Number(row["depth"]),
    error: parsed(row["error"] ?? null),
    resumeAt: iso(row["resume_at"]),
    startedAt: iso(row["started_at"])!,
    updatedAt: iso(row["updated_at"])!,
    finishedAt: iso(row["finished_at"]),
  };
}

function stepView(row: Row): StepExecutionView {
  return {
    id: Number(row["id"]),
    stepId: row["step_id"] as string,
    pointer: row["pointer"] as string,
    type: row["step_type"] as string,
    recordId: (row["record_id"] as string | null) ?? null,
    attempt: Number(row["attempt"]),
    status: row["status"] as "succeeded" | "failed",
    input: parsed(row["input"] ?? null),
    output: parsed(row["output"] ?? null),
    error: parsed(row["error"] ?? null),
    startedAt: iso(row["started_at"])!,
    durationMs: Number(row["duration_ms"]),
  };
}

const COLUMNS = `id::text as id, workflow_id, version, status, trigger, record_entity, record_id::text as record_id, cursor, attempts, depth, error, resume_at, started_at, updated_at, finished_at`;

/** Run history (per workflow, per record), one run with its step executions, retry and cancel. */
export function createRunLog(deps: { db: Queryable; jobs: JobQueue; transaction: <T>(fn: (tx: Queryable) => Promise<T>) => Promise<T>; onCancel?: (tx: Queryable, runId: string) => Promise<unknown> }) {
  const { db } = deps;

  async function get(id: string): Promise<RunView & { steps: StepExecutionView[] }> {
    const [row] = await db.query<Row>(`select ${COLUMNS} from workflow_runs where id = $1::uuid`, [id]);
    if (!row) throw RunNotFound(`There is no workflow run with id "${id.slice(0, 64)}".`);
    const steps = await db.query<Row>(
      `select id, step_id, pointer, step_type, record_id::text as record_id, attempt, status, input, output, error, started_at, duration_ms from workflow_step_executions where run_id = $1::uuid order by id`,
      [id],
    );
    return { ...runView(row), steps: steps.map(stepView) };
  }

  return {
    get,
    /** Newest first; filter by workflow, record, status. */
    async list(filter: { workflowId?: string; entity?: string; recordId?: string; status?: RunStatus; limit: number; before?: string }): Promise<RunView[]> {
      const rows = await db.query<Row>(
        `select ${COLUMNS} from workflow_runs
          where ($1::text is null or workflow_id = $1) and ($2::text is null or record_entity = $2) and ($3::uuid is null or record_id = $3::uuid)
            and ($4::text is null or status = $4) and ($5::timestamptz is null or started_at < $5::timestamptz)
          order by started_at desc, id desc limit $6::int`,
        [filter.workflowId ?? null, filter.entity ?? null, filter.recordId ?? null, filter.status ?? null, filter.before ?? null, filter.limit],
      );
      return rows.map(runView);
    },

    /** A failed run goes on from the step that failed (its earlier steps are not repeated). */
    async retry(id: string, audit: AuditActor = NO_AUDIT_ACTOR): Promise<RunView & { steps: StepExecutionView[] }> {
      const changed = await deps.transaction(async (tx) => {
        const rows = await tx.query(
          `update workflow_runs set status = 'queued', attempts = 0, resume_at = null, finished_at = null, updated_at = now()
            where id = $1::uuid and status = 'failed' and jsonb_array_length(cursor) > 0 returning id`,
          [id],
        );
        if (rows.length) {
          await recordAdminAudit(tx, audit, "workflow_run_retried", id);
          await deps.jobs.send(id, { tx });
        }
        return rows.length > 0;
      });
      if (!changed) {
        const run = await get(id);
        throw RunNotRetryable(`The run is ${run.status}${run.status === "failed" ? " at its end (a stop step failed it)" : ""}; only a run that failed at a step can be retried.`);
      }
      return get(id);
    },

    /** A run that has not finished stops before its next step; `onCancel` withdraws what it waits for (approvals), in the same transaction. */
    async cancel(id: string, audit: AuditActor = NO_AUDIT_ACTOR): Promise<RunView & { steps: StepExecutionView[] }> {
      const rows = await deps.transaction(async (tx) => {
        const changed = await tx.query(`update workflow_runs set status = 'cancelled', finished_at = now(), updated_at = now() where id = $1::uuid and status in ('queued', 'retrying', 'waiting') returning id`, [id]);
        if (changed.length) {
          await recordAdminAudit(tx, audit, "workflow_run_cancelled", id);
          await deps.onCancel?.(tx, id);
        }
        return changed;
      });
      if (!rows.length) {
        const run = await get(id);
        throw RunNotCancellable(`The run is ${run.status}; only queued, retrying or waiting runs can be cancelled.`);
      }
      return get(id);
    },
  };
}

export type RunLog = ReturnType<typeof createRunLog>;
