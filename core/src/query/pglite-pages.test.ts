import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TestDatabase } from "../migration/pglite-harness.test-support.ts";
import { ACCOUNTS, createSeededDatabase, DEALS, USERS, type DealRow } from "./pglite-seed.test-support.ts";
import { allPages, compareBy, listPage, listQuery, run } from "./pglite-query.test-support.ts";
import { compileList } from "./compile-list.ts";
import { searchIndexSql } from "./search.ts";
import { account, deal } from "./test-entities.test-support.ts";

/** Sorting and keyset pagination on PGlite: every page in turn equals the full ordered list. */
let db: TestDatabase;
beforeAll(async () => {
  db = await createSeededDatabase();
});
afterAll(async () => {
  await db.db.close();
});

const accountOf = (id: string | null) => ACCOUNTS.find((a) => a.id === id);
const ownerName = (d: DealRow) => USERS.find((u) => u.id === accountOf(d.account)?.owner)?.name ?? null;
type Getter = (d: DealRow) => unknown;
const GETTERS: Record<string, Getter> = {
  id: (d) => d.id,
  title: (d) => d.title,
  amount: (d) => d.amount,
  "amount.currency": (d) => d.currency,
  stage: (d) => d.stage,
  closeDate: (d) => d.closeDate,
  closedAt: (d) => d.closedAt,
  createdAt: (d) => d.createdAt,
  account: (d) => d.account,
  "account.name": (d) => accountOf(d.account)?.name ?? null,
  "account.employees": (d) => accountOf(d.account)?.employees ?? null,
  "account.active": (d) => accountOf(d.account)?.active ?? null,
  "account.owner.name": ownerName,
};

/** The order the SQL must produce, computed here: the requested terms, then id ascending. */
function expectedOrder(sort: string, rows: DealRow[] = DEALS): string[] {
  const terms: Array<[Getter, "asc" | "desc"]> = sort === "" ? [] : sort.split(",").map((t) => [GETTERS[t.replace(/^-/, "")]!, t.startsWith("-") ? "desc" : "asc"]);
  if (!sort.split(",").some((t) => t.replace(/^-/, "") === "id")) terms.push([GETTERS["id"]!, "asc"]);
  return [...rows].sort(compareBy(terms)).map((d) => d.id);
}

const SORTS = [
  "",
  "-amount",
  "amount",
  "stage,-closeDate",
  "-stage,closeDate",
  "-account.name,amount",
  "closedAt,-title",
  "-closedAt,title",
  "-createdAt",
  "createdAt,-id",
  "amount.currency,-amount,-closeDate",
  "-id",
  "account.owner.name,-closedAt",
  "-account.owner.name,stage,-amount",
  "-account.active,account.employees",
  "account,-stage",
  "-title,-stage,-amount.currency",
];

describe("sort on PGlite", () => {
  it.each(SORTS)("one page sorted by %j equals the expected order", async (sort) => {
    const page = await listPage(db, deal, `limit=200&sort=${sort}`);
    expect(page.records.map((r) => r["id"])).toEqual(expectedOrder(sort));
  });
});

describe("keyset pagination on PGlite", () => {
  it.each(SORTS.flatMap((sort, i) => [[sort, [1, 4, 7, 10][i % 4]!] as const]))("all pages of %j by %i: no duplicates, no gaps", async (sort, limit) => {
    const { ids, pages } = await allPages(db, deal, `limit=${limit}&sort=${sort}`);
    expect(ids).toEqual(expectedOrder(sort));
    expect(pages).toBe(Math.ceil(DEALS.length / limit));
  });

  it("pages a filtered list with relation sorts and a single-row limit", async () => {
    const { ids } = await allPages(db, deal, `limit=1&sort=-account.name,closedAt&filter=${encodeURIComponent("or(stage:isNull,amount:gte:250)")}`);
    expect(ids).toEqual(expectedOrder("-account.name,closedAt", DEALS.filter((d) => d.stage === null || (d.amount ?? -1) >= 250)));
  });

  it("has no next page when the last page is exactly full", async () => {
    const page = await listPage(db, deal, `limit=${DEALS.length}`);
    expect(page.records).toHaveLength(DEALS.length);
    expect(page.nextCursor).toBeUndefined();
  });

  it("keeps microseconds and exact decimals in the keyset values", async () => {
    const resolved = listQuery(deal, "limit=200&sort=closedAt,amount");
    const rows = await run(db, compileList(resolved).statement);
    const first = DEALS.find((d) => d.id === rows[0]!["r"]!["id" as never])!;
    expect(rows[0]!["k"]).toEqual([first.closedAt!.replace("Z", "+00:00"), first.amount === null ? null : expect.any(String), first.id]);
  });
});

describe("search index on PGlite", () => {
  it("is created with the exact expression the queries use, and serves them", async () => {
    const index = searchIndexSql(account)!;
    await db.rows(index.text);
    await db.rows(index.text);
    const { statement } = compileList(listQuery(account, "q=acme"));
    // Eight rows would never use an index on their own: forbid the other ways to read them.
    await db.db.exec("SET enable_seqscan = off; SET enable_indexscan = off");
    const plan = await db.rows(`EXPLAIN ${statement.text}`, statement.params);
    await db.db.exec("RESET enable_seqscan; RESET enable_indexscan");
    expect(plan.map((row) => Object.values(row)[0]).join("\n")).toContain("ts_e-account.");
  });
});
