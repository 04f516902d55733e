import { addMonthsToDate, calendarDate, dayNumber, DAY_MS, isDayInRange, isoWeekday, parseDay, type CalendarDate } from "../calendar.ts";
import { Decimal } from "../decimal.ts";
import { clockOf, EVALUATION_LIMITS, timeZoneOf, wholeNumber, type At } from "../evaluation-state.ts";
import { fault } from "../evaluation-error.ts";
import { T, type ExpressionType } from "../expression-type.ts";
import { shiftDate } from "../operators/arithmetic.ts";
import { parseInstant } from "../temporal-text.ts";
import { instantOf, wallClock, wallMs } from "../time-zone.ts";
import { Instant, PlainDate, type Value } from "../values.ts";
import { defineFunction, sameAsFirst, type FunctionSpec } from "./function-spec.ts";

/** An instant within years 1–9999. */
export function checkedInstant(ms: number, at: At): Instant {
  if (!Number.isFinite(ms) || !isDayInRange(Math.floor(ms / DAY_MS))) fault("OUT_OF_RANGE", "the date-time falls outside the years 1–9999", at.span);
  return new Instant(ms);
}

/**
 * The calendar day of a date, or of a date-time in the context's time zone. Near the ends of the
 * range the local day may fall outside years 1–9999 (9999-12-31T23:00Z is already year 10000 in
 * Shanghai); it is still a day number, and only making a date of it is refused.
 */
function dayOf(value: Value, at: At): number {
  if (value instanceof PlainDate) return value.days;
  return Math.floor(wallMs(wallClock((value as Instant).ms, timeZoneOf(at))) / DAY_MS);
}

/** A date of a day number, within years 1–9999. */
function checkedDate(days: number, at: At): PlainDate {
  if (!isDayInRange(days)) fault("OUT_OF_RANGE", "the date falls outside the years 1–9999", at.span);
  return new PlainDate(days);
}

/** Move a date-time to another calendar day at the same wall-clock time in the context's zone (DST-safe). */
function moveInstant(instant: Instant, move: (date: CalendarDate) => CalendarDate | undefined, at: At): Instant {
  const zone = timeZoneOf(at);
  const clock = wallClock(instant.ms, zone);
  const date = move(clock);
  if (!date) fault("OUT_OF_RANGE", "the date-time falls outside the years 1–9999", at.span);
  return checkedInstant(instantOf({ ...clock, ...date }, zone), at);
}

function addDays(value: Value, days: number, at: At): Value {
  if (value instanceof PlainDate) return shiftDate(value, days, at);
  return moveInstant(value as Instant, (date) => {
    const day = Math.floor(wallMs({ ...date, hour: 0, minute: 0, second: 0, millisecond: 0 }) / DAY_MS) + days;
    return isDayInRange(day) ? calendarDate(day) : undefined;
  }, at);
}

function addMonths(value: Value, months: number, at: At): Value {
  if (value instanceof PlainDate) {
    const date = addMonthsToDate(calendarDate(value.days), months);
    if (!date) fault("OUT_OF_RANGE", "the date falls outside the years 1–9999", at.span);
    return new PlainDate(dayNumber(date)!);
  }
  return moveInstant(value as Instant, (date) => addMonthsToDate(date, months), at);
}

const adder = (name: string, unit: string, apply: (value: Value, n: number, at: At) => Value, description: string): FunctionSpec =>
  defineFunction({
    name,
    category: "date",
    signature: `${name}(date | datetime, ${unit}) → same`,
    description,
    params: [{ name: "date", type: "temporal" }, { name: unit, type: "number" }],
    returns: sameAsFirst(T.date),
    evaluate: ([value, n], at) => apply(value!, wholeNumber(n as Decimal, `the ${unit}`, at, 4_000_000), at),
  });

const exact = (name: string, unit: string, ms: number): FunctionSpec =>
  defineFunction({
    name,
    category: "date",
    signature: `${name}(datetime, ${unit}) → datetime`,
    description: `Adds ${unit} (whole, may be negative) as elapsed time.`,
    params: [{ name: "datetime", type: "datetime" }, { name: unit, type: "number" }],
    returns: T.datetime,
    evaluate: ([value, n], at) => checkedInstant((value as Instant).ms + wholeNumber(n as Decimal, `the ${unit}`, at, 100_000_000) * ms, at),
  });

const part = (name: string, type: "temporal" | "datetime", read: (value: Value, at: At) => number, description: string): FunctionSpec =>
  defineFunction({
    name,
    category: "date",
    signature: `${name}(${type === "temporal" ? "date | datetime" : "datetime"}) → number`,
    description,
    params: [{ name: type === "temporal" ? "date" : "datetime", type }],
    returns: T.number,
    evaluate: ([value], at) => Decimal.of(BigInt(read(value!, at))),
  });

const between = (name: string, unit: string, ms: number): FunctionSpec =>
  defineFunction({
    name,
    category: "date",
    signature: `${name}(from: datetime, to: datetime) → number`,
    description: `Elapsed ${unit} from \`from\` to \`to\` (negative when \`to\` is earlier), with decimals.`,
    params: [{ name: "from", type: "datetime" }, { name: "to", type: "datetime" }],
    returns: T.number,
    evaluate: ([from, to]) => Decimal.of(BigInt((to as Instant).ms - (from as Instant).ms)).dividedBy(Decimal.of(BigInt(ms)), EVALUATION_LIMITS.divisionScale),
  });

/** dateValue/datetimeValue take text, dates and date-times. */
const convertsTo = (type: ExpressionType, name: string) => (args: readonly ExpressionType[]) =>
  ["text", "select", "date", "datetime", "null", "invalid"].includes(args[0]!.kind) ? type : `${name}() takes text, a date or a date-time`;

export const DATE_FUNCTIONS: readonly FunctionSpec[] = [
  defineFunction({
    name: "today",
    category: "date",
    signature: "today() → date",
    description: "The current date in the context's time zone.",
    params: [],
    returns: T.date,
    clock: true,
    evaluate: (_, at) => checkedDate(dayOf(new Instant(clockOf(at)), at), at),
  }),
  defineFunction({
    name: "now",
    category: "date",
    signature: "now() → datetime",
    description: "The current instant (the context's clock).",
    params: [],
    returns: T.datetime,
    clock: true,
    evaluate: (_, at) => checkedInstant(clockOf(at), at),
  }),
  defineFunction({
    name: "date",
    category: "date",
    signature: "date(year, month, day) → date",
    description: "The date with these numbers; an impossible date (Feb 30) is an error.",
    params: [{ name: "year", type: "number" }, { name: "month", type: "number" }, { name: "day", type: "number" }],
    returns: T.date,
    evaluate: ([y, m, d], at) => {
      const [year, month, day] = [y, m, d].map((n) => (n as Decimal).toSafeInteger() ?? NaN) as [number, number, number];
      const days = dayNumber({ year, month, day });
      if (days === undefined) fault("INVALID_ARGUMENT", `there is no date ${[y, m, d].map(String).join("-")}`, at.span);
      return new PlainDate(days);
    },
  }),
  defineFunction({
    name: "dateValue",
    category: "date",
    signature: "dateValue(text | datetime) → date",
    description: "The date of `YYYY-MM-DD` or date-time text, or of a date-time in the context's time zone.",
    params: [{ name: "value", type: "scalar" }],
    returns: convertsTo(T.date, "dateValue"),
    evaluate: ([value], at) => {
      if (typeof value !== "string") return checkedDate(dayOf(value!, at), at);
      const day = parseDay(value) ?? maybeInstantDay(value, at);
      if (day === undefined) fault("INVALID_ARGUMENT", `${JSON.stringify(value)} is not a date (expected YYYY-MM-DD)`, at.span);
      return checkedDate(day, at);
    },
  }),
  defineFunction({
    name: "datetimeValue",
    category: "date",
    signature: "datetimeValue(text | date) → datetime",
    description: "The instant of ISO date-time text (without an offset: in the context's time zone), or midnight of a date in that zone.",
    params: [{ name: "value", type: "scalar" }],
    returns: convertsTo(T.datetime, "datetimeValue"),
    evaluate: ([value], at) => {
      if (value instanceof Instant) return value;
      if (value instanceof PlainDate) return checkedInstant(instantOf({ ...calendarDate(value.days), hour: 0, minute: 0, second: 0, millisecond: 0 }, timeZoneOf(at)), at);
      const text = value as string;
      const ms = parseInstant(text, /[zZ]|[+-]\d{2}:?\d{2}$/.test(text) ? undefined : timeZoneOf(at));
      if (ms === undefined) fault("INVALID_ARGUMENT", `${JSON.stringify(text)} is not an ISO 8601 date-time`, at.span);
      return checkedInstant(ms, at);
    },
  }),
  adder("addDays", "days", addDays, "Adds calendar days; a date-time keeps its wall-clock time in the context's time zone, across daylight-saving changes."),
  adder("addMonths", "months", addMonths, "Adds calendar months; the day is clamped to the month's end (Jan 31 + 1 month = Feb 28 or 29)."),
  adder("addYears", "years", (value, n, at) => addMonths(value, n * 12, at), "Adds calendar years (Feb 29 + 1 year = Feb 28)."),
  exact("addHours", "hours", 3_600_000),
  exact("addMinutes", "minutes", 60_000),
  defineFunction({
    name: "daysBetween",
    category: "date",
    signature: "daysBetween(from: date | datetime, to: date | datetime) → number",
    description: "Calendar days from `from` to `to` (negative when `to` is earlier); date-times count by their date in the context's time zone.",
    params: [{ name: "from", type: "temporal" }, { name: "to", type: "temporal" }],
    returns: T.number,
    evaluate: ([from, to], at) => Decimal.of(BigInt(dayOf(to!, at) - dayOf(from!, at))),
  }),
  between("hoursBetween", "hours", 3_600_000),
  between("minutesBetween", "minutes", 60_000),
  part("year", "temporal", (v, at) => calendarDate(dayOf(v, at)).year, "The year (of a date-time: in the context's time zone)."),
  part("month", "temporal", (v, at) => calendarDate(dayOf(v, at)).month, "The month, 1–12."),
  part("day", "temporal", (v, at) => calendarDate(dayOf(v, at)).day, "The day of the month, 1–31."),
  part("weekday", "temporal", (v, at) => isoWeekday(dayOf(v, at)), "The ISO weekday: 1 = Monday … 7 = Sunday."),
  part("hour", "datetime", (v, at) => wallClock((v as Instant).ms, timeZoneOf(at)).hour, "The hour, 0–23, in the context's time zone."),
  part("minute", "datetime", (v, at) => wallClock((v as Instant).ms, timeZoneOf(at)).minute, "The minute, 0–59."),
];

/** The date, in the context's time zone, of date-time text; undefined when it is not one. */
function maybeInstantDay(text: string, at: At): number | undefined {
  if (parseInstant(text, "UTC") === undefined) return undefined;
  const ms = parseInstant(text, timeZoneOf(at));
  return ms === undefined ? undefined : dayOf(new Instant(ms), at);
}
