import type { Queryable } from "../db/database.ts";

/** How much plugin history is kept. */
export interface PluginRetention {
  /** Invocation rows older than this many days go. */
  invocationDays: number;
  /** At most this many invocation rows per installed plugin (its newest). */
  invocationsPerPlugin: number;
  /** Stored versions per plugin (its newest, by install time) besides the active one. */
  versionsPerPlugin: number;
}

export const DEFAULT_PLUGIN_RETENTION: Readonly<PluginRetention> = Object.freeze({ invocationDays: 30, invocationsPerPlugin: 10_000, versionsPerPlugin: 10 });

/** Rows deleted per statement: a long backlog goes in short transactions. */
const BATCH = 5000;
const DAY_MS = 86_400_000;

/** Delete the invocation rows `where` selects (with `id` order), BATCH at a time; answers how many. */
async function deleteInBatches(db: Queryable, where: string, params: unknown[]): Promise<number> {
  let total = 0;
  for (;;) {
    const [row] = await db.query<{ n: number }>(
      `with gone as (delete from plugin_invocations where id in (select id from plugin_invocations where ${where} order by id limit ${BATCH}) returning 1) select count(*)::int as n from gone`,
      params,
    );
    total += Number(row?.n ?? 0);
    if (Number(row?.n ?? 0) < BATCH) return total;
  }
}

/**
 * Keep the plugin tables bounded: invocation rows older than the retention, and past each installed
 * plugin's newest `invocationsPerPlugin`, are deleted; so are stored versions past each plugin's
 * newest `versionsPerPlugin` (never the active one). Ids grow with time, so the age cut is an id
 * found on the primary key (the first row young enough), and each plugin's cut walks its own index.
 * @example await prunePluginTables(db, DEFAULT_PLUGIN_RETENTION, new Date()) // { invocations: 120, versions: 0 }
 */
export async function prunePluginTables(db: Queryable, retention: PluginRetention, now: Date): Promise<{ invocations: number; versions: number }> {
  let invocations = 0;
  const cutoff = new Date(now.getTime() - retention.invocationDays * DAY_MS).toISOString();
  const [oldest] = await db.query<{ at: string | Date }>(`select at from plugin_invocations order by id limit 1`);
  if (oldest && new Date(oldest.at).getTime() < Date.parse(cutoff)) {
    // Aliased apart from `id`: "order by id" would otherwise sort the text.
    const [young] = await db.query<{ cut: string }>(`select id::text as cut from plugin_invocations where at >= $1 order by id limit 1`, [cutoff]);
    invocations += young ? await deleteInBatches(db, `id < $1::bigint`, [young.cut]) : await deleteInBatches(db, `true`, []);
  }
  const plugins = await db.query<{ id: string; active_version: string }>(`select id, active_version from plugins order by id`);
  for (const plugin of plugins) {
    const [last] = await db.query<{ cut: string }>(`select id::text as cut from plugin_invocations where plugin_id = $1 order by id desc offset $2 limit 1`, [plugin.id, retention.invocationsPerPlugin]);
    if (last) invocations += await deleteInBatches(db, `plugin_id = $1 and id <= $2::bigint`, [plugin.id, last.cut]);
  }
  let versions = 0;
  for (const plugin of plugins) {
    const gone = await db.query(
      `delete from plugin_versions where plugin_id = $1 and version <> $2
         and version not in (select version from plugin_versions where plugin_id = $1 order by installed_at desc, version desc limit $3)
       returning version`,
      [plugin.id, plugin.active_version, retention.versionsPerPlugin],
    );
    versions += gone.length;
  }
  return { invocations, versions };
}
