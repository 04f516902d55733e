import type { ApprovalRequest, LocalizedText, RecordRunView } from "@crm/core";

export type { ApprovalRequest };
import { request } from "./http.ts";
import type { RecordData } from "./types.ts";

export interface Notification {
  id: string;
  subject: string;
  body: string | null;
  link: { entity: string; recordId: string } | null;
  createdAt: string;
  readAt: string | null;
}

export interface NotificationPage {
  items: Notification[];
  unread: number;
  nextCursor: string | null;
}

/** A plugin's action a record offers (a button on its page). */
export interface RecordAction {
  pluginId: string;
  name: string;
  label: LocalizedText;
}

const recordPath = (entity: string, id: string) => `/api/records/${encodeURIComponent(entity)}/${encodeURIComponent(id)}`;

/** The signed-in user's approval requests and decisions, and a record's requests. */
export const approvalsApi = {
  async mine(status: "pending" | "decided" = "pending"): Promise<ApprovalRequest[]> {
    return (await request<{ items: ApprovalRequest[] }>("GET", "/api/me/approvals", { query: { status } })).data.items;
  },
  /** 409 when someone (or the deadline) decided first. */
  async decide(id: string, decision: "approve" | "reject", comment?: string): Promise<ApprovalRequest> {
    return (await request<ApprovalRequest>("POST", `/api/approvals/${encodeURIComponent(id)}/decision`, { body: { decision, comment: comment || undefined } })).data;
  },
  async forRecord(entity: string, id: string): Promise<ApprovalRequest[]> {
    return (await request<{ items: ApprovalRequest[] }>("GET", `${recordPath(entity, id)}/approvals`)).data.items;
  },
};

/** The signed-in user's in-app notifications, newest first, with the unread count. */
export const notificationsApi = {
  async page(query: { unread?: boolean; cursor?: string; limit?: number } = {}): Promise<NotificationPage> {
    return (await request<NotificationPage>("GET", "/api/me/notifications", { query: { limit: 20, ...query } })).data;
  },
  async markRead(id: string): Promise<void> {
    await request("POST", `/api/me/notifications/${encodeURIComponent(id)}/read`);
  },
  async markAllRead(): Promise<number> {
    return (await request<{ marked: number }>("POST", "/api/me/notifications/read")).data.marked;
  },
};

/** Plugin actions on one record: which there are, and running one (its message and the records it updated). */
export const actionsApi = {
  async forRecord(entity: string, id: string): Promise<RecordAction[]> {
    return (await request<{ items: RecordAction[] }>("GET", `${recordPath(entity, id)}/actions`)).data.items;
  },
  async run(entity: string, id: string, action: Pick<RecordAction, "pluginId" | "name">): Promise<{ message: string | null; updated: RecordData[] }> {
    return (await request<{ message: string | null; updated: RecordData[] }>("POST", `${recordPath(entity, id)}/actions/${encodeURIComponent(action.pluginId)}/${encodeURIComponent(action.name)}`)).data;
  },
};

/** A manual workflow a user may start on a record (`GET /api/workflows/manual?entity=`). */
export interface ManualWorkflow {
  id: string;
  name: string;
  description: string | null;
  entity: string;
  selection: "one" | "many";
  inputs: Array<{ key: string; type: "text" | "number" | "boolean" | "date" | "datetime"; label?: string; required?: boolean }>;
}

/** A run about a record as its readers see it: statuses and error codes, no step data (core's view, shared with the runtime). */
export type RecordRun = RecordRunView;

/** Workflows on one record: the manual ones it offers, starting one, and the runs about it. */
export const recordWorkflowsApi = {
  async manual(entity: string): Promise<ManualWorkflow[]> {
    return (await request<{ items: ManualWorkflow[] }>("GET", "/api/workflows/manual", { query: { entity } })).data.items;
  },
  async start(workflowId: string, recordIds: string[], inputs: Record<string, unknown>): Promise<{ runs: unknown[] }> {
    return (await request<{ runs: unknown[] }>("POST", `/api/workflows/${encodeURIComponent(workflowId)}/runs`, { body: { recordIds, inputs } })).data;
  },
  async runs(entity: string, id: string): Promise<RecordRun[]> {
    return (await request<{ items: RecordRun[] }>("GET", `${recordPath(entity, id)}/workflow-runs`, { query: { limit: 20 } })).data.items;
  },
};
