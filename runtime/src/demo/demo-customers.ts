import { DAY, isoDate, record, usd, type DemoContext, type DemoRecord } from "./demo-context.ts";
import { makeCompany, makePerson, makePhone } from "./demo-people.ts";
import {
  CAMPAIGN_THEMES, CN_CITIES, DEPARTMENTS, PRODUCT_TIERS, PRODUCTS, TITLES, US_CITIES, type City,
} from "./demo-words.ts";

export const INDUSTRIES = [
  "technology", "manufacturing", "retail", "finance", "healthcare", "education", "real_estate", "energy",
  "logistics", "media", "hospitality", "telecom", "construction", "agriculture", "government",
  "professional_services", "other",
] as const;

export const SOURCES: ReadonlyArray<readonly [string, number]> = [
  ["web", 30], ["referral", 20], ["event", 15], ["cold_call", 10], ["advertisement", 12], ["partner", 8], ["other", 5],
];

const TIER_PRICE = [1, 1, 2.7, 0.6, 0.5];

export function generateProducts(ctx: DemoContext, n: number): DemoRecord[] {
  const out: DemoRecord[] = [];
  for (let i = 0; i < n; i++) {
    const base = PRODUCTS[i % PRODUCTS.length]!;
    const round = Math.floor(i / PRODUCTS.length);
    const tier = round % PRODUCT_TIERS.length;
    const edition = round >= PRODUCT_TIERS.length ? ` v${Math.floor(round / PRODUCT_TIERS.length) + 1}` : "";
    out.push(record({
      id: ctx.rng.uuid(),
      name: base.name + PRODUCT_TIERS[tier] + edition,
      code: `${base.family.slice(0, 3).toUpperCase()}-${String(1001 + i)}`,
      family: base.family,
      unitPrice: usd(base.price * TIER_PRICE[tier]!),
      active: ctx.rng.chance(0.9),
      description: ctx.rng.chance(0.5) ? `${base.name}, ${base.family} line.` : undefined,
    }));
  }
  return out;
}

export function generateCampaigns(ctx: DemoContext, n: number): DemoRecord[] {
  const { rng } = ctx;
  const out: DemoRecord[] = [];
  for (let i = 0; i < n; i++) {
    const type = rng.pick(["email", "webinar", "conference", "trade_show", "advertisement", "social_media", "direct_mail", "partner", "other"]);
    const startDay = rng.int(-330, 60);
    const endDay = startDay + rng.int(1, 60);
    const status = endDay < 0 ? (rng.chance(0.1) ? "aborted" : "completed") : startDay > 0 ? "planned" : "in_progress";
    const budget = rng.int(10, 200) * 500;
    const spent = status === "completed" ? rng.int(70, 115) / 100 : status === "planned" ? 0 : rng.int(20, 80) / 100;
    out.push(record({
      id: rng.uuid(),
      name: `${new Date(ctx.base + startDay * DAY).getUTCFullYear()} ${rng.pick(CAMPAIGN_THEMES)} #${i + 1}`,
      type,
      status,
      startDate: isoDate(ctx.base + startDay * DAY),
      endDate: isoDate(ctx.base + endDay * DAY),
      budget: usd(budget),
      actualCost: status === "planned" ? undefined : usd(budget * spent),
      expectedRevenue: usd(budget * rng.int(3, 8)),
      expectedResponse: rng.int(200, 2500) / 100,
      description: rng.chance(0.5) ? `A ${type.replace("_", " ")} campaign.` : undefined,
    }));
  }
  return out;
}

export function generateAccounts(ctx: DemoContext, n: number): DemoRecord[] {
  const { rng } = ctx;
  const out: DemoRecord[] = [];
  for (let i = 0; i < n; i++) {
    const company = makeCompany(rng, rng.chance(0.45));
    const employees = Math.round(Math.exp(rng.int(160, 990) / 100));
    const revenue = employees * rng.int(50, 300) * 1000;
    out.push(record({
      id: rng.uuid(),
      name: company.name,
      industry: rng.chance(0.9) ? company.industry : rng.pick(INDUSTRIES),
      // Status, grade and last follow-up are settled once opportunities exist (see settleAccounts).
      status: "prospect",
      website: rng.chance(0.85) ? `https://www.${company.domain}` : undefined,
      phone: rng.chance(0.9) ? makePhone(rng, company.city, false) : undefined,
      employees,
      annualRevenue: usd(revenue),
      street: company.street,
      city: company.city.city,
      state: company.city.state,
      postalCode: company.postalCode,
      country: company.city.country,
      source: rng.weighted(SOURCES),
      rating: rng.weighted([["hot", 2], ["warm", 5], ["cold", 3]]),
      description: rng.chance(0.3) ? `${company.name} (${company.city.city}).` : undefined,
    }));
  }
  return out;
}

export function cityOf(account: DemoRecord | undefined): City {
  const all = [...CN_CITIES, ...US_CITIES];
  return all.find((c) => c.city === account?.city) ?? (US_CITIES[0] as City);
}

/** The account's web domain; people without one use a free mail provider. */
export function domainOf(ctx: DemoContext, account: DemoRecord | undefined, chinese: boolean): string {
  const site = account?.website;
  if (typeof site === "string") return site.replace(/^https:\/\/www\./, "");
  return ctx.rng.pick(chinese ? ["qq.com", "163.com", "126.com"] : ["gmail.com", "outlook.com", "yahoo.com"]);
}

export function generateContacts(ctx: DemoContext, n: number, accounts: readonly DemoRecord[]): DemoRecord[] {
  const { rng } = ctx;
  const out: DemoRecord[] = [];
  for (let i = 0; i < n; i++) {
    const account = rng.chance(0.95) ? rng.pick(accounts) : undefined;
    const city = account ? cityOf(account) : rng.pick(rng.chance(0.45) ? CN_CITIES : US_CITIES);
    const chinese = city.country === "中国";
    const person = makePerson(rng, chinese);
    const [titleEn, titleZh] = rng.pick(TITLES);
    const [deptEn, deptZh] = rng.pick(DEPARTMENTS);
    out.push(record({
      id: rng.uuid(),
      firstName: person.firstName,
      lastName: person.lastName,
      email: rng.chance(0.9) ? `${person.emailLocal}${rng.chance(0.2) ? rng.int(1, 99) : ""}@${domainOf(ctx, account, chinese)}` : undefined,
      phone: rng.chance(0.6) ? makePhone(rng, city, false) : undefined,
      mobile: rng.chance(0.7) ? makePhone(rng, city, true) : undefined,
      title: chinese ? titleZh : titleEn,
      department: rng.chance(0.6) ? (chinese ? deptZh : deptEn) : undefined,
      account: account?.id,
      birthday: rng.chance(0.3) ? isoDate(ctx.base - rng.int(23 * 365, 62 * 365) * DAY) : undefined,
      doNotCall: rng.chance(0.05),
      emailOptOut: rng.chance(0.08),
      source: rng.weighted(SOURCES),
      city: city.city,
      country: city.country,
    }));
  }
  return out;
}
