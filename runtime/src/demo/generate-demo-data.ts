import { groupBy, isoDateTime, officeTime, usd, type DemoContext, type DemoRecord } from "./demo-context.ts";
import { generateAccounts, generateCampaigns, generateContacts, generateProducts } from "./demo-customers.ts";
import { createDemoRandom } from "./demo-random.ts";
import { generateCampaignMembers, generateLeads, generateOpportunities } from "./demo-sales.ts";
import { generateActivities, generateCases } from "./demo-service.ts";

export type { DemoRecord } from "./demo-context.ts";

export interface DemoDataOptions {
  /** PRNG seed; same seed, same data. Default 20260101. */
  seed?: number;
  /** Multiplies every record count (at least one record per entity). Default 1. */
  scale?: number;
  /** The demo's fixed "now", ISO date-time; all dates are relative to it. Default `2026-01-01T00:00:00Z`. */
  baseDate?: string;
}

export type DemoData = Array<{ entity: string; records: DemoRecord[] }>;

/** Entity keys in insertion order: every manyToOne target comes before its referrers. */
export const DEMO_LOAD_ORDER = [
  "product", "campaign", "account", "contact", "opportunity", "lead", "serviceCase", "activity", "campaignMember",
] as const;

export type DemoEntity = (typeof DEMO_LOAD_ORDER)[number];

/** Record counts at scale 1. */
export const DEMO_COUNTS: Readonly<Record<DemoEntity, number>> = {
  product: 40, campaign: 20, account: 300, contact: 900, opportunity: 400, lead: 600,
  serviceCase: 250, activity: 1500, campaignMember: 600,
};

/**
 * Deterministic demo data for the shipped CRM, in the record-JSON shape the API accepts, every
 * record with a pre-assigned id. Pure: no clock, no global randomness.
 * @example
 * for (const { entity, records } of generateDemoData({ seed: 7, scale: 0.1 })) await insertAll(entity, records);
 */
export function generateDemoData(options: DemoDataOptions = {}): DemoData {
  const base = Date.parse(options.baseDate ?? "2026-01-01T00:00:00Z");
  if (Number.isNaN(base)) throw new Error(`invalid baseDate: ${options.baseDate}`);
  const scale = options.scale ?? 1;
  const ctx: DemoContext = {
    rng: createDemoRandom(options.seed ?? 20260101),
    base,
    count: (n) => Math.max(1, Math.round(n * scale)),
  };
  const n = (entity: DemoEntity): number => ctx.count(DEMO_COUNTS[entity]);
  const product = generateProducts(ctx, n("product"));
  const campaign = generateCampaigns(ctx, n("campaign"));
  const account = generateAccounts(ctx, n("account"));
  const contact = generateContacts(ctx, n("contact"), account);
  const opportunity = generateOpportunities(ctx, n("opportunity"), { accounts: account, contacts: contact, campaigns: campaign, products: product });
  const lead = generateLeads(ctx, n("lead"), { accounts: account, contacts: contact, opportunities: opportunity });
  const serviceCase = generateCases(ctx, n("serviceCase"), account, contact);
  const activity = generateActivities(ctx, n("activity"), { accounts: account, contacts: contact, opportunities: opportunity, leads: lead, cases: serviceCase });
  const campaignMember = generateCampaignMembers(ctx, n("campaignMember"), campaign, lead, contact);
  settleAccounts(ctx, account, opportunity);
  settleCampaigns(campaign, opportunity);
  const all: Record<DemoEntity, DemoRecord[]> = {
    product, campaign, account, contact, opportunity, lead, serviceCase, activity, campaignMember,
  };
  return DEMO_LOAD_ORDER.map((entity) => ({ entity, records: all[entity] }));
}

const amountOf = (r: DemoRecord, field: string): number => (r[field] as { amount: number } | undefined)?.amount ?? 0;

/**
 * Accounts that bought are customers, graded A/B/C by revenue won; the rest are prospects, dormant,
 * or in the public pool, where nobody has followed them up for over a month.
 */
function settleAccounts(ctx: DemoContext, accounts: DemoRecord[], opportunities: readonly DemoRecord[]): void {
  const { rng } = ctx;
  const byAccount = groupBy(opportunities, "account");
  for (const account of accounts) {
    const opps = byAccount.get(account.id) ?? [];
    const won = opps.filter((o) => o.stage === "closed_won").reduce((sum, o) => sum + amountOf(o, "amount"), 0);
    const open = opps.some((o) => o.stage !== "closed_won" && o.stage !== "closed_lost");
    let status: string;
    if (won > 0) status = rng.chance(0.06) ? "churned" : "active";
    else if (open) status = "prospect";
    else status = rng.weighted([["prospect", 4], ["public_pool", 4], ["dormant", 2]]);
    const idleDays = status === "public_pool" ? rng.int(31, 240) : status === "dormant" || status === "churned" ? rng.int(60, 365) : rng.int(0, 30);
    account.status = status;
    account.grade = won >= 100_000 ? "a" : won >= 20_000 || amountOf(account, "annualRevenue") >= 50_000_000 ? "b" : "c";
    account.lastFollowUpAt = isoDateTime(officeTime(ctx, -idleDays));
  }
}

/** Won revenue of a campaign is the sum of the won opportunities it sourced. */
function settleCampaigns(campaigns: DemoRecord[], opportunities: readonly DemoRecord[]): void {
  const byCampaign = groupBy(opportunities.filter((o) => o.stage === "closed_won"), "campaign");
  for (const campaign of campaigns) {
    if (campaign.status === "planned") continue;
    const won = (byCampaign.get(campaign.id) ?? []).reduce((sum, o) => sum + amountOf(o, "amount"), 0);
    campaign.wonRevenue = usd(won);
  }
}
