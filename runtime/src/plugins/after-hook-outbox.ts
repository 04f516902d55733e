import type { AccessService } from "../access/index.ts";
import type { Database } from "../db/database.ts";
import type { Logger } from "../logger.ts";
import { pluginCaller } from "./plugin-caller.ts";
import type { Plugins } from "./create-plugins.ts";
import { createDrainLoop } from "../services/create-drain-loop.ts";

const MAX_ATTEMPTS = 5;
const POLL_MS = 1_000;
const LEASE_SECONDS = 60;
const BATCH = 20;

interface Row {
  id: string | number;
  plugin_id: string;
  hook: string;
  entity: string;
  user_id: string | null;
  input: unknown;
  attempts: number;
}

/**
 * Delivers the after-hooks enqueued by writes: rows are leased (so several processes share the work),
 * run as the user who made the write, deleted on success, retried with backoff (2 s, 4 s, 8 s…) and
 * dropped after MAX_ATTEMPTS; every attempt is in the invocation log.
 */
export function createAfterHookOutbox(deps: { db: Database; logger: Logger; access: AccessService; plugins: () => Plugins }) {
  const { db, logger } = deps;
  async function deliver(row: Row): Promise<void> {
    const plugins = deps.plugins();
    const { input, roleIds } = (typeof row.input === "string" ? JSON.parse(row.input) : row.input) as { input: Record<string, unknown>; roleIds: string[] };
    let failure: string | undefined;
    if (!plugins.active(row.plugin_id)?.enabled) failure = "the plugin is not installed or not enabled";
    else {
      const caller = await pluginCaller(deps, row.plugin_id, row.user_id, roleIds);
      const result = await plugins.run(row.plugin_id, { caller, call: { kind: "hook", name: row.hook, input: input as never }, entity: row.entity, recordIds: typeof input.id === "string" ? [input.id] : [] });
      if (result.outcome !== "ok") failure = result.error?.message ?? result.outcome;
    }
    if (failure === undefined || row.attempts >= MAX_ATTEMPTS || !plugins.active(row.plugin_id)) {
      await db.query(`delete from plugin_outbox where id = $1`, [row.id]);
      if (failure !== undefined) logger.warn({ plugin: row.plugin_id, hook: row.hook, attempts: row.attempts, error: failure }, "an after-hook failed for good");
      return;
    }
    await db.query(`update plugin_outbox set next_attempt_at = now() + make_interval(secs => $2), last_error = $3 where id = $1`, [row.id, 2 ** row.attempts, failure.slice(0, 1000)]);
  }

  async function drainOnce(): Promise<boolean> {
    const rows = await db.query<Row>(
      `update plugin_outbox set attempts = attempts + 1, next_attempt_at = now() + make_interval(secs => ${LEASE_SECONDS})
       where id in (select id from plugin_outbox where next_attempt_at <= now() order by id limit ${BATCH} for update skip locked)
       returning id, plugin_id, hook, entity, user_id::text as user_id, input, attempts`,
    );
    for (const row of rows) await deliver(row).catch((error: unknown) => logger.error({ err: error, plugin: row.plugin_id }, "delivering an after-hook failed"));
    return rows.length === BATCH;
  }

  // With no plugin installed there is nothing to deliver: no query every second.
  return createDrainLoop({ logger, pollMs: POLL_MS, what: "the after-hook outbox", drainOnce, shouldPoll: () => deps.plugins().all().length > 0 });
}
