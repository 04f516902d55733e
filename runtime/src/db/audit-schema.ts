import { sql } from "drizzle-orm";
import { bigserial, check, index, jsonb, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";

/**
 * The record history: one row per audited create, update and delete, written in the change's own
 * transaction. Re-exported by `system-schema.ts`, where drizzle-kit finds it. No foreign keys: entries
 * outlive deleted records, purged entities and removed users.
 */
export const recordHistory = pgTable(
  "record_history",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    at: timestamp("at", { withTimezone: true }).notNull().defaultNow(),
    /** The entity's stable id (its key may be renamed), and its key at the time. */
    entityId: text("entity_id").notNull(),
    entityKey: text("entity_key").notNull(),
    recordId: uuid("record_id").notNull(),
    action: text("action").notNull(),
    /** `user`, `token`, `workflow`, `plugin`, `import` or `system`. */
    actorKind: text("actor_kind").notNull(),
    /** The user, token, workflow run, plugin or import batch id; null for the system. */
    actorId: text("actor_id"),
    /** The user the actor acted for, if any. */
    actorUserId: uuid("actor_user_id"),
    requestId: text("request_id"),
    /** `{ <field id>: { old, new } }`; secret values already redacted. */
    changes: jsonb("changes").notNull(),
  },
  (t) => [
    check("record_history_action_ck", sql`${t.action} in ('create', 'update', 'delete')`),
    index("record_history_record_idx").on(t.entityId, t.recordId, t.id.desc()),
  ],
);
