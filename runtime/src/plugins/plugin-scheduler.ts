import type { PluginManifest } from "@crm/core";
import type { AccessService } from "../access/index.ts";
import type { Database } from "../db/database.ts";
import type { Logger } from "../logger.ts";
import { createDueMinutes } from "../services/due-minutes.ts";
import { createTicker } from "../services/create-ticker.ts";
import type { ActivePlugin, Plugins } from "./create-plugins.ts";
import { pluginCaller } from "./plugin-caller.ts";

type PluginSchedule = NonNullable<PluginManifest["schedules"]>[number];

const TICK_MS = 15_000;
const MINUTE_MS = 60_000;

/**
 * Runs the enabled plugins' scheduled jobs: every tick looks at the current minute, and each job
 * whose cron fires then runs once across all processes (the first to claim the minute in
 * `plugin_schedule_runs`), acting for the administrator who installed the active version.
 */
export function createPluginScheduler(deps: { db: Database; logger: Logger; access: AccessService; plugins: () => Plugins }) {
  const { db, logger } = deps;
  const dueMinutes = createDueMinutes();

  /**
   * The minute a schedule should run for at `minute` (see createDueMinutes). Without a run it counts
   * from the version's install.
   */
  async function dueMinute(plugin: ActivePlugin, schedule: PluginSchedule, minute: number): Promise<number | undefined> {
    return dueMinutes(`${plugin.id}\u0000${plugin.version}\u0000${schedule.name}`, schedule.cron, schedule.timezone ?? "UTC", minute, async () => {
      const [row] = await db.query<{ last: string | Date | null; installed: string | Date | null }>(
        `select (select max(minute) from plugin_schedule_runs where plugin_id = $1 and name = $2) as last, (select installed_at from plugin_versions where plugin_id = $1 and version = $3) as installed`,
        [plugin.id, schedule.name, plugin.version],
      );
      const from = row?.last ?? row?.installed;
      return from ? new Date(from).getTime() : minute;
    });
  }

  async function runDue(at: Date): Promise<number> {
    const minute = Math.floor(at.getTime() / MINUTE_MS) * MINUTE_MS;
    const plugins = deps.plugins();
    if (!plugins.all().some((plugin) => plugin.enabled && (plugin.manifest.schedules?.length ?? 0) > 0)) return 0;
    let ran = 0;
    for (const plugin of plugins.all()) {
      if (!plugin.enabled) continue;
      for (const schedule of plugin.manifest.schedules ?? []) {
        const due = await dueMinute(plugin, schedule, minute);
        if (due === undefined) continue;
        const scheduledAt = new Date(due).toISOString();
        // Claimed once across processes, and never for a minute older than one that already ran.
        const claimed = await db.query(
          `insert into plugin_schedule_runs (plugin_id, name, minute) select $1::text, $2::text, $3::timestamptz
           where not exists (select 1 from plugin_schedule_runs where plugin_id = $1 and name = $2 and minute >= $3::timestamptz)
           on conflict do nothing returning plugin_id`,
          [plugin.id, schedule.name, scheduledAt],
        );
        if (claimed.length === 0) continue;
        const [installer] = await db.query<{ user_id: string | null }>(`select installed_by::text as user_id from plugin_versions where plugin_id = $1 and version = $2`, [plugin.id, plugin.version]);
        const caller = await pluginCaller({ db, access: deps.access }, plugin.id, installer?.user_id ?? null);
        const result = await plugins.run(plugin.id, { caller, call: { kind: "schedule", name: schedule.name, input: { schedule: schedule.name, userId: caller.userId, scheduledAt } }, entity: null, recordIds: [] });
        if (result.outcome !== "ok") logger.warn({ plugin: plugin.id, schedule: schedule.name, outcome: result.outcome, error: result.error?.message }, "a scheduled plugin job failed");
        ran++;
      }
    }
    // A day of claims is kept, and always each schedule's latest: a catch-up counts from it.
    await db.query(
      `delete from plugin_schedule_runs r where minute < $1 and exists (select 1 from plugin_schedule_runs n where n.plugin_id = r.plugin_id and n.name = r.name and n.minute > r.minute)`,
      [new Date(minute - 86_400_000).toISOString()],
    );
    return ran;
  }

  return createTicker({ logger, everyMs: TICK_MS, what: "running scheduled plugin jobs", run: (at = new Date()) => runDue(at) });
}
