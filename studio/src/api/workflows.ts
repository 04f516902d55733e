import type { DryRunReport, RunStatus, RunView, StepExecutionView, WorkflowDefinition } from "@crm/core";
import { request } from "./http.ts";

/** A workflow as the admin API returns it: the current version's definition with its version and state. */
export type AdminWorkflow = WorkflowDefinition & { version: number; enabled: boolean; createdAt: string; updatedAt: string };

export { RUN_STATUSES, type RunStatus } from "@crm/core";

/** A run as the admin API answers it (core's view, shared with the runtime). */
export type WorkflowRun = RunView;
/** One attempt of one step: what it got, what it answered or why it failed. */
export type StepExecution = StepExecutionView;
export type WorkflowRunDetail = WorkflowRun & { steps: StepExecution[] };
export type { DryRunReport };

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
