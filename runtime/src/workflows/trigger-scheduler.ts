import { CRON_CATCH_UP_MS, dueFieldRange, dueMoment, type CompiledWorkflow, type DateRelativeTrigger, type WorkflowTrigger } from "@crm/core";
import type { AccessService } from "../access/index.ts";
import type { Database } from "../db/database.ts";
import type { Logger } from "../logger.ts";
import type { Caller } from "../services/caller.ts";
import { createTicker } from "../services/create-ticker.ts";
import { createDueMinutes } from "../services/due-minutes.ts";
import type { EntityRegistry } from "../services/entity-registry.ts";
import { createRecordReads } from "../services/record-reads.ts";
import { loadRelated, recordReader } from "./load-related.ts";
import type { Clock } from "./run-engine.ts";
import type { RecordJson } from "./step-context.ts";
import { dateRelativeRunKey, type TriggerDispatcher } from "./trigger-dispatcher.ts";
import { workflowCaller } from "./workflow-caller.ts";
import type { WorkflowStore } from "./workflow-store.ts";

const TICK_MS = 15_000;
const MINUTE_MS = 60_000;
/** Records read per statement of a scan, and pages one claim scans per tick before the next gets its turn. */
const PAGE = 200;
const PAGES_PER_TURN = 25;
/** Claims one tick works on; a process that stops mid-scan loses its lease after LEASE_SECONDS. */
const CLAIMS_PER_TICK = 50;
const LEASE_SECONDS = 120;

type TimedTrigger = Extract<WorkflowTrigger, { type: "schedule" | "dateRelative" }>;

interface ClaimRow {
  workflow_id: string;
  minute: Date | string;
  version: number;
  from_minute: Date | string | null;
  cursor: string | null;
}

const iso = (ms: number) => new Date(ms).toISOString();

/**
 * Starts the runs of schedule and date-relative triggers. Each tick (every 15 s, by the engine's
 * clock) claims, per enabled workflow, the minute due (a schedule: the minute its cron fires, or the
 * latest one missed since its last claim or its last save or enable, caught up once, at most a week back; a date-relative
 * trigger: every minute, whose window of moments reaches back to its previous claim) in
 * `workflow_trigger_claims`: the first process to insert `(workflow, minute)` owns it. Claims are
 * then scanned page by page (the list query as the workflow's identity, 200 records a statement, a
 * date-relative one filtered in SQL to field values near the window), each page's runs started in
 * one transaction with the claim's cursor, so a process that dies mid-scan leaves the rest to
 * another (its lease runs out). Runs are unique per workflow and trigger key (`schedule:<minute>:<record>`,
 * `date:<record>:<moment>`): a page scanned twice starts nothing twice.
 */
export function createTriggerScheduler(deps: { db: Database; logger: Logger; registry: EntityRegistry; access: AccessService; store: WorkflowStore; dispatcher: TriggerDispatcher; clock: Clock }) {
  const { db, logger } = deps;
  const dueMinutes = createDueMinutes();
  const reads = createRecordReads({ db, registry: deps.registry });

  async function timedWorkflows() {
    const rows = await db.query<{ id: string; version: number; changed_at: Date | string }>(`select id, current_version as version, updated_at as changed_at from workflows where enabled order by id`);
    const timed: Array<{ id: string; version: number; changedAt: number; trigger: TimedTrigger }> = [];
    for (const row of rows) {
      const trigger = await deps.store.version(row.id, row.version).then(
        (v) => v.compiled.definition.trigger,
        (error: unknown) => logger.warn({ workflow: row.id, err: error }, "a workflow version no longer compiles; its schedule is skipped"),
      );
      if (trigger?.type === "schedule" || trigger?.type === "dateRelative") timed.push({ id: row.id, version: row.version, changedAt: new Date(row.changed_at).getTime(), trigger });
    }
    return timed;
  }

  /** Claim `(workflow, minute)` unless it, or a later minute, is claimed already; a date-relative claim's window starts at the previous one. */
  async function claim(workflow: { id: string; version: number; trigger: TimedTrigger }, minute: number): Promise<boolean> {
    const windowed = workflow.trigger.type === "dateRelative";
    const rows = await db.query(
      `insert into workflow_trigger_claims (workflow_id, minute, version, from_minute)
       select $1::text, $2::timestamptz, $3::int, ${windowed ? "greatest((select max(minute) from workflow_trigger_claims where workflow_id = $1), $4::timestamptz)" : "null"}
       where not exists (select 1 from workflow_trigger_claims where workflow_id = $1 and minute >= $2::timestamptz)
       on conflict do nothing returning workflow_id`,
      windowed ? [workflow.id, iso(minute), workflow.version, iso(minute - CRON_CATCH_UP_MS)] : [workflow.id, iso(minute), workflow.version],
    );
    return rows.length > 0;
  }

  async function claimDue(minute: number): Promise<void> {
    for (const workflow of await timedWorkflows()) {
      const { trigger } = workflow;
      const due =
        trigger.type === "dateRelative"
          ? minute
          : await dueMinutes(`${workflow.id}@${workflow.version}`, trigger.cron, trigger.timeZone ?? "UTC", minute, async () => {
              const [row] = await db.query<{ last: Date | string | null }>(`select max(minute) as last from workflow_trigger_claims where workflow_id = $1`, [workflow.id]);
              // Not before its last save or enable: a workflow disabled over a night does not run that night's job when enabled.
              return Math.max(row?.last ? new Date(row.last).getTime() : -Infinity, workflow.changedAt);
            });
      if (due !== undefined) await claim(workflow, due);
    }
  }

  /** Open claims no live process holds, leased to this one. */
  async function leaseClaims(): Promise<ClaimRow[]> {
    return db.query<ClaimRow>(
      `update workflow_trigger_claims set leased_until = now() + make_interval(secs => $1)
        where (workflow_id, minute) in (
          select workflow_id, minute from workflow_trigger_claims
           where finished_at is null and (leased_until is null or leased_until < now()) order by minute limit $2 for update skip locked)
        returning workflow_id, minute, version, from_minute, cursor`,
      [LEASE_SECONDS, CLAIMS_PER_TICK],
    );
  }

  async function conditionHolds(compiled: CompiledWorkflow, record: RecordJson, caller: Caller, actAs: string): Promise<boolean> {
    const condition = compiled.expressions.get("/trigger/condition");
    if (!condition) return true;
    const lookup = condition.fields.some((f) => f.steps.length > 1) ? await loadRelated([condition], record, recordReader(reads, caller)) : undefined;
    const result = condition.evaluate(record, { now: deps.clock.now(), timeZone: "UTC", previous: null, variables: { userId: actAs, runId: "" }, ...(lookup ? { lookup } : {}) });
    if (!result.ok) logger.warn({ workflow: compiled.definition.id, record: record.id, error: result.error.message }, "a workflow trigger condition failed; the run was not started");
    return result.ok && result.value === true;
  }

  /** The list filters of a date-relative scan: field values whose moment may fall in (from, to]. */
  function windowFilters(compiled: CompiledWorkflow, trigger: DateRelativeTrigger, from: number, to: number): string[] {
    const range = dueFieldRange(trigger, from, to);
    const field = deps.registry.find(compiled.definition.entity)?.definition.fields.find((f) => f.key === trigger.field);
    const bound = (ms: number) => (field?.type === "date" ? iso(ms).slice(0, 10) : iso(ms));
    return [`${trigger.field}:gt:${bound(range.after)}`, `${trigger.field}:lte:${bound(range.upTo)}`];
  }

  /** Scan a leased claim for up to PAGES_PER_TURN pages; answers the runs started. */
  async function scan(row: ClaimRow): Promise<number> {
    const minute = new Date(row.minute).getTime();
    const { compiled, actAs } = await deps.store.version(row.workflow_id, row.version);
    const trigger = compiled.definition.trigger as TimedTrigger;
    const workflow = { id: row.workflow_id, version: row.version };
    const entity = compiled.definition.entity;
    const keep = async (runs: Array<{ record: RecordJson | null; key: string; at: string }>, cursor: string | null) =>
      db.transaction(async (tx) => {
        let started = 0;
        for (const run of runs) {
          const event = { type: trigger.type, entity, recordId: run.record?.id ?? null, record: run.record, at: run.at };
          if (await deps.dispatcher.startRun(tx, workflow, event, 0, null, run.key)) started++;
        }
        await tx.query(
          `update workflow_trigger_claims set cursor = $3, runs = runs + $4, finished_at = case when $5 then now() end, leased_until = case when $5 then null else now() + make_interval(secs => $6) end
            where workflow_id = $1 and minute = $2::timestamptz`,
          [row.workflow_id, iso(minute), cursor, started, cursor === null, LEASE_SECONDS],
        );
        return started;
      });
    if (!actAs) {
      logger.warn({ workflow: row.workflow_id }, "a timed workflow has no identity to act as (runAs, or the administrator who saved it); nothing started");
      return keep([], null);
    }
    // A schedule without a condition runs once, without a record.
    if (trigger.type === "schedule" && !trigger.condition) return keep([{ record: null, key: `schedule:${iso(minute)}`, at: iso(minute) }], null);
    const caller = await workflowCaller({ db, access: deps.access }, "trigger", actAs);
    const from = row.from_minute === null ? minute - CRON_CATCH_UP_MS : new Date(row.from_minute).getTime();
    let cursor = row.cursor;
    let started = 0;
    for (let page = 0; page < PAGES_PER_TURN; page++) {
      const params = new URLSearchParams({ limit: String(PAGE) });
      if (trigger.type === "dateRelative") for (const filter of windowFilters(compiled, trigger, from, minute)) params.append("filter", filter);
      if (cursor) params.set("cursor", cursor);
      const body = JSON.parse((await reads.list(entity, params, caller)).json) as { items: RecordJson[]; nextCursor: string | null };
      const runs: Array<{ record: RecordJson; key: string; at: string }> = [];
      for (const record of body.items) {
        const moment = trigger.type === "dateRelative" ? dueMoment(trigger, record[trigger.field]) : minute;
        if (moment === undefined || (trigger.type === "dateRelative" && (moment <= from || moment > minute))) continue;
        if (!(await conditionHolds(compiled, record, caller, actAs))) continue;
        runs.push({ record, key: trigger.type === "dateRelative" ? dateRelativeRunKey(record.id, moment) : `schedule:${iso(minute)}:${record.id}`, at: iso(moment) });
      }
      cursor = body.nextCursor;
      started += await keep(runs, cursor);
      if (cursor === null) return started;
    }
    // Another turn (this process's next tick, or another's) goes on from the cursor.
    await db.query(`update workflow_trigger_claims set leased_until = null where workflow_id = $1 and minute = $2::timestamptz`, [row.workflow_id, iso(minute)]);
    return started;
  }

  async function runDue(at: Date): Promise<number> {
    const minute = Math.floor(at.getTime() / MINUTE_MS) * MINUTE_MS;
    await claimDue(minute);
    let started = 0;
    for (const row of await leaseClaims()) {
      try {
        started += await scan(row);
      } catch (error) {
        // Tried again after the lease runs out; a claim still open after a day is dropped with the old ones.
        logger.error({ err: error, workflow: row.workflow_id, minute: row.minute }, "scanning a workflow trigger's records failed");
      }
    }
    // A day of claims is kept, and always each workflow's latest: a catch-up, and the next window, count from it.
    await db.query(
      `delete from workflow_trigger_claims r where minute < $1::timestamptz and exists (select 1 from workflow_trigger_claims n where n.workflow_id = r.workflow_id and n.minute > r.minute)`,
      [iso(minute - 86_400_000)],
    );
    return started;
  }

  /** `tick(at)`: claim and scan what is due at `at` (default: the engine's clock); answers the runs started. */
  return createTicker({ logger, everyMs: TICK_MS, what: "starting scheduled workflow runs", run: (at = deps.clock.now()) => runDue(at) });
}

export type TriggerScheduler = ReturnType<typeof createTriggerScheduler>;
