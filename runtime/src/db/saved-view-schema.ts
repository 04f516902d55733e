import { boolean, index, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";

/**
 * Saved list views: an entity's list as a user left it (columns, sort, filter, search, list or kanban).
 * Private to their owner unless `shared`, when every user who may read the entity sees them. Names are
 * unique per owner and entity. Re-exported by `system-schema.ts`.
 */
export const savedViews = pgTable(
  "saved_views",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    ownerId: uuid("owner_id").notNull(),
    entityKey: text("entity_key").notNull(),
    name: text("name").notNull(),
    shared: boolean("shared").notNull().default(false),
    /** `{ columns, sort, filter, q, mode }`: what the list API takes, in its own syntax. */
    state: jsonb("state").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex("saved_views_name_uq").on(t.ownerId, t.entityKey, t.name), index("saved_views_entity").on(t.entityKey, t.shared)],
);
