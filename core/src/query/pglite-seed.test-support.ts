import { createTestDatabase, type TestDatabase } from "../migration/pglite-harness.test-support.ts";
import { planMigration } from "../migration/plan-migration.ts";
import { ENTITIES } from "./test-entities.test-support.ts";

/**
 * Seeded rows for the PGlite query tests, kept in JS too so tests compute expected results
 * independently of SQL. Values are chosen for ties, NULLs, LIKE wildcards and case.
 */

/** Ids that do not sort in insertion order, so the id tie-breaker is really tested. */
export function uuid(prefix: number, n: number): string {
  const scrambled = ((n * 2654435761) >>> 0).toString(16).padStart(8, "0");
  return `${prefix.toString(16).padStart(8, "0")}-0000-4000-8000-${scrambled}${n.toString(16).padStart(4, "0")}`;
}

export interface UserRow { id: string; name: string | null; manager: string | null }
export interface TagRow { id: string; label: string }
export interface AccountRow {
  id: string; createdAt: string; name: string | null; industry: string | null; employees: number | null;
  revenue: number | null; currency: string | null; website: string | null; active: boolean | null; founded: string | null;
  owner: string | null; regions: string[] | null; meta: unknown; labels: string[];
}
export interface ContactRow { id: string; createdAt: string; firstName: string | null; notes: string | null; account: string | null; lastContacted: string | null; score: number | null }
export interface DealRow {
  id: string; createdAt: string; title: string | null; amount: number | null; currency: string | null; stage: string | null;
  closeDate: string | null; closedAt: string | null; account: string | null;
}

export const USERS: UserRow[] = [
  { id: uuid(1, 1), name: "ann", manager: null },
  { id: uuid(1, 2), name: "bob", manager: uuid(1, 1) },
  { id: uuid(1, 3), name: "cy", manager: uuid(1, 2) },
  { id: uuid(1, 4), name: null, manager: uuid(1, 3) },
];
const [U1, U2, U3, U4] = USERS.map((u) => u.id) as [string, string, string, string];

export const TAGS: TagRow[] = [1, 2, 3].map((n) => ({ id: uuid(2, n), label: `tag${n}` }));
const [T1, T2, T3] = TAGS.map((t) => t.id) as [string, string, string];

type AccountSeed = Omit<AccountRow, "id" | "createdAt">;
const ACCOUNT_SEEDS: AccountSeed[] = [
  { name: "acme", industry: "tech", employees: 10, revenue: 1000.5, currency: "EUR", website: "https://acme.example", active: true, founded: "2001-05-01", owner: U1, regions: ["emea", "apac"], meta: { a: 1 }, labels: [T1, T2] },
  { name: "Acme Corp", industry: "tech", employees: 200, revenue: 99.99, currency: "USD", website: null, active: false, founded: "1999-12-31", owner: U2, regions: ["amer"], meta: null, labels: [T1] },
  { name: "globex", industry: "retail", employees: null, revenue: null, currency: null, website: "http://globex.example/50%_off", active: null, founded: null, owner: U3, regions: [], meta: "json-null", labels: [] },
  { name: null, industry: null, employees: 10, revenue: 1000.5, currency: "USD", website: "x_y", active: true, founded: "2024-02-29", owner: null, regions: null, meta: [1], labels: [T3] },
  { name: "initech", industry: "finance", employees: 55, revenue: 0, currency: "EUR", website: "a\\b", active: false, founded: "2001-05-01", owner: U4, regions: ["emea"], meta: null, labels: [] },
  { name: "umbrella", industry: "tech", employees: -3, revenue: -50, currency: "EUR", website: "UPPER 50 percent", active: true, founded: "2010-01-01", owner: U1, regions: ["apac", "amer", "emea"], meta: null, labels: [T2, T3] },
  { name: "acme", industry: "retail", employees: 10, revenue: 12, currency: "GBP", website: "xay", active: null, founded: "2001-05-02", owner: U3, regions: ["apac"], meta: { b: [] }, labels: [T1, T2, T3] },
  { name: "zeta", industry: "finance", employees: 7, revenue: null, currency: null, website: "ab", active: true, founded: "1980-01-01", owner: null, regions: null, meta: null, labels: [] },
];
export const ACCOUNTS: AccountRow[] = ACCOUNT_SEEDS.map((seed, i) => ({ id: uuid(3, i + 1), createdAt: `2024-01-01T00:00:0${i}.000000Z`, ...seed }));

const TITLES = ["alpha deal", "beta", "Gamma big", "delta_x", "alpha"];
export const DEALS: DealRow[] = Array.from({ length: 45 }, (_, i) => {
  const closedAt = new Date(Date.UTC(2024, 2, 10, 22, 30) + i * 37 * 3600_000).toISOString().replace(".000Z", `.${String(i * 1001).padStart(6, "0")}Z`);
  return {
    id: uuid(4, i + 1),
    // Ties in groups of three.
    createdAt: new Date(Date.UTC(2024, 0, 1) + Math.floor(i / 3) * 1000).toISOString(),
    title: i % 10 === 0 ? null : TITLES[i % 5]!,
    amount: i % 7 === 0 ? null : [100, 250, 250, 1000, 50.5, 100][i % 6]!,
    currency: i % 7 === 0 ? null : i % 2 === 0 ? "EUR" : "USD",
    stage: ["lead", "won", "lost", null][i % 4]!,
    closeDate: i % 5 === 0 ? null : new Date(Date.UTC(2024, 0, 1) + ((i * 13) % 400) * 86400_000).toISOString().slice(0, 10),
    closedAt: i % 3 === 0 ? null : closedAt,
    account: i % 9 === 8 ? null : ACCOUNTS[i % ACCOUNTS.length]!.id,
  };
});

export const CONTACTS: ContactRow[] = [
  { firstName: "Zed", notes: null, account: ACCOUNTS[0]!.id, score: 1.5 },
  { firstName: "amy", notes: "met zedekiah at the fair", account: ACCOUNTS[0]!.id, score: null },
  { firstName: "Bea", notes: "call back", account: ACCOUNTS[0]!.id, score: -2 },
  { firstName: "carl", notes: null, account: ACCOUNTS[1]!.id, score: 99.99 },
  { firstName: null, notes: "no name", account: ACCOUNTS[5]!.id, score: 3 },
  { firstName: "dora", notes: null, account: null, score: 3 },
].map((c, i) => ({ id: uuid(5, i + 1), createdAt: `2024-02-01T00:00:0${5 - i}.000000Z`, lastContacted: i % 2 === 0 ? `2024-05-0${i + 1}T12:00:00.000000Z` : null, ...c }));

/** A database with every test entity's table created by the migration planner, and the rows above. */
export async function createSeededDatabase(): Promise<TestDatabase> {
  const db = await createTestDatabase();
  for (const entity of ENTITIES) await db.apply(planMigration(null, entity));
  const insert = async (table: string, row: Record<string, unknown>) => {
    const keys = Object.keys(row);
    await db.rows(`INSERT INTO "data"."${table}" (${keys.map((k) => `"${k}"`).join(", ")}) VALUES (${keys.map((_, i) => `$${i + 1}`).join(", ")})`, Object.values(row));
  };
  for (const tag of TAGS) await insert("tag", { ...tag });
  for (const user of USERS) await insert("user", { id: user.id, name: user.name });
  for (const user of USERS) await db.rows(`UPDATE "data"."user" SET "manager" = $1 WHERE "id" = $2`, [user.manager, user.id]);
  for (const a of ACCOUNTS) {
    await insert("account", {
      id: a.id, createdAt: a.createdAt, name: a.name, industry: a.industry, employees: a.employees, revenue: a.revenue, revenue_currency: a.currency,
      website: a.website, active: a.active, founded: a.founded, owner: a.owner, regions: a.regions,
    });
    // JSON null and SQL NULL are different values in a jsonb column.
    if (a.meta !== null) await db.rows(`UPDATE "data"."account" SET "meta" = $1::jsonb WHERE "id" = $2`, [a.meta === "json-null" ? "null" : JSON.stringify(a.meta), a.id]);
    for (const label of a.labels) await insert("account_labels", { source: a.id, target: label });
  }
  for (const c of CONTACTS) await insert("contact", { ...c });
  for (const d of DEALS) await insert("deal", { id: d.id, createdAt: d.createdAt, title: d.title, amount: d.amount, amount_currency: d.currency, stage: d.stage, closeDate: d.closeDate, closedAt: d.closedAt, account: d.account });
  return db;
}
