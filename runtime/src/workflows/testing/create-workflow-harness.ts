import type { WorkflowDefinition } from "@crm/core";
import { loadConfig } from "../../config.ts";
import { createLogger } from "../../logger.ts";
import { createRuntime, type Runtime } from "../../server.ts";
import { createCaller, type Caller } from "../../services/caller.ts";
import { createRecordReads } from "../../services/record-reads.ts";
import { createRecordWrites, parseRecordJson, type RecordJson } from "../../services/record-writes.ts";
import { createEffectRecorder, type HttpResponder, type RecordedEffect } from "../effect-recorder.ts";
import type { RunView, StepExecutionView } from "../run-log.ts";
import { createMemoryJobQueue } from "./memory-job-queue.ts";

export interface HarnessOptions {
  /** Where the virtual clock starts; default 2026-01-05T09:00:00Z. */
  now?: Date | string;
  /** Load the shipped CRM (entities and roles); default true. */
  seed?: boolean;
  /** How recorded HTTP steps are answered; default 200 `{}`. */
  respond?: HttpResponder;
  /** More configuration, as environment variables (e.g. `WORKFLOW_HTTP_ALLOWED_HOSTS`). */
  env?: Record<string, string>;
}

export type Duration = { minutes?: number; hours?: number; days?: number };

const ADMIN = { email: "harness-admin@example.test", password: "harness-admin-password" };
const ms = (d: Duration) => ((d.days ?? 0) * 24 * 60 + (d.hours ?? 0) * 60 + (d.minutes ?? 0)) * 60_000;

/**
 * The offline workflow test harness: the real runtime (engine, executors, record services, access
 * rules) on an in-memory PGlite, with a virtual clock, an in-memory job queue that runs only when
 * asked, and every step's side effects recorded (HTTP steps send nothing, email is only recorded).
 * Install a definition (or a plugin), write fixture records as fixture users, `settle()` or
 * `advance()` time, then read `actions()`: records created and updated, notifications, emails, HTTP
 * calls and approvals requested, each naming its run and step.
 * @example
 * const h = await createWorkflowHarness();
 * await h.install(definition);
 * const deal = await h.create("opportunity", { name: "Big", stage: "proposal" });
 * await h.update("opportunity", deal.id, { stage: "closed_won" });
 * await h.settle();
 * expect(h.actions().map((a) => a.kind)).toEqual(["recordCreated", "notification"]);
 */
export async function createWorkflowHarness(options: HarnessOptions = {}) {
  let now = new Date(options.now ?? "2026-01-05T09:00:00Z").getTime();
  const clock = { now: () => new Date(now) };
  const recorder = createEffectRecorder(options.respond ? { respond: options.respond } : {});
  const jobs = createMemoryJobQueue(clock);
  const config = loadConfig({ LOG_LEVEL: "silent", DATA_DIR: ":memory:", ADMIN_EMAIL: ADMIN.email, ADMIN_PASSWORD: ADMIN.password, ...options.env });
  const runtime: Runtime = await createRuntime(config, { logger: createLogger("silent"), seed: options.seed ?? true, workflows: { clock, jobs, recorder } });
  const { db, registry, access, workflows } = runtime;
  await jobs.work((runId) => workflows.engine.advance(runId));
  const [admin] = await db.query<{ id: string }>(`select id::text as id from users where lower(email) = lower($1)`, [ADMIN.email]);
  const adminId = admin!.id;
  const writes = createRecordWrites({ db, registry, events: workflows.events, hooks: runtime.plugins.hooks });
  const reads = createRecordReads({ db, registry });

  async function callerFor(userId: string): Promise<Caller> {
    const roleIds = (await db.query<{ id: string }>(`select role_id::text as id from user_roles where user_id = $1::uuid`, [userId])).map((r) => r.id);
    const subject = await access.subject({ kind: "token", tokenId: `harness:${userId}`, userId, roleIds });
    return createCaller({ subject, actor: { kind: "user", userId }, access: access.entity });
  }
  const as = (options?: { as?: string }) => callerFor(options?.as ?? adminId);

  /** Dispatch captured changes and run the jobs due now, until nothing is left to do. */
  async function settle(): Promise<void> {
    for (let round = 0; round < 100; round++) {
      await workflows.dispatcher.drainNow();
      if ((await jobs.runDue()) === 0) return;
    }
    throw new Error("The workflows did not settle within 100 rounds (a loop between workflows?).");
  }

  async function nextApprovalDeadline(): Promise<number | undefined> {
    const [row] = await db.query<{ due: string | Date | null }>(`select min(due_at) as due from approval_requests where status = 'pending' and on_timeout is not null`);
    return row?.due ? new Date(row.due).getTime() : undefined;
  }

  return {
    runtime,
    clock,
    adminId,

    /** A user with shipped roles by key (`sales_rep`, `sales_manager`…) and optionally a manager; answers the id. */
    async user(input: { name: string; email?: string; roles?: string[]; managerId?: string }): Promise<string> {
      const email = input.email ?? `${input.name.toLowerCase().replace(/[^a-z0-9]+/g, ".")}@example.test`;
      const [row] = await db.query<{ id: string }>(`insert into users (email, name, manager_id) values ($1, $2, $3::uuid) returning id::text as id`, [email, input.name, input.managerId ?? null]);
      for (const role of input.roles ?? []) {
        const added = await db.query(`insert into user_roles (user_id, role_id) select $1::uuid, id from roles where key = $2 returning role_id`, [row!.id, role]);
        if (added.length === 0) throw new Error(`There is no role "${role}".`);
      }
      await access.changed();
      return row!.id;
    },

    /** Save and enable a workflow definition, as the harness's administrator (its identity unless `runAs`). */
    async install(definition: WorkflowDefinition | Record<string, unknown>): Promise<void> {
      await workflows.store.create({ ...definition, enabled: true }, adminId);
      await workflows.reload();
    },

    /** Install a plugin bundle (`{ manifest, code, settings? }`), as the harness's administrator. */
    installPlugin: (bundle: { manifest: unknown; code: string; settings?: unknown }) => runtime.plugins.plugins.install(bundle, adminId),

    async create(entity: string, values: Record<string, unknown>, options?: { as?: string }): Promise<RecordJson> {
      const response = await writes.create(entity, values, await as(options));
      return (response.json !== undefined ? parseRecordJson(response.json) : response.body) as RecordJson;
    },
    async update(entity: string, id: string, changes: Record<string, unknown>, options?: { as?: string }): Promise<RecordJson> {
      return writes.update(entity, id, changes, await as(options));
    },
    async remove(entity: string, id: string, options?: { as?: string }): Promise<void> {
      await writes.remove(entity, id, await as(options));
    },
    /** A record as the administrator sees it now. */
    async get(entity: string, id: string): Promise<RecordJson> {
      return parseRecordJson((await reads.get(entity, id, new URLSearchParams(), await as())).json);
    },

    settle,

    /**
     * Move the virtual clock forward, running what falls due on the way in order: queued jobs (waits,
     * retries) and approval deadlines, each at its own time; then the trigger scheduler ticks once at
     * the target (schedules run for their latest due minute, as after downtime).
     */
    async advance(by: Duration): Promise<void> {
      const target = now + ms(by);
      await settle();
      for (;;) {
        const due = [jobs.nextAt(), await nextApprovalDeadline()].filter((t): t is number => t !== undefined && t <= target);
        if (due.length === 0) break;
        now = Math.max(now, Math.min(...due));
        await runtime.approvals.expireDue(clock.now());
        await settle();
      }
      now = target;
      await settle();
      // Schedule and date-relative triggers: one tick at the target (a schedule's latest due minute, every date-relative moment reached).
      await workflows.scheduler.tick(clock.now());
      await settle();
    },

    /** An approver's decision on a request (answers the refusal as text when it is not theirs or decided). */
    async decide(approvalId: string, userId: string, decision: "approve" | "reject", comment: string | null = null) {
      const result = await runtime.approvals.decide(userId, approvalId, decision, comment);
      await settle();
      return result;
    },

    /** Everything the workflows did so far, oldest first. */
    actions: (): RecordedEffect[] => recorder.all(),
    /** What they did since the last `take()`. */
    take: (): RecordedEffect[] => recorder.take(),

    /** Runs of a record (or all), newest first, each with its step executions. */
    async runs(recordId?: string): Promise<Array<RunView & { steps: StepExecutionView[] }>> {
      const list = await workflows.runs.list({ ...(recordId ? { recordId } : {}), limit: 500 });
      return Promise.all(list.map((run) => workflows.runs.get(run.id)));
    },

    close: () => runtime.close(),
  };
}

export type WorkflowHarness = Awaited<ReturnType<typeof createWorkflowHarness>>;
