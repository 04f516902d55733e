import { Instant, OWNER_FIELD, PlainDate, type Value } from "@crm/core";
import type { Approvals, ApprovalRequest } from "../../approvals/create-approvals.ts";
import { resolvePeople } from "../../notifications/resolve-people.ts";
import type { RecordJson, StepContext, StepExecutor, StepResult } from "../step-context.ts";
import { StepFailed } from "./step-failed.ts";

const UNIT_MS = { minutes: 60_000, hours: 3_600_000, days: 86_400_000, weeks: 604_800_000 } as const;

/** An amount of time in milliseconds. */
const durationMs = (duration: { amount: number; unit: keyof typeof UNIT_MS }) => duration.amount * UNIT_MS[duration.unit];

/** A date or date-time value as the moment it starts (a date: midnight UTC). */
function moment(value: Value): Date | null {
  if (value instanceof Instant) return new Date(value.ms);
  if (value instanceof PlainDate) return new Date(value.days * UNIT_MS.days);
  return null;
}

async function recordOrNull(context: StepContext): Promise<RecordJson | null> {
  return context.record ? await context.loadRecord() : null;
}

/** What this step (this loop pass) decided when it first ran, if it ran before: its output. */
async function earlier(context: StepContext): Promise<Record<string, unknown> | undefined> {
  const [row] = await context.tx.query<{ output: unknown }>(
    `select output from workflow_step_executions where run_id = $1::uuid and step_id = $2 and output ->> 'waitKey' = $3 order by id limit 1`,
    [context.run.id, context.step.id, context.idempotencyKey],
  );
  if (!row) return undefined;
  return (typeof row.output === "string" ? JSON.parse(row.output) : row.output) as Record<string, unknown>;
}

/**
 * wait: for a duration from when the step is first reached, or until a date computed then (`until`;
 * a date in the past, or null, does not wait). The moment is kept with the step's first execution, so
 * a resumed or retried run waits for the same moment.
 */
export const waitStep: StepExecutor = async (context) => {
  if (context.step.type !== "wait") throw new Error("waitStep runs wait steps");
  const step = context.step;
  const before = await earlier(context);
  let until: Date | null;
  if (before) until = typeof before.until === "string" ? new Date(before.until) : null;
  else if (step.duration) until = new Date(context.now.getTime() + durationMs(step.duration));
  else until = moment(await context.evaluate(`${context.pointer}/until`, await recordOrNull(context)));
  if (!until || until.getTime() <= context.now.getTime()) return { move: { kind: "next" }, output: { until: until?.toISOString() ?? null, waited: before !== undefined } };
  return { move: { kind: "next" }, wait: { until }, output: { waitKey: context.idempotencyKey, until: until.toISOString() } };
};

/**
 * approval: asks the approvers (resolved on the record: users, roles, teams, departments, owner, the
 * owner's manager) and waits for the decision; `then` runs on approval, `else` on rejection (or when
 * the run's request was withdrawn). A deadline (`timeout`) applies `onTimeout` (default reject):
 * approve, reject, or escalate to `escalateTo`. Re-running the step finds its request by the step's
 * idempotency key, so a retry never asks twice.
 */
export function approvalStep(approvals: Approvals): StepExecutor {
  return async (context) => {
    if (context.step.type !== "approval") throw new Error("approvalStep runs approval steps");
    const step = context.step;
    const ref = context.record;
    let request = await approvals.byKey(context.tx, context.idempotencyKey);
    if (!request) {
      const record = await recordOrNull(context);
      if (!ref || !record) throw StepFailed("An approval is about a record, and this run's record does not exist or is not visible to the workflow's identity.");
      const ownerId = typeof record[OWNER_FIELD] === "string" ? (record[OWNER_FIELD] as string) : null;
      const approvers = await resolvePeople(context.tx, step.approvers, { ownerId });
      if (approvers.length === 0) throw StepFailed("The approvers name no active user (for this record).");
      const message = step.message === undefined ? null : await context.evaluate(`${context.pointer}/message`, record);
      const escalateTo = step.escalateTo ? await resolvePeople(context.tx, step.escalateTo, { ownerId }) : [];
      request = await approvals.request(context.tx, {
        runId: context.run.id,
        stepId: step.id,
        workflowId: context.run.workflowId,
        entity: ref.entity,
        recordId: ref.id,
        subject: step.name ?? context.workflow.definition.name,
        message: message === null ? null : String(message),
        approvers,
        dueAt: step.timeout ? new Date(context.now.getTime() + durationMs(step.timeout)) : null,
        onTimeout: step.timeout ? (step.onTimeout ?? "reject") : null,
        escalateTo,
        dedupeKey: context.idempotencyKey,
      });
    }
    return decided(request, context.idempotencyKey);
  };
}

function decided(request: ApprovalRequest, waitKey: string): StepResult {
  const output = { waitKey, approvalId: request.id, status: request.status, decidedBy: request.decidedBy, decidedHow: request.decidedHow, comment: request.comment };
  if (request.status === "pending") return { move: { kind: "next" }, wait: { until: null }, input: { approvers: request.approvers, dueAt: request.dueAt }, output };
  return { move: { kind: "enter", list: request.status === "approved" ? "then" : "else" }, output };
}
