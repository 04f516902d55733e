import { calendarDate, dayNumber, parseDay } from "../expression/calendar.ts";
import { instantOf, wallClock } from "../expression/time-zone.ts";
import type { WorkflowTrigger } from "./types.ts";

export type DateRelativeTrigger = Extract<WorkflowTrigger, { type: "dateRelative" }>;

const EXACT_MS = { minutes: 60_000, hours: 3_600_000 } as const;
const DAY_MS = 86_400_000;
/** How far a field value may lie from its moment beyond the nominal offset (zone offsets, a DST hour). */
const MARGIN_MS = 2 * DAY_MS;

/** Calendar days of a day or week offset, signed by the direction. */
function signedDays(trigger: DateRelativeTrigger): number {
  const days = trigger.offset.unit === "weeks" ? trigger.offset.amount * 7 : trigger.offset.amount;
  return trigger.direction === "after" ? days : -days;
}

/** Move an instant by whole local calendar days, keeping its wall-clock time in `timeZone`. */
function addLocalDays(ms: number, days: number, timeZone: string): number | undefined {
  const wall = wallClock(ms, timeZone);
  const day = dayNumber(wall);
  if (day === undefined) return undefined;
  return instantOf({ ...wall, ...calendarDate(day + days) }, timeZone);
}

/**
 * The instant a `dateRelative` trigger is due for a record whose field holds `value` (the API's JSON:
 * `YYYY-MM-DD` for a date, an ISO date-time), or undefined for an empty or unreadable value.
 *
 * - `minutes` and `hours` are elapsed time: 1 hour after 01:30 is 02:30 UTC+1 or 03:30 UTC+2, whatever
 *   the clock on the wall did in between.
 * - `days` and `weeks` are local calendar days in the trigger's `timeZone` (default UTC): the moment
 *   keeps the wall-clock time, so across a daylight-saving change "1 day after" is 23 or 25 hours. A
 *   wall time the change skips moves forward by the gap; one that occurs twice is the earlier instant.
 * - A date (no time) stands for the start of its day in the time zone.
 * @example
 * dueMoment({ type: "dateRelative", field: "dueAt", offset: { amount: 1, unit: "days" }, direction: "after", timeZone: "Europe/Berlin" }, "2026-03-28T09:00:00Z")
 * // 2026-03-29T08:00:00Z: 10:00 in Berlin on both days, 23 hours apart
 */
export function dueMoment(trigger: DateRelativeTrigger, value: unknown): number | undefined {
  if (typeof value !== "string") return undefined;
  const timeZone = trigger.timeZone ?? "UTC";
  const { unit, amount } = trigger.offset;
  const day = parseDay(value);
  let base: number;
  if (day !== undefined) {
    const days = unit === "minutes" || unit === "hours" ? 0 : signedDays(trigger);
    const target = day + days;
    base = instantOf({ ...calendarDate(target), hour: 0, minute: 0, second: 0, millisecond: 0 }, timeZone);
    if (days !== 0) return base;
  } else {
    base = Date.parse(value);
    if (!/^\d{4}-\d{2}-\d{2}T/.test(value) || Number.isNaN(base)) return undefined;
    if (unit === "days" || unit === "weeks") return addLocalDays(base, signedDays(trigger), timeZone);
  }
  const exact = amount * EXACT_MS[unit as keyof typeof EXACT_MS];
  return trigger.direction === "after" ? base + exact : base - exact;
}

/**
 * Field values (as instants) whose moment may fall in `(from, to]`: the window minus the offset,
 * widened by two days for zones and daylight-saving hours. Read candidates with it in SQL, then keep
 * those whose `dueMoment` really lies in the window.
 * @example dueFieldRange(oneHourAfter, t0, t1) // { after: t0 - 1h - 2d, upTo: t1 - 1h + 2d }
 */
export function dueFieldRange(trigger: DateRelativeTrigger, from: number, to: number): { after: number; upTo: number } {
  const { unit, amount } = trigger.offset;
  const nominal = unit === "minutes" || unit === "hours" ? amount * EXACT_MS[unit] : Math.abs(signedDays(trigger)) * DAY_MS;
  const signed = trigger.direction === "after" ? nominal : -nominal;
  return { after: from - signed - MARGIN_MS, upTo: to - signed + MARGIN_MS };
}
