import type { WorkflowDefinition } from "@crm/core";
import { request } from "./http.ts";

/** A workflow as the admin API returns it: the current version's definition with its version and state. */
export type AdminWorkflow = WorkflowDefinition & { version: number; enabled: boolean; createdAt: string; updatedAt: string };

export const RUN_STATUSES = ["queued", "running", "retrying", "waiting", "succeeded", "failed", "cancelled"] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];

export interface WorkflowRun {
  id: string;
  workflowId: string;
  version: number;
  status: RunStatus;
  record: { entity: string; id: string } | null;
  trigger: unknown;
  attempts: number;
  depth: number;
  error: unknown;
  resumeAt: string | null;
  startedAt: string;
  updatedAt: string;
  finishedAt: string | null;
}

/** One attempt of one step: what it got, what it answered or why it failed. */
export interface StepExecution {
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

export type WorkflowRunDetail = WorkflowRun & { steps: StepExecution[] };

/** What a dry run found (nothing is kept): the run's end or where it would pause, and each step with its effects. */
export interface DryRunReport {
  dryRun: true;
  workflowId: string;
  version: number | null;
  record: { entity: string; id: string };
  status: RunStatus;
  error: unknown;
  pausedAt: { stepId: string; type: string; reason: "wait" | "approval" | "retry"; until: string | null } | null;
  steps: Array<Omit<StepExecution, "id" | "startedAt"> & { effects: unknown[] }>;
}

const workflow = (id: string, rest = "") => `/api/admin/workflows/${encodeURIComponent(id)}${rest}`;
const run = (id: string, rest = "") => `/api/admin/workflow-runs/${encodeURIComponent(id)}${rest}`;

/** Administrators only: workflow definitions (every save a new version), enabling, runs, retry and cancel. */
export const workflowsApi = {
  async list(): Promise<AdminWorkflow[]> {
    return (await request<{ items: AdminWorkflow[] }>("GET", "/api/admin/workflows")).data.items;
  },
  async get(id: string): Promise<AdminWorkflow> {
    return (await request<AdminWorkflow>("GET", workflow(id))).data;
  },
  /** Version 1 (409 when the id is taken; 422 with pointers into the definition). */
  async create(definition: WorkflowDefinition): Promise<AdminWorkflow> {
    return (await request<AdminWorkflow>("POST", "/api/admin/workflows", { body: definition })).data;
  },
  /** A new version; runs in flight finish on theirs. */
  async save(id: string, definition: WorkflowDefinition): Promise<AdminWorkflow> {
    return (await request<AdminWorkflow>("PUT", workflow(id), { body: definition })).data;
  },
  async setEnabled(id: string, enabled: boolean): Promise<AdminWorkflow> {
    return (await request<AdminWorkflow>("POST", workflow(id, enabled ? "/enable" : "/disable"))).data;
  },
  /** Newest first; `before` is the last run's `startedAt` for the next page. */
  /** Run the stored workflow, or an unsaved `definition` of it, on one record in a transaction that is rolled back. */
  async dryRun(id: string, body: { recordId: string; definition?: WorkflowDefinition }): Promise<DryRunReport> {
    return (await request<DryRunReport>("POST", workflow(id, "/dry-run"), { body })).data;
  },
  async runs(id: string, query: { status?: RunStatus; before?: string; limit?: number } = {}): Promise<WorkflowRun[]> {
    return (await request<{ items: WorkflowRun[] }>("GET", workflow(id, "/runs"), { query: { limit: 50, ...query } })).data.items;
  },
  async run(id: string): Promise<WorkflowRunDetail> {
    return (await request<WorkflowRunDetail>("GET", run(id))).data;
  },
  /** A failed run goes on from the step that failed. */
  async retry(id: string): Promise<WorkflowRunDetail> {
    return (await request<WorkflowRunDetail>("POST", run(id, "/retry"))).data;
  },
  /** A queued, retrying or waiting run stops before its next step. */
  async cancel(id: string): Promise<WorkflowRunDetail> {
    return (await request<WorkflowRunDetail>("POST", run(id, "/cancel"))).data;
  },
};
