import { DAY_MS } from "./calendar.ts";

/** Wall-clock fields of an instant in some time zone. */
export interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  millisecond: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let format = formatters.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      era: "short",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
    });
    if (formatters.size > 200) formatters.clear();
    formatters.set(timeZone, format);
  }
  return format;
}

/**
 * Whether the runtime knows this IANA time zone (`Europe/Berlin`, `UTC`).
 * @example isTimeZone("Asia/Shanghai") // true
 */
export function isTimeZone(name: string): boolean {
  try {
    formatter(name);
    return true;
  } catch {
    return false;
  }
}

/** Milliseconds since the epoch of a wall clock read as UTC (years 0–99 included, unlike Date.UTC). */
export function wallMs(clock: WallClock): number {
  const date = new Date(0);
  date.setUTCFullYear(clock.year, clock.month - 1, clock.day);
  date.setUTCHours(clock.hour, clock.minute, clock.second, clock.millisecond);
  return date.getTime();
}

/**
 * The wall clock at instant `ms` in `timeZone`.
 * @example wallClock(0, "Asia/Shanghai") // { year: 1970, month: 1, day: 1, hour: 8, minute: 0, second: 0, millisecond: 0 }
 */
export function wallClock(ms: number, timeZone: string): WallClock {
  const fields: Record<string, number> = {};
  let beforeChrist = false;
  for (const part of formatter(timeZone).formatToParts(ms)) {
    if (part.type === "era") beforeChrist = part.value === "BC";
    else if (part.type !== "literal") fields[part.type] = Number(part.value);
  }
  return {
    // Year 0 (1 BC) is where 0001-01-01T00:00Z lies west of Greenwich.
    year: beforeChrist ? 1 - fields["year"]! : fields["year"]!,
    month: fields["month"]!,
    day: fields["day"]!,
    hour: fields["hour"]!,
    minute: fields["minute"]!,
    second: fields["second"]!,
    millisecond: ((ms % 1000) + 1000) % 1000,
  };
}

/** The zone's offset from UTC at instant `ms`, in milliseconds (+08:00 → 28 800 000). */
export function offsetAt(ms: number, timeZone: string): number {
  return wallMs(wallClock(ms, timeZone)) - ms;
}

/**
 * The instant a wall clock time names in `timeZone`. Around a daylight-saving change it decides
 * like Temporal's `compatible`: a time that occurs twice (autumn) is the earlier instant, a time
 * that does not exist (spring gap) is moved forward by the gap (02:30 → 03:30).
 * @example instantOf({ year: 2024, month: 3, day: 31, hour: 2, minute: 30, second: 0, millisecond: 0 }, "Europe/Berlin") // 2024-03-31T01:30:00Z
 */
export function instantOf(clock: WallClock, timeZone: string): number {
  const local = wallMs(clock);
  // At most one offset change lies within a day of any instant in real zone data.
  const before = offsetAt(local - DAY_MS, timeZone);
  const after = offsetAt(local + DAY_MS, timeZone);
  const candidates = [local - before, local - after].filter((t) => t + offsetAt(t, timeZone) === local);
  if (candidates.length > 0) return Math.min(...candidates);
  return local - before;
}
