/**
 * The workflow run views the HTTP API answers, shared by the runtime (which builds them) and the
 * studio (which shows them), so the two cannot drift apart.
 */

/** Statuses a run can have; the first three may still execute steps. */
export const RUN_STATUSES = ["queued", "running", "retrying", "waiting", "succeeded", "failed", "cancelled"] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];

/** A run as administrators see it (`GET /api/admin/workflow-runs/{id}` without its steps). */
export interface RunView {
  id: string;
  workflowId: string;
  version: number;
  status: RunStatus;
  record: { entity: string; id: string } | null;
  trigger: unknown;
  cursor: unknown;
  attempts: number;
  depth: number;
  error: unknown;
  resumeAt: string | null;
  startedAt: string;
  updatedAt: string;
  finishedAt: string | null;
}

/** One attempt of one step: what it got, what it answered or why it failed. */
export interface StepExecutionView {
  id: number;
  stepId: string;
  pointer: string;
  type: string;
  recordId: string | null;
  attempt: number;
  status: "succeeded" | "failed";
  input: unknown;
  output: unknown;
  error: unknown;
  startedAt: string;
  durationMs: number;
}

/** What a dry run found (nothing is kept): the run's end or where it would pause, and each step with its effects. */
export interface DryRunReport<Effect = unknown> {
  dryRun: true;
  workflowId: string;
  /** The stored version run, or null for an unsaved definition. */
  version: number | null;
  record: { entity: string; id: string };
  /** `succeeded`, `failed`, `waiting` (paused at a wait or an approval) or `retrying` (a step failed and declares retries). */
  status: RunStatus;
  error: unknown;
  /** Where the run would stop and wait; null when it would not. */
  pausedAt: { stepId: string; type: string; reason: "wait" | "approval" | "retry"; until: string | null } | null;
  steps: Array<Omit<StepExecutionView, "id" | "startedAt"> & { effects: Effect[] }>;
}

/** A run about a record as its readers see it (`GET /api/records/{entity}/{id}/workflow-runs`): statuses and error codes, no step data. */
export interface RecordRunView {
  id: string;
  workflowId: string;
  workflowName: string | null;
  version: number;
  status: RunStatus;
  /** The stable code of the failure (`WORKFLOW_STEP_FAILED`, `LOOP_DEPTH_EXCEEDED`…) and its step; no message. */
  error: { code: string; stepId: string | null } | null;
  startedAt: string;
  finishedAt: string | null;
  /** When a waiting or retrying run goes on (null: waiting for a decision). */
  resumeAt: string | null;
  steps: Array<{ stepId: string; name: string | null; type: string; status: "succeeded" | "failed"; attempt: number; errorCode: string | null; startedAt: string; durationMs: number }>;
}
