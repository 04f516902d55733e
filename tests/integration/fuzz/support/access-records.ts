import type { IdPool } from "./record-arbitraries.ts";
import { fixedId, HIDDEN, HIDDEN_OWNERS, ORG, VISIBLE_OWNERS, type UserName } from "./access-world.ts";

/** Rows by table name (`deal_labels` is the join table), as columns to insert. */
export type Tables = Record<"region" | "label" | "company" | "deal" | "deal_labels", Array<Record<string, unknown>>>;

/**
 * The two databases of the differential test. They hold the same rows the probe can see, byte for
 * byte (system columns too), and differ in everything it cannot: hidden fields of those rows, rows
 * outside its scope (their content, and B has many more), regions, and links of hidden deals.
 */
export interface WorldData {
  a: Tables;
  b: Tables;
  /** Every id of either database, per entity. */
  pool: IdPool;
  /** Words used in text values, visible and hidden, for searches. */
  words: string[];
}

const VISIBLE_WORDS = ["alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel"];
/** Only ever in hidden values or hidden rows: a search for them must find nothing in either database. */
const HIDDEN_WORDS = ["zulu", "yankee", "xray", "whiskey", "victor"];
const CURRENCIES = ["EUR", "USD", "GBP"];

type Random = ReturnType<typeof random>;

/** mulberry32: the same data for the same seed. */
function random(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (max: number) => Math.floor(next() * max);
  const pick = <T>(list: readonly T[]): T => list[int(list.length)]!;
  const maybe = <T>(value: () => T, nullChance = 0.2): T | null => (next() < nullChance ? null : value());
  return { next, int, pick, maybe };
}

function words(r: Random, from: readonly string[], count: number): string {
  const chosen = Array.from({ length: count }, () => r.pick(from));
  const text = chosen.join(r.pick([" ", " ", "-", ", "]));
  return r.next() < 0.3 ? text[0]!.toUpperCase() + text.slice(1) : text;
}

const day = (r: Random, base = "2024-01-01") => new Date(Date.parse(base) + r.int(40) * 9 * 86_400_000).toISOString().slice(0, 10);
const instant = (r: Random, base = "2024-03-01T00:00:00Z") => new Date(Date.parse(base) + r.int(400) * 3_600_000 + r.int(1000)).toISOString();
const user = (name: UserName | null) => (name === null ? null : ORG.users[name]);

/** System columns; `at` orders rows with ties (two rows per second). */
function system(r: Random, owner: UserName | null, at: number, base = "2024-03-01T00:00:00Z"): Record<string, unknown> {
  const createdAt = new Date(Date.parse(base) + Math.floor(at / 2) * 1000).toISOString();
  const by = user(r.pick(Object.keys(ORG.users) as UserName[]));
  return { createdAt, updatedAt: new Date(Date.parse(createdAt) + r.int(3) * 60_000).toISOString(), createdBy: by, updatedBy: r.next() < 0.5 ? by : user(r.pick(Object.keys(ORG.users) as UserName[])), version: 1 + r.int(3), ownerId: user(owner) };
}

function money(r: Random, column: string): Record<string, unknown> {
  const amount = r.maybe(() => r.pick([0, 100, 250, 250.5, 1000, -5, 99999.99]));
  return { [column]: amount, [`${column}_currency`]: amount === null ? null : r.pick(CURRENCIES) };
}

const ids = (kind: number, from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => fixedId(kind, from + i));

/** Visible and hidden columns of each entity, drawn separately so hidden ones can differ per database. */
const columns = {
  region: (r: Random, vocabulary: readonly string[]) => ({ name: words(r, vocabulary, 1), code: r.maybe(() => words(r, vocabulary, 1)) }),
  labelVisible: (r: Random) => ({ name: words(r, VISIBLE_WORDS, 1), color: r.maybe(() => r.pick(["red", "green", "blue"])) }),
  labelHidden: (r: Random, vocabulary: readonly string[]) => ({ code: r.maybe(() => words(r, vocabulary, 2), 0.1) }),
  companyVisible: (r: Random, vocabulary: readonly string[], parents: readonly string[], regions: readonly string[]) => ({
    name: r.maybe(() => words(r, vocabulary, 1 + r.int(2)), 0.1),
    city: r.maybe(() => words(r, vocabulary, 1)),
    tier: r.maybe(() => r.pick(["gold", "silver", "bronze"])),
    ...money(r, "revenue"),
    founded: r.maybe(() => day(r, "2000-01-01")),
    parent: r.maybe(() => r.pick(parents), 0.4),
    region: r.maybe(() => r.pick(regions), 0.3),
  }),
  companyHidden: (r: Random, vocabulary: readonly string[]) => ({ notes: r.maybe(() => words(r, vocabulary, 3), 0.1) }),
  dealVisible: (r: Random, vocabulary: readonly string[], companies: readonly string[]) => ({
    title: r.maybe(() => words(r, vocabulary, 1 + r.int(2)), 0.1),
    description: r.maybe(() => words(r, vocabulary, 3), 0.3),
    ...money(r, "amount"),
    stage: r.maybe(() => r.pick(["lead", "won", "lost"])),
    closeDate: r.maybe(() => day(r)),
    closedAt: r.maybe(() => instant(r), 0.4),
    probability: r.maybe(() => r.int(11) * 10),
    company: r.maybe(() => r.pick(companies)),
  }),
  dealHidden: (r: Random, vocabulary: readonly string[], companies: readonly string[]) => ({
    secret: r.maybe(() => words(r, vocabulary, 2), 0.1),
    margin: r.maybe(() => r.int(10_000) / 100 - 20, 0.1),
    partner: r.maybe(() => r.pick(companies), 0.2),
  }),
};

/** Build both databases' rows from one seed. */
export function buildWorldData(seed: number): WorldData {
  const r = random(seed);
  const all = [...VISIBLE_WORDS, ...HIDDEN_WORDS];
  const regionsShared = ids(10, 1, 3);
  const labelsVisible = ids(11, 1, 5);
  const labelsShared = ids(11, 6, 8);
  const companiesVisible = ids(12, 1, 8);
  const companiesShared = ids(12, 9, 16);
  const dealsVisible = ids(13, 1, 40);
  const dealsShared = ids(13, 41, 52);
  const extra = { region: ids(10, 4, 5), label: ids(11, 9, 11), company: ids(12, 17, 22), deal: ids(13, 53, 180) };
  const knownCompanies = [...companiesVisible, ...companiesShared];

  const visible = {
    label: labelsVisible.map((id, i) => ({ id, ...system(r, r.pick(VISIBLE_OWNERS.label), i), ...columns.labelVisible(r) })),
    company: companiesVisible.map((id, i) => ({ id, ...system(r, "probe", i), ...columns.companyVisible(r, VISIBLE_WORDS, knownCompanies.filter((c) => c !== id), regionsShared) })),
    deal: dealsVisible.map((id, i) => ({ id, ...system(r, r.pick(VISIBLE_OWNERS.deal), i), ...columns.dealVisible(r, VISIBLE_WORDS, knownCompanies) })),
    links: dealsVisible.flatMap((source) => [...labelsVisible, ...labelsShared].filter(() => r.next() < 0.25).map((target) => ({ source, target }))),
  };

  const variant = (extras: boolean): Tables => {
    const regions = [...regionsShared, ...(extras ? extra.region : [])];
    const labels = [...labelsVisible, ...labelsShared, ...(extras ? extra.label : [])];
    const companies = [...knownCompanies, ...(extras ? extra.company : [])];
    const hiddenCompanies = [...companiesShared, ...(extras ? extra.company : [])];
    const hiddenDeals = [...dealsShared, ...(extras ? extra.deal : [])];
    // In B, 110 hidden deals of the first visible company come before its visible ones: an expand that
    // capped children before applying the scope would show B fewer of them.
    const early = (i: number) => extras && i >= dealsShared.length && i < dealsShared.length + 110;
    const hiddenDeal = (id: string, i: number) => ({
      id,
      ...system(r, r.pick(HIDDEN_OWNERS.deal), i, early(i) ? "2020-01-01T00:00:00Z" : "2024-02-01T00:00:00Z"),
      ...columns.dealVisible(r, all, companies),
      ...(early(i) ? { company: companiesVisible[0] } : {}),
      ...columns.dealHidden(r, all, companies),
    });
    const deal = [...visible.deal.map((row) => ({ ...row, ...columns.dealHidden(r, all, companies) })), ...hiddenDeals.map(hiddenDeal)];
    return {
      region: regions.map((id, i) => ({ id, ...system(r, r.pick(HIDDEN_OWNERS.region), i, "2023-01-01T00:00:00Z"), ...columns.region(r, all) })),
      label: [
        ...visible.label.map((row) => ({ ...row, ...columns.labelHidden(r, all) })),
        ...[...labelsShared, ...(extras ? extra.label : [])].map((id, i) => ({ id, ...system(r, r.pick(HIDDEN_OWNERS.label), i), name: words(r, all, 1), color: r.maybe(() => r.pick(["red", "green", "blue"])), ...columns.labelHidden(r, all) })),
      ],
      company: [
        ...visible.company.map((row) => ({ ...row, ...columns.companyHidden(r, all) })),
        ...hiddenCompanies.map((id, i) => ({ id, ...system(r, r.pick(HIDDEN_OWNERS.company), i, "2024-01-15T00:00:00Z"), ...columns.companyVisible(r, all, companies.filter((c) => c !== id), regions), ...columns.companyHidden(r, all) })),
      ],
      deal,
      deal_labels: [...visible.links, ...hiddenDeals.flatMap((source) => labels.filter(() => r.next() < 0.3).map((target) => ({ source, target })))],
    };
  };
  const a = variant(false);
  const b = variant(true);
  const pool: IdPool = new Map(["region", "label", "company", "deal"].map((key) => [key, [...new Set(b[key as keyof Tables].map((row) => row["id"] as string))]]));
  return { a, b, pool, words: all };
}

/** Whether the visible part of two row sets is the same: the test's own precondition. */
export function visiblePartsEqual(data: WorldData): boolean {
  const visibleOf = (tables: Tables, key: "label" | "company" | "deal") =>
    tables[key].filter((row) => VISIBLE_OWNERS[key].some((owner) => row["ownerId"] === ORG.users[owner])).map((row) => JSON.stringify(Object.entries(row).filter(([column]) => !HIDDEN[key]!.includes(column))));
  return (["label", "company", "deal"] as const).every((key) => JSON.stringify(visibleOf(data.a, key)) === JSON.stringify(visibleOf(data.b, key)));
}
