import type { Cursor } from "@crm/core";
import type { RunTrigger } from "./step-context.ts";

/** Statuses a run can have; the first three may still execute steps. */
export const RUN_STATUSES = ["queued", "running", "retrying", "waiting", "succeeded", "failed", "cancelled"] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];
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
