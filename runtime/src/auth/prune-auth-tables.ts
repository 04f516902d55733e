import type { Queryable } from "../db/database.ts";

/** One sign-in attempt in this many also clears out stale rows (cheaper than a scheduler, enough to bound growth). */
export const PRUNE_ONE_IN = 50;

/**
 * Delete throttle counters nobody has touched for a day (and not locked), and sessions that ended more
 * than 30 days ago (kept that long for the admins' session history). Without this, a password spray
 * over random emails would grow `login_throttle` without bound.
 */
export async function pruneAuthTables(q: Queryable): Promise<void> {
  await q.query(`delete from login_throttle where updated_at < now() - interval '1 day' and (locked_until is null or locked_until < now())`);
  await q.query(`delete from sessions where expires_at < now() - interval '30 days' or revoked_at < now() - interval '30 days'`);
}
