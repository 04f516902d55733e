import { cronMatches, latestCronMinute } from "@crm/core";

/**
 * The minute each cron schedule is due for at a tick, for the plugin and the workflow schedulers:
 * the tick's minute when the cron fires then, else the latest minute it fired in since it was last
 * looked at (after downtime: once, however many were missed, at most a week back). A schedule this
 * process has not looked at yet counts from `since()` (its last claimed minute, or when it was set up).
 * @example const due = createDueMinutes(); await due("plugin@1/nightly", "0 3 * * *", "UTC", minute, loadSince)
 */
export function createDueMinutes() {
  /** Per schedule (and version): the last minute this process has looked at. */
  const looked = new Map<string, number>();
  return async function dueMinute(key: string, cron: string, timeZone: string, minute: number, since: () => Promise<number>): Promise<number | undefined> {
    let from = looked.get(key);
    looked.set(key, Math.max(from ?? -Infinity, minute));
    if (cronMatches(cron, new Date(minute), timeZone)) return minute;
    from ??= await since();
    return latestCronMinute(cron, timeZone, minute, from);
  };
}
