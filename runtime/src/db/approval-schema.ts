import { sql } from "drizzle-orm";
import { index, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";

/**
 * Approval requests (a workflow's approval step): who may decide, until when, what happens on
 * timeout, and the decision with its comment. Re-exported by `system-schema.ts`.
 */
export const approvalRequests = pgTable(
  "approval_requests",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    /** The workflow run and step waiting for the decision (null for requests made otherwise). */
    runId: uuid("run_id"),
    stepId: text("step_id"),
    workflowId: text("workflow_id"),
    entityKey: text("entity_key").notNull(),
    recordId: uuid("record_id").notNull(),
    subject: text("subject").notNull(),
    message: text("message"),
    /** Who may decide now (escalation adds people). */
    approvers: uuid("approvers").array().notNull(),
    /** `pending`, then `approved`, `rejected` or `cancelled`. */
    status: text("status").notNull().default("pending"),
    dueAt: timestamp("due_at", { withTimezone: true }),
    /** On timeout: `approve`, `reject` or `escalate` (to `escalateTo`); null waits for ever. */
    onTimeout: text("on_timeout"),
    escalateTo: uuid("escalate_to").array(),
    escalatedAt: timestamp("escalated_at", { withTimezone: true }),
    decidedBy: uuid("decided_by"),
    /** `user`, or `timeout` when the deadline decided. */
    decidedHow: text("decided_how"),
    comment: text("comment"),
    decidedAt: timestamp("decided_at", { withTimezone: true }),
    dedupeKey: text("dedupe_key"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("approval_requests_pending_due").on(t.status, t.dueAt),
    index("approval_requests_record").on(t.entityKey, t.recordId),
    index("approval_requests_approvers").using("gin", t.approvers),
    uniqueIndex("approval_requests_dedupe").on(t.dedupeKey).where(sql`${t.dedupeKey} is not null`),
  ],
);
