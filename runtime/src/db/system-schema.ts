import { sql } from "drizzle-orm";
import { integer, jsonb, pgTable, primaryKey, text, timestamp, uuid, uniqueIndex } from "drizzle-orm/pg-core";

/**
 * System tables. Entity tables live apart, in the `data` schema, built from metadata.
 * Change this file, then run `pnpm --filter @crm/runtime db:generate` to write the migration.
 */

/** The current definition of every entity, live or soft-deleted. */
export const entityDefinitions = pgTable(
  "entity_definitions",
  {
    id: text("id").primaryKey(),
    key: text("key").notNull(),
    version: integer("version").notNull(),
    definition: jsonb("definition").notNull(),
    /** `active`, or `deleted` while its table waits in the trash schema. */
    status: text("status").notNull().default("active"),
    /** Table name in the trash schema while deleted. */
    parkedTable: text("parked_table"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
    deletedAt: timestamp("deleted_at", { withTimezone: true }),
  },
  (t) => [uniqueIndex("entity_definitions_active_key_uq").on(t.key).where(sql`status = 'active'`)],
);

/** Every version an entity's definition ever had. */
export const entityDefinitionVersions = pgTable(
  "entity_definition_versions",
  {
    entityId: text("entity_id").notNull(),
    version: integer("version").notNull(),
    definition: jsonb("definition"),
    /** What made this version: create, update, delete, restore, restoreField, purgeField. */
    change: text("change").notNull(),
    planId: uuid("plan_id"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.entityId, t.version] })],
);

/** Every migration plan that was applied, with the steps the admin confirmed. */
export const migrationPlans = pgTable("migration_plans", {
  id: uuid("id").primaryKey().default(sql`gen_random_uuid()`),
  entityId: text("entity_id").notNull(),
  entityKey: text("entity_key").notNull(),
  fromVersion: integer("from_version"),
  toVersion: integer("to_version"),
  steps: jsonb("steps").notNull(),
  confirmed: jsonb("confirmed").notNull().default(sql`'[]'::jsonb`),
  impacts: jsonb("impacts").notNull().default(sql`'[]'::jsonb`),
  durationMs: integer("duration_ms").notNull(),
  appliedAt: timestamp("applied_at", { withTimezone: true }).notNull().defaultNow(),
});

/** Soft-deleted fields whose columns wait, renamed, for a purge or a restore. */
export const parkedFields = pgTable(
  "parked_fields",
  {
    entityId: text("entity_id").notNull(),
    fieldId: text("field_id").notNull(),
    field: jsonb("field").notNull(),
    columns: jsonb("columns").notNull(),
    parkedAt: timestamp("parked_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.entityId, t.fieldId] })],
);

/**
 * Idempotency keys of record creates: a retry with the same key replays the first response; the same
 * key with another body is refused; a duplicate while the first is still running gets 409.
 */
export const idempotencyKeys = pgTable(
  "idempotency_keys",
  {
    scope: text("scope").notNull(),
    key: text("key").notNull(),
    requestHash: text("request_hash").notNull(),
    /** `running` until the first request finishes, then `done`. */
    state: text("state").notNull(),
    status: integer("status"),
    response: jsonb("response"),
    headers: jsonb("headers"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.scope, t.key] })],
);
