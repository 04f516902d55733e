import type { DemoRandom } from "./demo-random.ts";

/** One generated record in record-JSON shape, with its pre-assigned id. */
export type DemoRecord = { id: string } & Record<string, unknown>;

export interface DemoContext {
  rng: DemoRandom;
  /** The fixed "now" of the demo, in epoch milliseconds; every date is relative to it. */
  base: number;
  /** Number of records for an entity at the requested scale. */
  count(baseCount: number): number;
}

export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;

export const isoDate = (ms: number): string => new Date(ms).toISOString().slice(0, 10);
export const isoDateTime = (ms: number): string => new Date(ms).toISOString();

/** A time `days` days from the base date, moved into office hours and rounded to a quarter hour. */
export function officeTime(ctx: DemoContext, days: number): number {
  const day = Math.floor((ctx.base + days * DAY) / DAY) * DAY;
  return day + ctx.rng.int(1, 10) * HOUR + ctx.rng.int(0, 3) * 15 * 60_000;
}

export const usd = (amount: number): { amount: number; currency: string } => ({
  amount: Math.round(amount * 100) / 100,
  currency: "USD",
});

/** Drop undefined values, so that absent fields are omitted rather than sent as null. */
export function record(fields: Record<string, unknown>): DemoRecord {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(fields)) if (value !== undefined) out[key] = value;
  return out as DemoRecord;
}

/** Group records by the id held in one of their manyToOne fields. */
export function groupBy(records: readonly DemoRecord[], field: string): Map<string, DemoRecord[]> {
  const groups = new Map<string, DemoRecord[]>();
  for (const r of records) {
    const key = r[field];
    if (typeof key !== "string") continue;
    const list = groups.get(key) ?? [];
    list.push(r);
    groups.set(key, list);
  }
  return groups;
}
