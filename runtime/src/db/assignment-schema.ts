import { pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";

/**
 * Where each assignment rotation stands (one row per rotation, e.g. a workflow's assign step): the user
 * who got the last record. Locked while picking, so concurrent assignments take turns and a restart
 * goes on where it stopped. Re-exported by `system-schema.ts`.
 */
export const assignmentCursors = pgTable("assignment_cursors", {
  key: text("key").primaryKey(),
  lastUserId: uuid("last_user_id"),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
});
