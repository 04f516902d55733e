import { sql } from "drizzle-orm";
import { bigserial, boolean, index, integer, jsonb, pgTable, primaryKey, real, text, timestamp, uuid } from "drizzle-orm/pg-core";

/**
 * Installed plugins: one row per plugin, the version that runs, whether it may run and its settings.
 * Re-exported by `system-schema.ts`, where drizzle-kit finds it.
 */
export const plugins = pgTable("plugins", {
  id: text("id").primaryKey(),
  activeVersion: text("active_version").notNull(),
  enabled: boolean("enabled").notNull().default(true),
  /** Why the plugin is disabled (an admin's reason or the circuit breaker's); null while enabled. */
  disabledReason: text("disabled_reason"),
  settings: jsonb("settings").notNull().default(sql`'{}'::jsonb`),
  installedAt: timestamp("installed_at", { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
});

/** Every version of a plugin ever installed (kept for rollback). */
export const pluginVersions = pgTable(
  "plugin_versions",
  {
    pluginId: text("plugin_id").notNull(),
    version: text("version").notNull(),
    manifest: jsonb("manifest").notNull(),
    code: text("code").notNull(),
    installedAt: timestamp("installed_at", { withTimezone: true }).notNull().defaultNow(),
    installedBy: uuid("installed_by"),
  },
  (t) => [primaryKey({ columns: [t.pluginId, t.version] })],
);

/** One row per invocation: what ran, for whom, how it ended and what it spent. */
export const pluginInvocations = pgTable(
  "plugin_invocations",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    pluginId: text("plugin_id").notNull(),
    version: text("version").notNull(),
    /** `hook`, `action` or `schedule`. */
    kind: text("kind").notNull(),
    name: text("name").notNull(),
    entity: text("entity"),
    recordIds: jsonb("record_ids").notNull().default(sql`'[]'::jsonb`),
    userId: uuid("user_id"),
    outcome: text("outcome").notNull(),
    error: jsonb("error"),
    durationMs: real("duration_ms").notNull(),
    cpuMs: real("cpu_ms").notNull(),
    usage: jsonb("usage").notNull(),
    /** What the plugin logged through `crm.log`. */
    logs: jsonb("logs").notNull().default(sql`'[]'::jsonb`),
    at: timestamp("at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("plugin_invocations_plugin_idx").on(t.pluginId, t.id.desc())],
);

/** After-hooks enqueued in a write's transaction, delivered after commit with retries. */
export const pluginOutbox = pgTable(
  "plugin_outbox",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    pluginId: text("plugin_id").notNull(),
    hook: text("hook").notNull(),
    entity: text("entity").notNull(),
    userId: uuid("user_id"),
    input: jsonb("input").notNull(),
    attempts: integer("attempts").notNull().default(0),
    nextAttemptAt: timestamp("next_attempt_at", { withTimezone: true }).notNull().defaultNow(),
    lastError: text("last_error"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("plugin_outbox_due_idx").on(t.nextAttemptAt)],
);

/** Which scheduled job ran for which minute: the first process to insert the row runs it. */
export const pluginScheduleRuns = pgTable(
  "plugin_schedule_runs",
  {
    pluginId: text("plugin_id").notNull(),
    name: text("name").notNull(),
    minute: timestamp("minute", { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.pluginId, t.name, t.minute] })],
);
