import type { Lead } from "@crm/plugin-sdk/crm";

export interface ScoringSettings {
  sourcePoints?: Partial<Record<NonNullable<Lead["source"]>, number>>;
  hotScore?: number;
  warmScore?: number;
  setRating?: boolean;
}

/** How engaged a lead is: activities logged on it and campaign responses. */
export interface Engagement {
  activities: number;
  responses: number;
}

export const DEFAULT_SOURCE_POINTS: Record<NonNullable<Lead["source"]>, number> = {
  referral: 30,
  partner: 25,
  event: 20,
  web: 15,
  advertisement: 10,
  cold_call: 5,
  other: 0,
};

/** Campaign member statuses that count as a response. */
export const RESPONDED = ["responded", "registered", "attended"] as const;

/**
 * A lead's score, 0-100: source (at most 40 with settings, 30 by default) + company size (up to
 * 30 by employees) + engagement (10 per activity, 15 per campaign response, at most 40), capped.
 * @example scoreLead({ source: "referral", employees: 300 }, { activities: 1, responses: 1 }) // 30 + 20 + 25 = 75
 */
export function scoreLead(lead: Pick<Lead, "source" | "employees">, engagement: Engagement, settings: ScoringSettings = {}): number {
  const source = lead.source == null ? 0 : (settings.sourcePoints?.[lead.source] ?? DEFAULT_SOURCE_POINTS[lead.source] ?? 0);
  const size = sizePoints(lead.employees ?? 0);
  const engaged = Math.min(40, engagement.activities * 10 + engagement.responses * 15);
  return Math.min(100, source + size + engaged);
}

function sizePoints(employees: number): number {
  if (employees >= 1000) return 30;
  if (employees >= 250) return 20;
  if (employees >= 50) return 10;
  return employees >= 1 ? 5 : 0;
}

/**
 * The rating a score earns.
 * @example ratingOf(72, {}) // "hot"
 */
export function ratingOf(score: number, settings: ScoringSettings): "hot" | "warm" | "cold" {
  if (score >= (settings.hotScore ?? 70)) return "hot";
  return score >= (settings.warmScore ?? 40) ? "warm" : "cold";
}
