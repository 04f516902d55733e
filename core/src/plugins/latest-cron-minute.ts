import { cronMatches } from "./cron-matches.ts";

const MINUTE_MS = 60_000;

/** How far back a missed schedule is looked for after downtime (plugin schedules and workflow schedules alike). */
export const CRON_CATCH_UP_MS = 7 * 86_400_000;

/**
 * The minute a cron schedule is due for at `minute` (epoch ms at a whole minute): that minute when it
 * fires then, else the latest minute after `since` in which it fired (downtime is caught up once,
 * however many minutes were missed, at most `lookBackMs` back), else undefined.
 * @example
 * latestCronMinute("0 3 * * *", "UTC", Date.parse("2026-01-01T03:00:00Z"), 0) // 2026-01-01T03:00Z: it fires now
 * latestCronMinute("0 3 * * *", "UTC", Date.parse("2026-01-01T05:00:00Z"), Date.parse("2026-01-01T01:00:00Z")) // 03:00, missed
 */
export function latestCronMinute(expression: string, timeZone: string, minute: number, since: number, lookBackMs = CRON_CATCH_UP_MS): number | undefined {
  const fires = (t: number) => cronMatches(expression, new Date(t), timeZone);
  if (fires(minute)) return minute;
  for (let t = minute - MINUTE_MS; t > Math.max(since, minute - lookBackMs); t -= MINUTE_MS) if (fires(t)) return t;
  return undefined;
}
