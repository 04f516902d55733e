import type { Cursor, RunStatus } from "@crm/core";
import type { Queryable } from "../db/database.ts";
import type { RunTrigger } from "./step-context.ts";

export { RUN_STATUSES, type RunStatus } from "@crm/core";
export const ACTIVE_STATUSES: readonly RunStatus[] = ["queued", "running", "retrying"];

/** A `workflow_runs` row as read by the engine. */
export interface RunRow {
  id: string;
  workflow_id: string;
  version: number;
  status: RunStatus;
  trigger: RunTrigger | string;
  record_entity: string | null;
  record_id: string | null;
  cursor: Cursor | string;
  attempts: number;
  depth: number;
  resume_at: Date | string | null;
}

export const RUN_COLUMNS = "id, workflow_id, version, status, trigger, record_entity, record_id::text as record_id, cursor, attempts, depth, resume_at";

export function parsed<T>(value: T | string): T {
  return (typeof value === "string" ? JSON.parse(value) : value) as T;
}

/** The run a trigger key started (a repeated manual request, a replayed webhook delivery). */
export async function findRunByTriggerKey(q: Queryable, workflowId: string, key: string): Promise<string | undefined> {
  const [row] = await q.query<{ id: string }>(`select id::text as id from workflow_runs where workflow_id = $1 and trigger_key = $2`, [workflowId, key]);
  return row?.id;
}
