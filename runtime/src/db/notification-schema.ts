import { sql } from "drizzle-orm";
import { bigserial, index, integer, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";

/**
 * In-app notifications: one row per recipient, newest first in the user's inbox. `dedupeKey` makes a
 * retried sender (a workflow step run twice after a crash) notify once. Re-exported by `system-schema.ts`.
 */
export const notifications = pgTable(
  "notifications",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    userId: uuid("user_id").notNull(),
    subject: text("subject").notNull(),
    body: text("body"),
    /** The record it is about, if any: the studio links to it. */
    entityKey: text("entity_key"),
    recordId: uuid("record_id"),
    /** Who sent it: `workflow`, `plugin` or `system`, and their id (e.g. the workflow run). */
    sourceKind: text("source_kind").notNull(),
    sourceId: text("source_id"),
    dedupeKey: text("dedupe_key"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    readAt: timestamp("read_at", { withTimezone: true }),
  },
  (t) => [
    index("notifications_inbox").on(t.userId, t.createdAt, t.id),
    uniqueIndex("notifications_dedupe").on(t.userId, t.dedupeKey).where(sql`${t.dedupeKey} is not null`),
  ],
);

/**
 * Email to send, sent or recorded. Without SMTP configured (development) messages are `recorded`, never
 * sent, and administrators read them here. Same de-duplication as in-app notifications.
 */
export const emailOutbox = pgTable(
  "email_outbox",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    userId: uuid("user_id"),
    toAddress: text("to_address").notNull(),
    subject: text("subject").notNull(),
    body: text("body").notNull(),
    /** `pending` → `sent`, or `failed` after the last attempt; `recorded` in development mode. */
    status: text("status").notNull(),
    attempts: integer("attempts").notNull().default(0),
    nextAttemptAt: timestamp("next_attempt_at", { withTimezone: true }).notNull().defaultNow(),
    lastError: text("last_error"),
    sourceKind: text("source_kind").notNull(),
    sourceId: text("source_id"),
    dedupeKey: text("dedupe_key"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    sentAt: timestamp("sent_at", { withTimezone: true }),
  },
  (t) => [
    index("email_outbox_due").on(t.status, t.nextAttemptAt),
    uniqueIndex("email_outbox_dedupe").on(t.toAddress, t.dedupeKey).where(sql`${t.dedupeKey} is not null`),
  ],
);
