import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TestDatabase } from "../migration/pglite-harness.test-support.ts";
import { raw } from "../migration/sql.ts";
import { ACCOUNTS, CONTACTS, createSeededDatabase, DEALS, USERS, type AccountRow, type DealRow } from "./pglite-seed.test-support.ts";
import { listPage } from "./pglite-query.test-support.ts";
import { account, contact, deal } from "./test-entities.test-support.ts";

/** Filters, search, scope and count run on PGlite against results computed here from the seed rows. */
let db: TestDatabase;
beforeAll(async () => {
  db = await createSeededDatabase();
});
afterAll(async () => {
  await db.db.close();
});

const user = (id: string | null) => USERS.find((u) => u.id === id);
const accountOf = (id: string | null) => ACCOUNTS.find((a) => a.id === id);
const ownerName = (a: AccountRow) => user(a.owner)?.name ?? null;
const managerName = (a: AccountRow) => user(user(a.owner)?.manager ?? null)?.name ?? null;
const grandManagerName = (a: AccountRow) => user(user(user(a.owner)?.manager ?? null)?.manager ?? null)?.name ?? null;
const has = <T>(value: T | null, ...options: T[]) => value !== null && options.includes(value);
const like = (value: string | null, needle: string) => value !== null && value.toLowerCase().includes(needle.toLowerCase());

async function matching(entity: typeof account, filter: string, extra = ""): Promise<string[]> {
  const page = await listPage(db, entity, `limit=200&filter=${encodeURIComponent(filter)}${extra}`);
  return page.records.map((r) => r["id"] as string);
}
const sortedIds = (rows: Array<{ id: string }>) => rows.map((r) => r.id).sort();

const ACCOUNT_CASES: Array<[string, (a: AccountRow) => boolean]> = [
  ["name:eq:acme", (a) => a.name === "acme"],
  ["name:ne:acme", (a) => a.name !== "acme"],
  ["name:gt:acme", (a) => a.name !== null && a.name > "acme"],
  ["name:lte:globex", (a) => a.name !== null && a.name <= "globex"],
  ["name:in:(acme,zeta,nope)", (a) => has(a.name, "acme", "zeta")],
  ["name:nin:(acme,zeta)", (a) => !has(a.name, "acme", "zeta")],
  ["name:contains:ACME", (a) => like(a.name, "acme")],
  ["name:startsWith:ac", (a) => a.name !== null && a.name.toLowerCase().startsWith("ac")],
  ['name:contains:""', (a) => a.name !== null],
  ["name:isNull", (a) => a.name === null],
  ["name:isNull:false", (a) => a.name !== null],
  ["website:contains:50%_", (a) => like(a.website, "50%_")],
  ["website:contains:x_y", (a) => like(a.website, "x_y")],
  ["website:startsWith:a\\b", (a) => a.website === "a\\b"],
  ["website:contains:upper 50", (a) => like(a.website, "upper 50")],
  ["employees:eq:10", (a) => a.employees === 10],
  ["employees:ne:10", (a) => a.employees !== 10],
  ["employees:gt:10", (a) => a.employees !== null && a.employees > 10],
  ["employees:gte:10", (a) => a.employees !== null && a.employees >= 10],
  ["employees:lt:10", (a) => a.employees !== null && a.employees < 10],
  ["employees:lte:-3", (a) => a.employees !== null && a.employees <= -3],
  ["employees:in:(10,55)", (a) => has(a.employees, 10, 55)],
  ["employees:nin:(10,55)", (a) => !has(a.employees, 10, 55)],
  ["employees:in:()", () => false],
  ["employees:nin:()", () => true],
  ["revenue:gte:1000.5", (a) => a.revenue !== null && a.revenue >= 1000.5],
  ["revenue.amount:lt:0", (a) => a.revenue !== null && a.revenue < 0],
  ["revenue.currency:eq:USD", (a) => a.currency === "USD"],
  ["revenue.currency:in:(EUR,GBP)", (a) => has(a.currency, "EUR", "GBP")],
  ["revenue:isNull", (a) => a.revenue === null],
  ["active:eq:true", (a) => a.active === true],
  ["active:ne:true", (a) => a.active !== true],
  ["active:eq:false", (a) => a.active === false],
  ["active:isNull", (a) => a.active === null],
  ["founded:eq:2001-05-01", (a) => a.founded === "2001-05-01"],
  ["founded:gt:2001-05-01", (a) => a.founded !== null && a.founded > "2001-05-01"],
  ["founded:lte:2001-05-01", (a) => a.founded !== null && a.founded <= "2001-05-01"],
  ["founded:in:(2001-05-01,2024-02-29)", (a) => has(a.founded, "2001-05-01", "2024-02-29")],
  ["founded:nin:(2001-05-01)", (a) => a.founded !== "2001-05-01"],
  ["industry:eq:tech", (a) => a.industry === "tech"],
  ["industry:ne:tech", (a) => a.industry !== "tech"],
  ["industry:in:(tech,retail)", (a) => has(a.industry, "tech", "retail")],
  ["industry:nin:(tech)", (a) => a.industry !== "tech"],
  ["regions:contains:(emea,apac)", (a) => a.regions !== null && a.regions.includes("emea") && a.regions.includes("apac")],
  ["regions:contains:amer", (a) => a.regions !== null && a.regions.includes("amer")],
  ["regions:in:(amer,emea)", (a) => a.regions !== null && a.regions.some((r) => r === "amer" || r === "emea")],
  ["regions:nin:(emea)", (a) => a.regions === null || !a.regions.includes("emea")],
  ["regions:isNull", (a) => a.regions === null || a.regions.length === 0],
  ["regions:isNull:false", (a) => a.regions !== null && a.regions.length > 0],
  ["meta:isNull", (a) => a.meta === null || a.meta === "json-null"],
  ["meta:isNull:false", (a) => a.meta !== null && a.meta !== "json-null"],
  [`owner:eq:${USERS[0]!.id}`, (a) => a.owner === USERS[0]!.id],
  [`owner:ne:${USERS[0]!.id}`, (a) => a.owner !== USERS[0]!.id],
  [`owner:in:(${USERS[0]!.id},${USERS[2]!.id.toUpperCase()})`, (a) => has(a.owner, USERS[0]!.id, USERS[2]!.id)],
  [`owner:nin:(${USERS[0]!.id})`, (a) => a.owner !== USERS[0]!.id],
  ["owner:isNull", (a) => a.owner === null],
  [`owner.id:eq:${USERS[1]!.id}`, (a) => a.owner === USERS[1]!.id],
  ["owner.name:eq:bob", (a) => ownerName(a) === "bob"],
  ["owner.name:ne:bob", (a) => ownerName(a) !== "bob"],
  ["owner.name:isNull", (a) => ownerName(a) === null],
  ["owner.manager.name:eq:ann", (a) => managerName(a) === "ann"],
  ["owner.manager.manager.name:in:(ann,bob)", (a) => has(grandManagerName(a), "ann", "bob")],
  [`id:in:(${ACCOUNTS[0]!.id},${ACCOUNTS[3]!.id})`, (a) => a.id === ACCOUNTS[0]!.id || a.id === ACCOUNTS[3]!.id],
  [`id:ne:${ACCOUNTS[0]!.id}`, (a) => a.id !== ACCOUNTS[0]!.id],
  ["createdAt:gt:2024-01-01T00:00:03Z", (a) => a.createdAt > "2024-01-01T00:00:03.000000Z"],
  ["createdAt:lt:2024-01-01T02:00:03+02:00", (a) => a.createdAt < "2024-01-01T00:00:03.000000Z"],
  ["createdBy:isNull", () => true],
  ["version:eq:1", () => true],
  ["version:gt:1", () => false],
  ["not(employees:gt:10)", (a) => !(a.employees !== null && a.employees > 10)],
  ["not(not(employees:gt:10))", (a) => a.employees !== null && a.employees > 10],
  ["not(name:ne:acme)", (a) => a.name === "acme"],
  ["or(name:eq:acme,employees:lt:0)", (a) => a.name === "acme" || (a.employees !== null && a.employees < 0)],
  ["and(industry:eq:tech,active:eq:true)", (a) => a.industry === "tech" && a.active === true],
  ["not(or(active:eq:true,industry:eq:tech))", (a) => !(a.active === true || a.industry === "tech")],
  ["and(or(industry:eq:retail,employees:gte:55),not(owner.name:eq:cy))", (a) => (a.industry === "retail" || (a.employees !== null && a.employees >= 55)) && ownerName(a) !== "cy"],
];

describe("list filters on PGlite", () => {
  it.each(ACCOUNT_CASES)("account %s", async (filter, predicate) => {
    const expected = sortedIds(ACCOUNTS.filter(predicate));
    expect(await matching(account, filter)).toEqual(expected);
  });

  it("has cases that select something and cases that do not", () => {
    const sizes = ACCOUNT_CASES.map(([, p]) => ACCOUNTS.filter(p).length);
    expect(sizes.filter((n) => n > 0 && n < ACCOUNTS.length).length).toBeGreaterThan(50);
  });

  const DEAL_CASES: Array<[string, (d: DealRow) => boolean]> = [
    ["closedAt:gte:2024-04-01", (d) => d.closedAt !== null && d.closedAt >= "2024-04-01T00:00:00"],
    [`closedAt:eq:${DEALS[4]!.closedAt}`, (d) => d.closedAt === DEALS[4]!.closedAt],
    [`closedAt:lte:${DEALS[4]!.closedAt}`, (d) => d.closedAt !== null && d.closedAt <= DEALS[4]!.closedAt!],
    ["closedAt:isNull", (d) => d.closedAt === null],
    ["amount:in:(100,50.5)", (d) => has(d.amount, 100, 50.5)],
    ["amount:gt:100", (d) => d.amount !== null && d.amount > 100],
    ["amount.currency:eq:EUR", (d) => d.currency === "EUR"],
    ["stage:in:(won,lost)", (d) => has(d.stage, "won", "lost")],
    ["stage:ne:won", (d) => d.stage !== "won"],
    ["title:startsWith:alpha", (d) => d.title !== null && d.title.startsWith("alpha")],
    ["title:contains:_", (d) => d.title !== null && d.title.includes("_")],
    ["account.industry:eq:tech", (d) => accountOf(d.account)?.industry === "tech"],
    ["account.industry:ne:tech", (d) => accountOf(d.account)?.industry !== "tech"],
    ["account:isNull", (d) => d.account === null],
    ["account.owner.name:eq:ann", (d) => { const a = accountOf(d.account); return a !== undefined && ownerName(a) === "ann"; }],
    ["and(account.regions:contains:emea,account.employees:gte:10)", (d) => { const a = accountOf(d.account); return a?.regions?.includes("emea") === true && (a.employees ?? -Infinity) >= 10; }],
    ["not(account.owner.manager.name:eq:bob)", (d) => { const a = accountOf(d.account); return !(a !== undefined && managerName(a) === "bob"); }],
  ];

  it.each(DEAL_CASES)("deal %s", async (filter, predicate) => {
    expect(await matching(deal, filter)).toEqual(sortedIds(DEALS.filter(predicate)));
  });

  it("ANDs several filter parameters", async () => {
    const ids = await matching(account, "industry:eq:tech", `&filter=${encodeURIComponent("active:eq:true")}`);
    expect(ids).toEqual(sortedIds(ACCOUNTS.filter((a) => a.industry === "tech" && a.active === true)));
  });
});

describe("search on PGlite", () => {
  const search = async (entity: typeof account, q: string) => (await listPage(db, entity, `limit=200&q=${encodeURIComponent(q)}`)).records.map((r) => r["id"] as string);
  const dealIds = (predicate: (d: DealRow) => boolean) => sortedIds(DEALS.filter(predicate));

  it("matches word prefixes, all words required, case-insensitively", async () => {
    expect(await search(deal, "alp")).toEqual(dealIds((d) => d.title?.startsWith("alpha") === true));
    expect(await search(deal, "ALPHA de")).toEqual(dealIds((d) => d.title === "alpha deal"));
    expect(await search(deal, "gam, BI!")).toEqual(dealIds((d) => d.title === "Gamma big"));
    expect(await search(deal, "delta")).toEqual(dealIds((d) => d.title === "delta_x"));
    expect(await search(deal, "delta_x")).toEqual(dealIds((d) => d.title === "delta_x"));
    expect(await search(deal, "zzz")).toEqual([]);
  });

  it("ignores a search with no words in it", async () => {
    expect(await search(deal, "'&|!:*()")).toEqual(dealIds(() => true));
  });

  it("searches every text-like field", async () => {
    expect(await search(contact, "zed")).toEqual(sortedIds(CONTACTS.filter((c) => c.firstName === "Zed" || c.notes?.includes("zedekiah"))));
    expect(await search(contact, "C-0003")).toEqual([CONTACTS[2]!.id]);
    expect(await search(contact, "0003")).toEqual([CONTACTS[2]!.id]);
  });

  it("combines search, filter, scope and count", async () => {
    const page = await listPage(db, deal, "limit=2&count=true&q=alpha&filter=stage:ne:lost", raw(`"t"."amount" IS NOT NULL`));
    const expected = DEALS.filter((d) => d.title?.startsWith("alpha") && d.stage !== "lost" && d.amount !== null);
    expect(page.count).toBe(expected.length);
    expect(page.records.map((r) => r["id"])).toEqual(sortedIds(expected).slice(0, 2));
    expect(page.nextCursor).toBeDefined();
  });
});

describe("records and count on PGlite", () => {
  it("returns the record JSON, only the requested fields", async () => {
    const page = await listPage(db, account, `fields=name,revenue,founded&filter=id:eq:${ACCOUNTS[0]!.id}&count=true`);
    expect(page.records).toEqual([
      {
        id: ACCOUNTS[0]!.id,
        createdAt: "2024-01-01T00:00:00.000Z",
        updatedAt: expect.any(String),
        createdBy: null,
        updatedBy: null,
        version: 1,
        ownerId: null,
        name: "acme",
        revenue: { amount: 1000.5, currency: "EUR" },
        founded: "2001-05-01",
      },
    ]);
    expect(page.count).toBe(1);
    expect(page.nextCursor).toBeUndefined();
  });

  it("counts all matching records, not the page", async () => {
    const page = await listPage(db, deal, "limit=3&count=true&filter=account.industry:eq:tech&sort=-account.name");
    expect(page.records).toHaveLength(3);
    expect(page.count).toBe(DEALS.filter((d) => accountOf(d.account)?.industry === "tech").length);
  });
});
