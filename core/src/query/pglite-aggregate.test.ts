import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TestDatabase } from "../migration/pglite-harness.test-support.ts";
import { raw } from "../migration/sql.ts";
import { ACCOUNTS, createSeededDatabase, DEALS, type DealRow } from "./pglite-seed.test-support.ts";
import { aggregate, compareBy } from "./pglite-query.test-support.ts";
import { deal } from "./test-entities.test-support.ts";

/** Aggregates on PGlite, against groups and metrics computed here from the seed rows. */
let db: TestDatabase;
beforeAll(async () => {
  db = await createSeededDatabase();
  // Buckets must not depend on the session time zone.
  await db.db.exec("SET TIME ZONE 'Asia/Tokyo'");
});
afterAll(async () => {
  await db.db.close();
});

const accountOf = (id: string | null) => ACCOUNTS.find((a) => a.id === id);

function groups<K>(rows: DealRow[], key: (d: DealRow) => K): Map<K, DealRow[]> {
  const map = new Map<K, DealRow[]>();
  for (const row of rows) map.set(key(row), [...(map.get(key(row)) ?? []), row]);
  return map;
}
const values = (rows: DealRow[], get: (d: DealRow) => number | string | null) => rows.map(get).filter((v): v is number | string => v !== null);
const sum = (rows: DealRow[]) => { const v = values(rows, (d) => d.amount) as number[]; return v.length === 0 ? null : v.reduce((a, b) => a + b, 0); };
const ms = (iso: string | null) => (iso === null ? null : `${iso.slice(0, 23)}Z`);
const min = <T>(list: T[]) => (list.length === 0 ? null : [...list].sort()[0]!);
const max = <T>(list: T[]) => (list.length === 0 ? null : [...list].sort().at(-1)!);

function bucket(date: string, unit: "day" | "week" | "month" | "quarter" | "year"): string {
  const d = new Date(`${date.slice(0, 10)}T00:00:00Z`);
  if (unit === "week") d.setUTCDate(d.getUTCDate() - ((d.getUTCDay() + 6) % 7));
  if (unit === "month") d.setUTCDate(1);
  if (unit === "quarter") d.setUTCMonth(d.getUTCMonth() - (d.getUTCMonth() % 3), 1);
  if (unit === "year") d.setUTCMonth(0, 1);
  return d.toISOString().slice(0, 10);
}

describe("aggregates on PGlite", () => {
  it("groups by a select with every metric, NULL group last", async () => {
    const rows = await aggregate(db, deal, "groupBy=stage&metrics=count,sum:amount,avg:amount,min:amount,max:amount,min:closedAt,max:closedAt,min:closeDate,max:closeDate");
    const expected = [...groups(DEALS, (d) => d.stage)].sort(([a], [b]) => (a === null ? 1 : b === null ? -1 : a < b ? -1 : 1));
    expect(rows.map((r) => r.key)).toEqual(expected.map(([stage]) => ({ stage })));
    rows.forEach((row, i) => {
      const members = expected[i]![1];
      const amounts = values(members, (d) => d.amount) as number[];
      expect(row.count).toBe(members.length);
      expect(row.metrics).toEqual({
        count: members.length,
        "sum:amount": sum(members),
        "avg:amount": expect.closeTo(sum(members)! / amounts.length, 9),
        "min:amount": Math.min(...amounts),
        "max:amount": Math.max(...amounts),
        "min:closedAt": ms(min(values(members, (d) => d.closedAt) as string[])),
        "max:closedAt": ms(max(values(members, (d) => d.closedAt) as string[])),
        "min:closeDate": min(values(members, (d) => d.closeDate)),
        "max:closeDate": max(values(members, (d) => d.closeDate)),
      });
    });
  });

  it.each(["day", "week", "month", "quarter", "year"] as const)("buckets a date by %s", async (unit) => {
    const rows = await aggregate(db, deal, `groupBy=closeDate:${unit}&limit=1000`);
    const expected = [...groups(DEALS, (d) => (d.closeDate === null ? null : bucket(d.closeDate, unit)))].sort(([a], [b]) => (a === null ? 1 : b === null ? -1 : a < b ? -1 : 1));
    expect(rows.map((r) => [r.key["closeDate"], r.count])).toEqual(expected.map(([key, list]) => [key, list.length]));
  });

  it.each(["day", "week", "month"] as const)("buckets a date-time by %s in UTC", async (unit) => {
    const rows = await aggregate(db, deal, `groupBy=closedAt:${unit}&limit=1000`);
    const expected = [...groups(DEALS, (d) => (d.closedAt === null ? null : bucket(d.closedAt, unit)))].sort(([a], [b]) => (a === null ? 1 : b === null ? -1 : a < b ? -1 : 1));
    expect(rows.map((r) => [r.key["closedAt"], r.count])).toEqual(expected.map(([key, list]) => [key, list.length]));
  });

  it("groups through a relation and by a currency code, sorted by a metric, limited", async () => {
    const rows = await aggregate(db, deal, "groupBy=account.industry,amount.currency&metrics=sum:amount&sort=-sum:amount&limit=3");
    const all = [...groups(DEALS, (d) => `${accountOf(d.account)?.industry ?? null}|${d.currency}`)].map(([key, list]) => {
      const [industry, currency] = key.split("|");
      return { key: { "account.industry": industry === "null" ? null : industry, "amount.currency": currency === "null" ? null : currency }, sum: sum(list) };
    });
    // NULL sums first (descending, NULLS FIRST), then by sum descending, then by the groups.
    all.sort(compareBy<(typeof all)[number]>([[(g) => g.sum, "desc"], [(g) => g.key["account.industry"], "asc"], [(g) => g.key["amount.currency"], "asc"]]));
    expect(rows.map((r) => ({ key: r.key, sum: r.metrics["sum:amount"] }))).toEqual(all.slice(0, 3));
  });

  it("sorts by count and then by the groups", async () => {
    const rows = await aggregate(db, deal, "groupBy=account&sort=-count");
    const expected = [...groups(DEALS, (d) => d.account)].sort(([a, x], [b, y]) => y.length - x.length || (a === null ? 1 : b === null ? -1 : a < b ? -1 : 1));
    expect(rows.map((r) => [r.key["account"], r.count])).toEqual(expected.map(([id, list]) => [id, list.length]));
  });

  it("groups by a boolean through a relation", async () => {
    const rows = await aggregate(db, deal, "groupBy=account.active");
    const count = (v: boolean | null) => DEALS.filter((d) => (accountOf(d.account)?.active ?? null) === v).length;
    expect(rows.map((r) => [r.key["account.active"], r.count])).toEqual([[false, count(false)], [true, count(true)], [null, count(null)]]);
  });

  it("returns one row without groups, with filter, search and scope applied", async () => {
    const rows = await aggregate(db, deal, "metrics=count,sum:amount&filter=stage:ne:lost&q=alpha", raw(`"t"."amount" IS NOT NULL`));
    const members = DEALS.filter((d) => d.stage !== "lost" && d.title?.startsWith("alpha") && d.amount !== null);
    expect(rows).toEqual([{ key: {}, count: members.length, metrics: { count: members.length, "sum:amount": sum(members) } }]);
  });

  it("returns a zero count over nothing", async () => {
    expect(await aggregate(db, deal, "metrics=count,sum:amount,min:closeDate&filter=stage:in:()")).toEqual([{ key: {}, count: 0, metrics: { count: 0, "sum:amount": null, "min:closeDate": null } }]);
  });
});
