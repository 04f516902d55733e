export interface GradingSettings {
  aFrom?: number;
  bFrom?: number;
  months?: number;
  currency?: string;
}

export type Grade = "a" | "b" | "c";

/**
 * The grade a revenue earns.
 * @example gradeOf(25_000, {}) // "b"
 */
export function gradeOf(revenue: number, settings: GradingSettings): Grade {
  if (revenue >= (settings.aFrom ?? 100_000)) return "a";
  return revenue >= (settings.bFrom ?? 20_000) ? "b" : "c";
}

/**
 * The start of the revenue window (ISO date-time), or undefined for all time.
 * @example windowStart(Date.UTC(2025, 5, 15), 12) // "2024-06-15T00:00:00.000Z"
 */
export function windowStart(now: number, months: number | undefined): string | undefined {
  const span = months ?? 12;
  if (span === 0) return undefined;
  const start = new Date(now);
  start.setUTCMonth(start.getUTCMonth() - span);
  return start.toISOString();
}
