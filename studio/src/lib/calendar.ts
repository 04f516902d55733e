/** A month of the calendar view: the days shown (whole weeks from Monday) and the filter bounds. */
export interface MonthGrid {
  /** `YYYY-MM-DD` of each cell, 35 or 42 of them. */
  days: string[];
  /** First and last day of the month itself. */
  first: string;
  last: string;
}

const pad = (n: number) => String(n).padStart(2, "0");

/** A local date as `YYYY-MM-DD`. */
export function dayKey(date: Date): string {
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

/**
 * The weeks covering a month (Monday first), in the browser's time zone.
 * @example monthGrid(2026, 1).days[0] // "2026-01-26" (the Monday before February 1st)
 */
export function monthGrid(year: number, month: number): MonthGrid {
  const start = new Date(year, month, 1);
  const end = new Date(year, month + 1, 0);
  const offset = (start.getDay() + 6) % 7;
  const days: string[] = [];
  const cells = Math.ceil((offset + end.getDate()) / 7) * 7;
  for (let i = 0; i < cells; i++) days.push(dayKey(new Date(year, month, 1 - offset + i)));
  return { days, first: dayKey(start), last: dayKey(end) };
}

/**
 * The list filters of records whose `field` falls in the grid: dates compared as dates, date-times
 * from local midnight of the first cell to local midnight after the last, in UTC.
 */
export function rangeFilter(field: string, type: "date" | "datetime", grid: MonthGrid): string[] {
  const from = grid.days[0]!;
  const to = grid.days[grid.days.length - 1]!;
  if (type === "date") return [`${field}:gte:${from}`, `${field}:lte:${to}`];
  const [y, m, d] = to.split("-").map(Number) as [number, number, number];
  const [fy, fm, fd] = from.split("-").map(Number) as [number, number, number];
  return [`${field}:gte:${new Date(fy, fm - 1, fd).toISOString()}`, `${field}:lt:${new Date(y, m - 1, d + 1).toISOString()}`];
}

/** The local day a value falls on: a date as it is, a date-time in the browser's time zone. */
export function dayOf(value: unknown, type: "date" | "datetime"): string | undefined {
  if (typeof value !== "string" || value === "") return undefined;
  return type === "date" ? value.slice(0, 10) : dayKey(new Date(value));
}
