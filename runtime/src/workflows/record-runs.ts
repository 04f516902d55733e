import type { RecordRunView, RunStatus } from "@crm/core";
import type { Queryable } from "../db/database.ts";
import type { WorkflowStore } from "./workflow-store.ts";

/**
 * What anyone who may read a record sees of its runs: which workflow, where it is, and each step's
 * outcome. Step inputs and outputs, the trigger and error messages are left out: they carry record
 * values, possibly of fields this reader may not see (the workflow reads as its own identity). Only
 * names an administrator gave the workflow and its steps, and stable error codes, are shown.
 */
export type { RecordRunView };

const iso = (value: unknown) => (value === null || value === undefined ? null : new Date(value as string).toISOString());

/** The runs about one record, newest first, as `RecordRunView`s (the caller has checked the reader may read the record). */
export async function listRecordRuns(q: Queryable, store: Pick<WorkflowStore, "version">, record: { entity: string; id: string }, limit: number): Promise<RecordRunView[]> {
  const runs = await q.query<Record<string, unknown>>(
    `select id::text as id, workflow_id, version, status, error ->> 'code' as error_code, error ->> 'stepId' as error_step, started_at, finished_at, resume_at
       from workflow_runs where record_entity = $1 and record_id = $2::uuid order by started_at desc, id desc limit $3::int`,
    [record.entity, record.id, limit],
  );
  if (runs.length === 0) return [];
  const steps = await q.query<Record<string, unknown>>(
    `select run_id::text as run_id, step_id, step_type, status, attempt, error ->> 'code' as error_code, started_at, duration_ms
       from workflow_step_executions where run_id = any($1::uuid[]) order by id`,
    [`{${runs.map((r) => r.id).join(",")}}`],
  );
  const names = async (workflowId: string, version: number) => {
    try {
      return (await store.version(workflowId, version, q)).compiled;
    } catch {
      return undefined; // a version that no longer compiles shows ids only
    }
  };
  return Promise.all(
    runs.map(async (run) => {
      const compiled = await names(run.workflow_id as string, Number(run.version));
      return {
        id: run.id as string,
        workflowId: run.workflow_id as string,
        workflowName: compiled?.definition.name ?? null,
        version: Number(run.version),
        status: run.status as RunStatus,
        error: run.error_code ? { code: run.error_code as string, stepId: (run.error_step as string | null) ?? null } : null,
        startedAt: iso(run.started_at)!,
        finishedAt: iso(run.finished_at),
        resumeAt: iso(run.resume_at),
        steps: steps
          .filter((s) => s.run_id === run.id)
          .map((s) => ({
            stepId: s.step_id as string,
            name: compiled?.steps.get(s.step_id as string)?.step.name ?? null,
            type: s.step_type as string,
            status: s.status as "succeeded" | "failed",
            attempt: Number(s.attempt),
            errorCode: (s.error_code as string | null) ?? null,
            startedAt: iso(s.started_at)!,
            durationMs: Number(s.duration_ms),
          })),
      };
    }),
  );
}
