import { sql } from "drizzle-orm";
import { boolean, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uuid, uniqueIndex } from "drizzle-orm/pg-core";

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

/** Webhook subscriptions: an admin's URL for some events of one entity (by key). */
export const webhooks = pgTable("webhooks", {
  id: uuid("id").primaryKey().default(sql`gen_random_uuid()`),
  entity: text("entity").notNull(),
  /** Any of `created`, `updated`, `deleted`. */
  events: text("events").array().notNull(),
  url: text("url").notNull(),
  /** HMAC-SHA256 key for `x-crm-signature`: 32 random bytes, base64url. */
  secret: text("secret").notNull(),
  description: text("description"),
  active: boolean("active").notNull().default(true),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
});

/** The webhook outbox: one row per webhook and record event, written in the record's own transaction. */
export const webhookDeliveries = pgTable(
  "webhook_deliveries",
  {
    id: uuid("id").primaryKey().default(sql`gen_random_uuid()`),
    webhookId: uuid("webhook_id")
      .notNull()
      .references(() => webhooks.id, { onDelete: "cascade" }),
    event: text("event").notNull(),
    entity: text("entity").notNull(),
    recordId: text("record_id").notNull(),
    payload: jsonb("payload").notNull(),
    /** `pending`, `delivered`, `failed` (retrying) or `dead` (gave up). */
    status: text("status").notNull().default("pending"),
    attempts: integer("attempts").notNull().default(0),
    /** When the next attempt is due; while an attempt runs, the end of its lease. */
    nextAttemptAt: timestamp("next_attempt_at", { withTimezone: true }).notNull().defaultNow(),
    lastStatusCode: integer("last_status_code"),
    lastError: text("last_error"),
    durationMs: integer("duration_ms"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    deliveredAt: timestamp("delivered_at", { withTimezone: true }),
  },
  (t) => [
    index("webhook_deliveries_due_idx").on(t.status, t.nextAttemptAt),
    index("webhook_deliveries_webhook_idx").on(t.webhookId, t.createdAt),
  ],
);

export * from "./identity-schema.ts";
export * from "./audit-schema.ts";
export * from "./plugin-schema.ts";
export * from "./pool-schema.ts";
export * from "./notification-schema.ts";
export * from "./assignment-schema.ts";
export * from "./approval-schema.ts";
export * from "./workflow-schema.ts";
export * from "./saved-view-schema.ts";
