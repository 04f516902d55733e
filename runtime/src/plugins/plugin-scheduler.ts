import { cronMatches } from "@crm/core";
import type { AccessService } from "../access/index.ts";
import type { Database } from "../db/database.ts";
import type { Logger } from "../logger.ts";
import type { Plugins } from "./create-plugins.ts";
import { pluginCaller } from "./plugin-caller.ts";

const TICK_MS = 15_000;

/**
 * Runs the enabled plugins' scheduled jobs: every tick looks at the current minute, and each job
 * whose cron fires then runs once across all processes (the first to claim the minute in
 * `plugin_schedule_runs`), acting for the administrator who installed the active version.
 */
export function createPluginScheduler(deps: { db: Database; logger: Logger; access: AccessService; plugins: () => Plugins }) {
  const { db, logger } = deps;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<number> | undefined;

  async function runDue(at: Date): Promise<number> {
    const minute = new Date(Math.floor(at.getTime() / 60_000) * 60_000);
    const plugins = deps.plugins();
    if (!plugins.all().some((plugin) => plugin.enabled && (plugin.manifest.schedules?.length ?? 0) > 0)) return 0;
    let ran = 0;
    for (const plugin of plugins.all()) {
      if (!plugin.enabled) continue;
      for (const schedule of plugin.manifest.schedules ?? []) {
        if (!cronMatches(schedule.cron, minute, schedule.timezone ?? "UTC")) continue;
        const claimed = await db.query(`insert into plugin_schedule_runs (plugin_id, name, minute) values ($1, $2, $3) on conflict do nothing returning plugin_id`, [plugin.id, schedule.name, minute.toISOString()]);
        if (claimed.length === 0) continue;
        const [installer] = await db.query<{ user_id: string | null }>(`select installed_by::text as user_id from plugin_versions where plugin_id = $1 and version = $2`, [plugin.id, plugin.version]);
        const caller = await pluginCaller({ db, access: deps.access }, plugin.id, installer?.user_id ?? null);
        const result = await plugins.run(plugin.id, { caller, call: { kind: "schedule", name: schedule.name, input: { schedule: schedule.name, userId: caller.userId, scheduledAt: minute.toISOString() } }, entity: null, recordIds: [] });
        if (result.outcome !== "ok") logger.warn({ plugin: plugin.id, schedule: schedule.name, outcome: result.outcome, error: result.error?.message }, "a scheduled plugin job failed");
        ran++;
      }
    }
    await db.query(`delete from plugin_schedule_runs where minute < $1`, [new Date(minute.getTime() - 86_400_000).toISOString()]);
    return ran;
  }

  /** Run what is due in the minute of `at` (once per minute across processes); answers how many jobs ran. */
  const tick = (at: Date = new Date()): Promise<number> => {
    const previous = running ?? Promise.resolve(0);
    const next = previous.catch(() => 0).then(() => runDue(at));
    running = next.finally(() => {
      if (running === next) running = undefined;
    }) as Promise<number>;
    return next;
  };

  return {
    tick,
    start(): void {
      timer = setInterval(() => {
        tick().catch((error: unknown) => logger.error({ err: error }, "running scheduled plugin jobs failed"));
      }, TICK_MS);
      timer.unref();
    },
    async stop(): Promise<void> {
      clearInterval(timer);
      await running?.catch(() => undefined);
    },
  };
}
