import type { TriggerInput } from "./check-trigger-inputs.ts";

/** A workflow definition as `schemas/workflow.schema.json` describes it. */
export interface WorkflowDefinition {
  /** Stable id, kebab-case; versions share it. */
  id: string;
  /** Set by the server. */
  version?: number;
  name: string;
  description?: string;
  enabled?: boolean;
  /** Key of the triggering entity. */
  entity: string;
  /** The identity the workflow acts as. */
  runAs?: { userId: string };
  trigger: WorkflowTrigger;
  steps: WorkflowStep[];
}

export type Duration = { amount: number; unit: "minutes" | "hours" | "days" | "weeks" };

/** A set of users, by id, role, team, department, or relative to the record. */
export interface People {
  users?: string[];
  roles?: string[];
  teams?: string[];
  departments?: string[];
  owner?: boolean;
  ownerManager?: boolean;
}

export type WorkflowTrigger =
  | { type: "recordCreated"; condition?: string }
  | { type: "recordUpdated"; fields?: string[]; condition?: string }
  | { type: "recordDeleted"; condition?: string }
  | { type: "fieldChanged"; field: string; from?: unknown; to?: unknown; condition?: string }
  | { type: "schedule"; cron: string; timeZone?: string; condition?: string }
  | { type: "dateRelative"; field: string; offset: Duration; direction: "before" | "after"; timeZone?: string; condition?: string }
  | { type: "manual"; selection?: "one" | "many"; inputs?: TriggerInput[] }
  | { type: "webhook"; recordIdFrom?: string; inputs?: TriggerInput[] };

export type TriggerType = WorkflowTrigger["type"];

/** Every trigger type, in the schema's order. */
export const TRIGGER_TYPES = ["recordCreated", "recordUpdated", "recordDeleted", "fieldChanged", "schedule", "dateRelative", "manual", "webhook"] as const satisfies readonly TriggerType[];

/**
 * The trigger types a record change can start (matchTrigger answers them): a write to an entity
 * enqueues trigger events only when an enabled workflow on it has one. Schedules, manual buttons and
 * inbound webhooks start runs directly.
 */
export const RECORD_TRIGGER_TYPES = ["recordCreated", "recordUpdated", "recordDeleted", "fieldChanged", "dateRelative"] as const satisfies readonly TriggerType[];

/** Field key → expression text. */
export type ValueExpressions = Record<string, string>;

export interface StepBase {
  id: string;
  name?: string;
  retry?: { maxAttempts?: number; backoffMs?: number };
}

export type FindOperator = "eq" | "ne" | "lt" | "lte" | "gt" | "gte";

export type WorkflowStep = StepBase &
  (
    | { type: "condition"; if: string; then: WorkflowStep[]; else?: WorkflowStep[] }
    | { type: "branch"; branches: Array<{ when: string; steps: WorkflowStep[] }>; otherwise?: WorkflowStep[] }
    | { type: "updateRecord"; values: ValueExpressions }
    | { type: "createRecord"; entity: string; values: ValueExpressions }
    | { type: "findRecords"; entity: string; where?: Array<{ field: string; op: FindOperator; value: string }>; sort?: string; limit?: number; steps?: WorkflowStep[] }
    | { type: "stop"; outcome: "success" | "failure"; message?: string }
    | { type: "wait"; duration?: Duration; until?: string }
    | { type: "assignOwner"; strategy: "roundRobin" | "loadBalanced" | "rules"; pool?: People; openFilter?: string[]; rules?: Array<{ when: string; userId: string }> }
    | { type: "notify"; recipients: People; channels?: Array<"inApp" | "email">; subject: string; body?: string }
    | { type: "approval"; approvers: People; message?: string; timeout?: Duration; onTimeout?: "reject" | "approve" | "escalate"; escalateTo?: People; then?: WorkflowStep[]; else?: WorkflowStep[] }
    | { type: "httpRequest"; method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE"; url: string; headers?: Record<string, string>; body?: Record<string, string>; sign?: boolean; timeoutMs?: number }
    | { type: "runPluginAction"; plugin: string; action: string }
  );

export type StepType = WorkflowStep["type"];

/** Every step type, in the schema's order. */
export const STEP_TYPES = [
  "condition",
  "branch",
  "updateRecord",
  "createRecord",
  "findRecords",
  "stop",
  "wait",
  "assignOwner",
  "notify",
  "approval",
  "httpRequest",
  "runPluginAction",
] as const satisfies readonly StepType[];

/** How deep step lists may nest, how many steps a workflow may have, how deep its JSON may be. */
export const WORKFLOW_LIMITS = { maxStepDepth: 12, maxSteps: 500, maxJsonDepth: 64 } as const;
