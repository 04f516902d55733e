const NAMES: Record<string, number> = Object.fromEntries([
  ...["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"].map((name, i) => [name, i + 1] as const),
  ...["sun", "mon", "tue", "wed", "thu", "fri", "sat"].map((name, i) => [name, i] as const),
]);
/** [min, max] of minute, hour, day of month, month, day of week. */
const BOUNDS = [[0, 59], [0, 23], [1, 31], [1, 12], [0, 7]] as const;

function allowed(field: string, [min, max]: readonly [number, number]): Set<number> {
  const values = new Set<number>();
  const number = (text: string) => NAMES[text] ?? Number(text);
  for (const item of field.toLowerCase().split(",")) {
    const [range = "*", stepText] = item.split("/");
    const step = stepText === undefined ? 1 : Number(stepText);
    const [fromText = "", toText] = range.split("-");
    const from = range === "*" ? min : number(fromText);
    const to = range === "*" || (toText === undefined && stepText !== undefined) ? max : toText === undefined ? from : number(toText);
    for (let v = from; v <= to; v += step) values.add(v);
  }
  return values;
}

// Building a DateTimeFormat and parsing the fields cost far more than matching (~200 µs a call, a
// catch-up scans many minutes): both are kept, per time zone and per expression (few of either).
const CACHE_LIMIT = 500;
const formats = new Map<string, Intl.DateTimeFormat>();
const parsed = new Map<string, { fields: string[]; sets: Array<Set<number>> }>();

function remember<T>(cache: Map<string, T>, key: string, make: () => T): T {
  let value = cache.get(key);
  if (value === undefined) {
    if (cache.size >= CACHE_LIMIT) cache.clear();
    cache.set(key, (value = make()));
  }
  return value;
}

/** Minute, hour, day of month, month and day of week (0 Sunday) of `date` in `timeZone`. */
function partsIn(date: Date, timeZone: string): number[] {
  if (timeZone === "UTC") return [date.getUTCMinutes(), date.getUTCHours(), date.getUTCDate(), date.getUTCMonth() + 1, date.getUTCDay()];
  const format = remember(formats, timeZone, () => new Intl.DateTimeFormat("en-US", { timeZone, hourCycle: "h23", minute: "numeric", hour: "numeric", day: "numeric", month: "numeric", weekday: "short" }));
  const parts = format.formatToParts(date);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? "";
  return [Number(get("minute")), Number(get("hour")), Number(get("day")), Number(get("month")), NAMES[get("weekday").toLowerCase()] ?? 0];
}

/**
 * Whether a valid five-field cron expression (see `checkCron`) fires in the minute of `date`, read
 * in `timeZone` (IANA, default UTC). As in cron, when both day of month and day of week are
 * restricted, either may match; 7 is Sunday too.
 * @example cronMatches("0 3 * * mon-fri", new Date("2026-11-25T03:00:00Z")) // true (a Wednesday)
 */
export function cronMatches(expression: string, date: Date, timeZone = "UTC"): boolean {
  const { fields, sets } = remember(parsed, expression, () => {
    const fields = expression.trim().split(/\s+/);
    return { fields, sets: fields.map((field, i) => allowed(field, BOUNDS[i]!)) };
  });
  const [minute, hour, day, month, weekday] = partsIn(date, timeZone);
  if (!sets[0]!.has(minute!) || !sets[1]!.has(hour!) || !sets[3]!.has(month!)) return false;
  const dayOfMonth = sets[2]!.has(day!);
  const dayOfWeek = sets[4]!.has(weekday!) || (weekday === 0 && sets[4]!.has(7));
  const restricted = (i: number) => fields[i] !== "*" && !fields[i]!.startsWith("*/");
  if (restricted(2) && restricted(4)) return dayOfMonth || dayOfWeek;
  return dayOfMonth && dayOfWeek;
}
