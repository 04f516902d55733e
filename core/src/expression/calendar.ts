/** Proleptic Gregorian calendar arithmetic on day numbers (days since 1970-01-01), with no Date quirks. */

const DAY_MS = 86_400_000;
/** Years a date may have: what `YYYY-MM-DD` and PostgreSQL `date` both hold without surprises. */
export const MIN_YEAR = 1;
export const MAX_YEAR = 9999;

export interface CalendarDate {
  year: number;
  month: number;
  day: number;
}

/** Days in `month` (1–12) of `year`. */
export function daysInMonth(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/**
 * The day number of a calendar date, or undefined when it does not exist (`2023-02-29`) or lies
 * outside years 1–9999.
 * @example dayNumber({ year: 1970, month: 1, day: 2 }) // 1
 */
export function dayNumber({ year, month, day }: CalendarDate): number | undefined {
  if (![year, month, day].every(Number.isInteger)) return undefined;
  if (year < MIN_YEAR || year > MAX_YEAR || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  // setUTCFullYear, not Date.UTC: Date.UTC maps years 0–99 to 1900–1999.
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  return Math.round(date.getTime() / DAY_MS);
}

/** The calendar date of a day number. @example calendarDate(0) // { year: 1970, month: 1, day: 1 } */
export function calendarDate(days: number): CalendarDate {
  const date = new Date(days * DAY_MS);
  return { year: date.getUTCFullYear(), month: date.getUTCMonth() + 1, day: date.getUTCDate() };
}

/** Whether a day number lies in years 1–9999. */
export function isDayInRange(days: number): boolean {
  return Number.isSafeInteger(days) && days >= FIRST_DAY && days <= LAST_DAY;
}

const FIRST_DAY = dayNumber({ year: MIN_YEAR, month: 1, day: 1 })!;
const LAST_DAY = dayNumber({ year: MAX_YEAR, month: 12, day: 31 })!;

/**
 * Add calendar months, keeping the day but clamping it to the month's last day (Jan 31 + 1 month =
 * Feb 28 or 29); undefined when the result leaves years 1–9999.
 * @example addMonthsToDate({ year: 2024, month: 1, day: 31 }, 1) // { year: 2024, month: 2, day: 29 }
 */
export function addMonthsToDate(date: CalendarDate, months: number): CalendarDate | undefined {
  const index = date.year * 12 + (date.month - 1) + months;
  if (!Number.isSafeInteger(index)) return undefined;
  const year = Math.floor(index / 12);
  const month = index - year * 12 + 1;
  if (year < MIN_YEAR || year > MAX_YEAR) return undefined;
  return { year, month, day: Math.min(date.day, daysInMonth(year, month)) };
}

/** ISO weekday: 1 = Monday … 7 = Sunday. @example isoWeekday(0) // 4 (1970-01-01 was a Thursday) */
export function isoWeekday(days: number): number {
  return ((((days + 3) % 7) + 7) % 7) + 1;
}

/** `YYYY-MM-DD` of a day number. */
export function formatDay(days: number): string {
  const { year, month, day } = calendarDate(days);
  return `${String(year).padStart(4, "0")}-${pad2(month)}-${pad2(day)}`;
}

/** The day number of `YYYY-MM-DD`, or undefined when the text is not an existing date. */
export function parseDay(text: string): number | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!match) return undefined;
  return dayNumber({ year: Number(match[1]), month: Number(match[2]), day: Number(match[3]) });
}

export function pad2(n: number): string {
  return String(n).padStart(2, "0");
}

export { DAY_MS };
