import { DAY, groupBy, isoDate, isoDateTime, officeTime, record, usd, type DemoContext, type DemoRecord } from "./demo-context.ts";
import { SOURCES, cityOf, domainOf } from "./demo-customers.ts";
import { makeCompany, makePerson, makePhone } from "./demo-people.ts";
import { NEXT_STEPS, OPPORTUNITY_TOPICS, TITLES } from "./demo-words.ts";

/** Stage, its weight in the demo pipeline, and the win probability it implies. */
const STAGES: ReadonlyArray<readonly [string, number, number]> = [
  ["prospecting", 14, 10], ["qualification", 13, 20], ["needs_analysis", 11, 40], ["proposal", 10, 60],
  ["negotiation", 7, 80], ["closed_won", 25, 100], ["closed_lost", 20, 0],
];

export interface SalesInputs {
  accounts: readonly DemoRecord[];
  contacts: readonly DemoRecord[];
  campaigns: readonly DemoRecord[];
  products: readonly DemoRecord[];
}

const shortName = (account: DemoRecord): string =>
  String(account.name).replace(/(有限公司|股份有限公司|集团有限公司| Inc\.| LLC| Corp\.| Group| Ltd\.| Co\.| Holdings| Partners)$/, "");

export function generateOpportunities(ctx: DemoContext, n: number, inputs: SalesInputs): DemoRecord[] {
  const { rng } = ctx;
  const contactsByAccount = groupBy(inputs.contacts, "account");
  const runningCampaigns = inputs.campaigns.filter((c) => c.status !== "planned");
  const out: DemoRecord[] = [];
  for (let i = 0; i < n; i++) {
    const account = rng.pick(inputs.accounts);
    const stage = rng.weighted(STAGES.map(([key, weight]) => [key, weight] as const));
    const probability = STAGES.find(([key]) => key === stage)![2];
    const closed = stage === "closed_won" || stage === "closed_lost";
    const closedAt = closed ? officeTime(ctx, -rng.int(1, 365)) : undefined;
    const chosen = new Set<DemoRecord>();
    const lines = rng.int(1, 3);
    for (let l = 0; l < lines; l++) chosen.add(rng.pick(inputs.products));
    let amount = 0;
    for (const product of chosen) amount += (product.unitPrice as { amount: number }).amount * rng.int(1, 20);
    const contacts = contactsByAccount.get(account.id) ?? [];
    out.push(record({
      id: rng.uuid(),
      name: `${shortName(account)} - ${rng.pick(OPPORTUNITY_TOPICS)}`,
      account: account.id,
      stage,
      amount: usd(amount * (1 - rng.int(0, 20) / 100)),
      probability,
      expectedCloseDate: isoDate(closedAt ?? ctx.base + rng.int(-20, 150) * DAY),
      closedAt: closedAt === undefined ? undefined : isoDateTime(closedAt),
      nextStep: closed ? undefined : rng.pick(NEXT_STEPS),
      lossReason: stage === "closed_lost"
        ? rng.weighted([["price", 5], ["competitor", 5], ["no_budget", 3], ["no_decision", 3], ["timing", 2], ["product_fit", 2], ["other", 1]])
        : undefined,
      dealType: rng.weighted([["new_business", 6], ["upsell", 2], ["renewal", 2]]),
      source: rng.weighted(SOURCES),
      primaryContact: contacts.length > 0 && rng.chance(0.85) ? rng.pick(contacts).id : undefined,
      campaign: runningCampaigns.length > 0 && rng.chance(0.3) ? rng.pick(runningCampaigns).id : undefined,
      products: [...chosen].map((p) => p.id),
    }));
  }
  return out;
}

const LEAD_STATUSES: ReadonlyArray<readonly [string, number]> = [
  ["new", 20], ["working", 25], ["nurturing", 15], ["qualified", 10], ["unqualified", 18], ["converted", 12],
];
const SCORE_RANGE: Record<string, readonly [number, number]> = {
  new: [0, 40], working: [20, 70], nurturing: [10, 60], qualified: [60, 95], unqualified: [0, 25], converted: [70, 100],
};

export interface LeadInputs {
  accounts: readonly DemoRecord[];
  contacts: readonly DemoRecord[];
  opportunities: readonly DemoRecord[];
}

export function generateLeads(ctx: DemoContext, n: number, inputs: LeadInputs): DemoRecord[] {
  const { rng } = ctx;
  const accountsById = new Map(inputs.accounts.map((a) => [a.id, a]));
  const contactsById = new Map(inputs.contacts.map((c) => [c.id, c]));
  const unconverted = [...inputs.opportunities];
  const out: DemoRecord[] = [];
  for (let i = 0; i < n; i++) {
    let status = rng.weighted(LEAD_STATUSES);
    if (status === "converted" && unconverted.length === 0) status = "qualified";
    const opportunity = status === "converted" ? unconverted.splice(rng.int(0, unconverted.length - 1), 1)[0] : undefined;
    // Converted leads belong to their opportunity's account. Of the others, some name a company
    // already in the CRM (what the duplicate check should catch), most a company not yet known.
    const account = opportunity ? accountsById.get(String(opportunity.account)) : rng.chance(0.3) ? rng.pick(inputs.accounts) : undefined;
    const contact = opportunity?.primaryContact ? contactsById.get(String(opportunity.primaryContact)) : undefined;
    const fresh = account ? undefined : makeCompany(rng, rng.chance(0.45));
    const city = fresh?.city ?? cityOf(account);
    const chinese = city.country === "中国";
    const person = makePerson(rng, chinese);
    const [titleEn, titleZh] = rng.pick(TITLES);
    const domain = fresh?.domain ?? domainOf(ctx, account, chinese);
    const [min, max] = SCORE_RANGE[status]!;
    out.push(record({
      id: rng.uuid(),
      firstName: contact?.firstName ?? person.firstName,
      lastName: contact?.lastName ?? person.lastName,
      company: fresh?.name ?? String(account?.name),
      title: contact?.title ?? (chinese ? titleZh : titleEn),
      email: contact?.email ?? (rng.chance(0.85) ? `${person.emailLocal}@${domain}` : undefined),
      phone: rng.chance(0.6) ? makePhone(rng, city, false) : undefined,
      mobile: rng.chance(0.6) ? makePhone(rng, city, true) : undefined,
      website: fresh ? (rng.chance(0.7) ? `https://www.${domain}` : undefined) : account?.website,
      industry: account?.industry ?? (rng.chance(0.8) ? fresh?.industry : undefined),
      source: rng.weighted(SOURCES),
      status,
      rating: rng.weighted([["hot", 2], ["warm", 5], ["cold", 3]]),
      score: rng.int(min, max),
      employees: account?.employees ?? (rng.chance(0.5) ? rng.int(5, 5000) : undefined),
      city: city.city,
      country: city.country,
      convertedAccount: opportunity ? account?.id : undefined,
      convertedContact: contact?.id,
      convertedOpportunity: opportunity?.id,
      convertedAt: opportunity ? isoDateTime(officeTime(ctx, -rng.int(30, 400))) : undefined,
    }));
  }
  return out;
}

const MEMBER_STATUSES: ReadonlyArray<readonly [string, number]> = [
  ["sent", 30], ["opened", 25], ["responded", 20], ["registered", 8], ["attended", 7], ["bounced", 5], ["unsubscribed", 5],
];
const RESPONDED = new Set(["responded", "registered", "attended"]);

/** Members never repeat a (campaign, lead) or (campaign, contact) pair: those are unique in the definition. */
export function generateCampaignMembers(
  ctx: DemoContext, n: number, campaigns: readonly DemoRecord[], leads: readonly DemoRecord[], contacts: readonly DemoRecord[],
): DemoRecord[] {
  const { rng } = ctx;
  const used = new Set<string>();
  const out: DemoRecord[] = [];
  for (let attempt = 0; out.length < n && attempt < n * 20; attempt++) {
    const campaign = rng.pick(campaigns);
    const viaLead = rng.chance(0.6);
    const member = rng.pick(viaLead ? leads : contacts);
    const pair = `${campaign.id}/${member.id}`;
    if (used.has(pair)) continue;
    used.add(pair);
    const status = campaign.status === "planned" ? "planned" : rng.weighted(MEMBER_STATUSES);
    const start = Date.parse(`${String(campaign.startDate)}T00:00:00Z`);
    const respondedAt = RESPONDED.has(status) ? Math.min(ctx.base, start + rng.int(0, 30) * DAY + rng.int(1, 10) * 3_600_000) : undefined;
    out.push(record({
      id: rng.uuid(),
      campaign: campaign.id,
      lead: viaLead ? member.id : undefined,
      contact: viaLead ? undefined : member.id,
      status,
      respondedAt: respondedAt === undefined ? undefined : isoDateTime(respondedAt),
    }));
  }
  return out;
}
