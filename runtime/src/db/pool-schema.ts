import { bigserial, index, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";

/**
 * Every claim of a record from an entity's pool: what the daily claim quota counts. Kept as a log
 * (a record returned to the pool and claimed again counts again). Re-exported by `system-schema.ts`.
 */
export const poolClaims = pgTable(
  "pool_claims",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    userId: uuid("user_id").notNull(),
    /** Stable entity id (survives a rename of the entity's key). */
    entityId: text("entity_id").notNull(),
    recordId: uuid("record_id").notNull(),
    claimedAt: timestamp("claimed_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("pool_claims_user_entity_at").on(t.userId, t.entityId, t.claimedAt)],
);
