import { bigint, bigserial, boolean, index, uniqueIndex, integer, jsonb, pgTable, primaryKey, real, text, timestamp, uuid } from "drizzle-orm/pg-core";

/**
 * Workflows: one row per stable id, the version new runs start on, and whether they start at all.
 * Re-exported by `system-schema.ts`, where drizzle-kit finds it.
 */
export const workflows = pgTable("workflows", {
  id: text("id").primaryKey(),
  currentVersion: integer("current_version").notNull(),
  enabled: boolean("enabled").notNull().default(false),
  /** Key of the triggering entity of the current version (what record writes look up). */
  entity: text("entity").notNull(),
  /** The HMAC key of an inbound webhook trigger (set by the admin API; shown once). */
  webhookSecret: text("webhook_secret"),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
});

/** Every version ever saved; a run keeps the version it started on. */
export const workflowVersions = pgTable(
  "workflow_versions",
  {
    workflowId: text("workflow_id").notNull(),
    version: integer("version").notNull(),
    definition: jsonb("definition").notNull(),
    /** The administrator who saved it: the identity the version acts as unless it declares `runAs`. */
    savedBy: uuid("saved_by"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.workflowId, t.version] })],
);

/** Record changes captured in the write's own transaction; the dispatcher turns them into runs. */
export const workflowOutbox = pgTable("workflow_outbox", {
  id: bigserial("id", { mode: "number" }).primaryKey(),
  entity: text("entity").notNull(),
  /** `created`, `updated` or `deleted`. */
  event: text("event").notNull(),
  recordId: uuid("record_id").notNull(),
  record: jsonb("record"),
  previous: jsonb("previous"),
  /** The run whose step made the change (null: a person or integration), and its trigger depth. */
  causedByRun: uuid("caused_by_run"),
  depth: integer("depth").notNull().default(0),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
});

/** One run of one workflow version: where it is (cursor), how it ended. */
export const workflowRuns = pgTable(
  "workflow_runs",
  {
    id: uuid("id").primaryKey(),
    workflowId: text("workflow_id").notNull(),
    version: integer("version").notNull(),
    /** `queued`, `running`, `retrying`, `waiting`, `succeeded`, `failed`, `cancelled`. */
    status: text("status").notNull(),
    /** The triggering event: type, entity, record before and after. */
    trigger: jsonb("trigger").notNull(),
    recordEntity: text("record_entity"),
    recordId: uuid("record_id"),
    /** The position: a stack of frames (core `Cursor`). */
    cursor: jsonb("cursor").notNull(),
    /** Failed attempts of the step at the cursor so far. */
    attempts: integer("attempts").notNull().default(0),
    /** How many workflow runs led to this one (0: a person's write). */
    depth: integer("depth").notNull().default(0),
    /** The outbox row it came from: one run per workflow and event, whoever dispatches it. */
    eventId: bigint("event_id", { mode: "number" }),
    /**
     * What started it besides a record write, once per workflow: `schedule:<minute>[:<record>]`,
     * `date:<record>:<moment>`, `webhook:<delivery id>`, `manual:<request>:<record>`.
     */
    triggerKey: text("trigger_key"),
    error: jsonb("error"),
    /** When the run may go on (a retry's backoff, a wait). */
    resumeAt: timestamp("resume_at", { withTimezone: true }),
    startedAt: timestamp("started_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
    finishedAt: timestamp("finished_at", { withTimezone: true }),
  },
  (t) => [
    index("workflow_runs_workflow_idx").on(t.workflowId, t.startedAt.desc()),
    index("workflow_runs_record_idx").on(t.recordEntity, t.recordId, t.startedAt.desc()),
    uniqueIndex("workflow_runs_event_uq").on(t.workflowId, t.eventId),
    uniqueIndex("workflow_runs_trigger_key_uq").on(t.workflowId, t.triggerKey),
    // Retention walks finished runs by age.
    index("workflow_runs_finished_idx").on(t.finishedAt),
  ],
);

/** Every attempt of every step: input, output, error, how long it took. */
export const workflowStepExecutions = pgTable(
  "workflow_step_executions",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    runId: uuid("run_id").notNull(),
    stepId: text("step_id").notNull(),
    /** JSON Pointer of the step in the run's version. */
    pointer: text("pointer").notNull(),
    stepType: text("step_type").notNull(),
    /** The record the step acted on. */
    recordId: uuid("record_id"),
    attempt: integer("attempt").notNull(),
    /** `succeeded` or `failed`. */
    status: text("status").notNull(),
    input: jsonb("input"),
    output: jsonb("output"),
    error: jsonb("error"),
    startedAt: timestamp("started_at", { withTimezone: true }).notNull().defaultNow(),
    durationMs: real("duration_ms").notNull(),
  },
  (t) => [index("workflow_step_executions_run_idx").on(t.runId, t.id)],
);

/**
 * Minutes of schedule and date-relative triggers: the first process to insert `(workflow, minute)`
 * scans it (once across processes); `cursor` is how far its paged scan of records got, `leased_until`
 * who may go on with it (another process, after a crash), `finished_at` when it is done.
 */
export const workflowTriggerClaims = pgTable(
  "workflow_trigger_claims",
  {
    workflowId: text("workflow_id").notNull(),
    minute: timestamp("minute", { withTimezone: true }).notNull(),
    version: integer("version").notNull(),
    /** date-relative: the window of moments is (from_minute, minute]. */
    fromMinute: timestamp("from_minute", { withTimezone: true }),
    /** The list cursor of the next page of records to read (null: the first). */
    cursor: text("cursor"),
    runs: integer("runs").notNull().default(0),
    leasedUntil: timestamp("leased_until", { withTimezone: true }),
    claimedAt: timestamp("claimed_at", { withTimezone: true }).notNull().defaultNow(),
    finishedAt: timestamp("finished_at", { withTimezone: true }),
  },
  (t) => [primaryKey({ columns: [t.workflowId, t.minute] })],
);
