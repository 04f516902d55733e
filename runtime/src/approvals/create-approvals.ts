import { isUuid, textArrayLiteral, type ApprovalRequest, type TimeoutPolicy } from "@crm/core";
import type { Database, Queryable } from "../db/database.ts";
import type { Notifications } from "../notifications/create-notifications.ts";

export type { ApprovalRequest, TimeoutPolicy };
export type Decision = "approve" | "reject";

export interface NewApproval {
  runId?: string | null;
  stepId?: string | null;
  workflowId?: string | null;
  entity: string;
  recordId: string;
  subject: string;
  message?: string | null;
  /** Resolved user ids (see `resolvePeople`); at least one. */
  approvers: readonly string[];
  dueAt?: Date | null;
  onTimeout?: TimeoutPolicy | null;
  /** With `escalate`: who is added when the deadline passes. */
  escalateTo?: readonly string[];
  /** The same key makes the same request once (a retried step). */
  dedupeKey?: string | null;
}

/** Called in the deciding transaction, so the waiting run moves on exactly when the decision commits. */
export type DecisionListener = (tx: Queryable, request: ApprovalRequest) => Promise<void>;

const COLUMNS = `id::text as id, run_id::text as "runId", step_id as "stepId", workflow_id as "workflowId", entity_key as entity, record_id::text as "recordId", subject, message,
  approvers::text[] as approvers, status, due_at as "dueAt", on_timeout as "onTimeout", escalated_at as "escalatedAt", decided_by::text as "decidedBy", decided_how as "decidedHow",
  comment, decided_at as "decidedAt", created_at as "createdAt"`;

const iso = (value: unknown) => (value === null || value === undefined ? null : new Date(value as string).toISOString());
function toRequest(row: Record<string, unknown>): ApprovalRequest {
  const approvers = row.approvers;
  return {
    ...(row as unknown as ApprovalRequest),
    approvers: Array.isArray(approvers) ? (approvers as string[]) : String(approvers).replace(/^\{|\}$/g, "").split(",").filter(Boolean),
    dueAt: iso(row.dueAt),
    escalatedAt: iso(row.escalatedAt),
    decidedAt: iso(row.decidedAt),
    createdAt: iso(row.createdAt)!,
  };
}

/** Why a decision was refused. */
export type DecideRefusal = "not-found" | "already-decided";

/**
 * Approval requests: `request` stores one (and notifies the approvers in-app) in the caller's
 * transaction; approvers list what waits for them and decide, with a comment; `expireDue` applies each
 * overdue request's timeout policy (approve, reject, or escalate: add people once and notify them).
 * Every decision runs the listeners in its transaction, so a workflow resumes exactly once.
 */
export function createApprovals(deps: { db: Database; notifications: Notifications }) {
  const listeners: DecisionListener[] = [];

  async function settle(tx: Queryable, id: string, status: "approved" | "rejected", how: "user" | "timeout", by: string | null, comment: string | null): Promise<ApprovalRequest> {
    const [row] = await tx.query(
      `update approval_requests set status = $2, decided_how = $3, decided_by = $4::uuid, comment = $5, decided_at = now() where id = $1::uuid returning ${COLUMNS}`,
      [id, status, how, by, comment],
    );
    const request = toRequest(row!);
    for (const listener of listeners) await listener(tx, request);
    return request;
  }

  return {
    onDecision(listener: DecisionListener): void {
      listeners.push(listener);
    },

    async request(tx: Queryable, input: NewApproval): Promise<ApprovalRequest> {
      const approvers = [...new Set(input.approvers.filter(isUuid))];
      if (approvers.length === 0) throw new Error("An approval needs at least one approver.");
      const inserted = await tx.query(
        `insert into approval_requests (run_id, step_id, workflow_id, entity_key, record_id, subject, message, approvers, due_at, on_timeout, escalate_to, dedupe_key)
         values ($1::uuid, $2, $3, $4, $5::uuid, $6, $7, $8::uuid[], $9::timestamptz, $10, $11::uuid[], $12)
         on conflict (dedupe_key) where dedupe_key is not null do nothing returning ${COLUMNS}`,
        [input.runId ?? null, input.stepId ?? null, input.workflowId ?? null, input.entity, input.recordId, input.subject, input.message ?? null, textArrayLiteral(approvers),
          input.dueAt?.toISOString() ?? null, input.onTimeout ?? null, input.escalateTo ? textArrayLiteral(input.escalateTo.filter(isUuid)) : null, input.dedupeKey ?? null],
      );
      if (inserted.length === 0) {
        const [existing] = await tx.query(`select ${COLUMNS} from approval_requests where dedupe_key = $1`, [input.dedupeKey]);
        return toRequest(existing!);
      }
      const request = toRequest(inserted[0]!);
      await deps.notifications.send(tx, { recipients: approvers, subject: `Approval needed: ${request.subject}`, body: request.message, link: { entity: request.entity, recordId: request.recordId }, source: { kind: "workflow", id: request.runId }, dedupeKey: `approval:${request.id}` });
      return request;
    },

    /** The request made under `dedupeKey` (a workflow step's idempotency key), read in `q`. */
    async byKey(q: Queryable, dedupeKey: string): Promise<ApprovalRequest | undefined> {
      const [row] = await q.query(`select ${COLUMNS} from approval_requests where dedupe_key = $1`, [dedupeKey]);
      return row ? toRequest(row) : undefined;
    },

    /** Requests waiting for `userId` (pending), or the ones they decided, newest first. */
    async forUser(userId: string, status: "pending" | "decided", limit: number): Promise<ApprovalRequest[]> {
      const rows = await deps.db.query(
        status === "pending"
          ? `select ${COLUMNS} from approval_requests where status = 'pending' and approvers @> array[$1::uuid] order by created_at desc, id limit $2`
          : `select ${COLUMNS} from approval_requests where decided_by = $1::uuid order by decided_at desc, id limit $2`,
        [userId, limit],
      );
      return rows.map(toRequest);
    },

    /** Requests about one record, newest first (for its page). */
    async forRecord(entity: string, recordId: string): Promise<ApprovalRequest[]> {
      if (!isUuid(recordId)) return [];
      return (await deps.db.query(`select ${COLUMNS} from approval_requests where entity_key = $1 and record_id = $2::uuid order by created_at desc limit 100`, [entity, recordId])).map(toRequest);
    },

    /** An approver's decision; refused when the request is not theirs to decide, or decided already. */
    async decide(userId: string, id: string, decision: Decision, comment: string | null): Promise<ApprovalRequest | DecideRefusal> {
      if (!isUuid(id)) return "not-found";
      return deps.db.transaction(async (tx) => {
        const [row] = await tx.query<{ status: string; approvers: unknown }>(`select status, approvers::text[] as approvers from approval_requests where id = $1::uuid and approvers @> array[$2::uuid] for update`, [id, userId]);
        if (!row) return "not-found";
        if (row.status !== "pending") return "already-decided";
        return settle(tx, id, decision === "approve" ? "approved" : "rejected", "user", userId, comment);
      });
    },

    /**
     * Apply the timeout policy of every pending request due at `now`: approve or reject it (decided by
     * `timeout`), or escalate once (add `escalateTo`, notify them, keep waiting with no deadline).
     * Safe to run in several processes at once. Resolves to how many requests it handled.
     */
    async expireDue(now: Date): Promise<number> {
      return deps.db.transaction(async (tx) => {
        const due = await tx.query<{ id: string; on_timeout: string | null; escalate_to: unknown; subject: string; entity_key: string; record_id: string; run_id: string | null; message: string | null }>(
          `select id::text as id, on_timeout, escalate_to::text[] as escalate_to, subject, entity_key, record_id::text as record_id, run_id::text as run_id, message
             from approval_requests where status = 'pending' and due_at <= $1::timestamptz and on_timeout is not null
             order by due_at limit 100 for update skip locked`,
          [now.toISOString()],
        );
        for (const request of due) {
          if (request.on_timeout === "approve" || request.on_timeout === "reject") {
            await settle(tx, request.id, request.on_timeout === "approve" ? "approved" : "rejected", "timeout", null, "Decided by the deadline.");
            continue;
          }
          const added = (Array.isArray(request.escalate_to) ? (request.escalate_to as string[]) : []).filter(isUuid);
          await tx.query(`update approval_requests set approvers = (select array(select distinct unnest(approvers || $2::uuid[]))), escalated_at = now(), due_at = null where id = $1::uuid`, [request.id, textArrayLiteral(added)]);
          await deps.notifications.send(tx, { recipients: added, subject: `Approval escalated to you: ${request.subject}`, body: request.message, link: { entity: request.entity_key, recordId: request.record_id }, source: { kind: "workflow", id: request.run_id }, dedupeKey: `approval:${request.id}:escalated` });
        }
        return due.length;
      });
    },

    /** Withdraw pending requests of a run (the run was cancelled). */
    async cancelForRun(tx: Queryable, runId: string): Promise<number> {
      return (await tx.query(`update approval_requests set status = 'cancelled', decided_at = now() where run_id = $1::uuid and status = 'pending' returning id`, [runId])).length;
    },
  };
}

export type Approvals = ReturnType<typeof createApprovals>;
