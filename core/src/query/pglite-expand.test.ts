import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TestDatabase } from "../migration/pglite-harness.test-support.ts";
import type { SqlStatement } from "../migration/types.ts";
import { EXPAND_LIMIT_PER_PARENT } from "./compile-expand.ts";
import { expandRecords } from "./expand-records.ts";
import { ACCOUNTS, CONTACTS, createSeededDatabase, TAGS, USERS } from "./pglite-seed.test-support.ts";
import { listPage, listQuery, run } from "./pglite-query.test-support.ts";
import { account, contact, rowPolicy } from "./test-entities.test-support.ts";

/** Expanded relations on PGlite: one statement per relation per level, shapes as documented. */
let db: TestDatabase;
beforeAll(async () => {
  db = await createSeededDatabase();
});
afterAll(async () => {
  await db.db.close();
});

async function expanded(query: string, scope?: (key: string) => string | undefined) {
  const statements: SqlStatement[] = [];
  const resolved = listQuery(account, query);
  const page = await listPage(db, account, query);
  const records = await expandRecords(
    page.records,
    resolved.expand,
    (statement) => {
      statements.push(statement);
      return run(db, statement);
    },
    scope ? { policy: rowPolicy((key) => scope(key)) } : {},
  );
  return { records, statements };
}
const byId = <T extends { id: string }>(rows: T[], id: unknown) => rows.find((r) => r.id === id);

describe("expand on PGlite", () => {
  it("embeds manyToOne, oneToMany and manyToMany relations two levels deep with one query each", async () => {
    const { records, statements } = await expanded("limit=200&expand=owner.manager,contacts.account,labels");
    expect(statements).toHaveLength(5);
    expect(records).toHaveLength(ACCOUNTS.length);
    for (const record of records) {
      const seed = byId(ACCOUNTS, record["id"])!;
      const owner = byId(USERS, seed.owner);
      if (!owner) expect(record["owner"]).toBeNull();
      else {
        expect(record["owner"]).toMatchObject({ id: owner.id, name: owner.name });
        const manager = (record["owner"] as Record<string, unknown>)["manager"];
        expect(manager === null ? null : (manager as Record<string, unknown>)["id"]).toBe(owner.manager);
      }
      const contacts = record["contacts"] as Array<Record<string, unknown>>;
      const expectedContacts = CONTACTS.filter((c) => c.account === seed.id).sort((a, b) => (a.createdAt < b.createdAt ? -1 : 1));
      expect(contacts.map((c) => c["id"])).toEqual(expectedContacts.map((c) => c.id));
      for (const c of contacts) expect(c["account"]).toMatchObject({ id: seed.id, name: seed.name });
      const labels = record["labels"] as Array<Record<string, unknown>>;
      expect(labels.map((l) => l["id"]).sort()).toEqual([...seed.labels].sort());
      for (const l of labels) expect(l["label"]).toBe(byId(TAGS, l["id"])!.label);
    }
  });

  it("queries nothing when there is nothing to expand", async () => {
    const { records, statements } = await expanded(`expand=owner,contacts&filter=${encodeURIComponent("id:in:()")}`);
    expect(records).toEqual([]);
    expect(statements).toHaveLength(0);
    const none = await expanded(`expand=owner.manager&filter=owner:isNull`);
    expect(none.statements).toHaveLength(0);
    expect(none.records.map((r) => r["owner"])).toEqual(ACCOUNTS.filter((a) => a.owner === null).map(() => null));
  });

  it("applies the target's scope: hidden children are left out, a hidden manyToOne stays an id", async () => {
    const { records } = await expanded("limit=200&expand=owner,contacts&fields=name", (key) => (key === "user" ? `"t"."name" <> 'bob'` : key === "contact" ? `"t"."firstName" IS NOT NULL` : undefined));
    const acmeCorp = records.find((r) => r["name"] === "Acme Corp")!;
    expect(acmeCorp["owner"]).toBe(USERS[1]!.id);
    const umbrella = records.find((r) => r["name"] === "umbrella")!;
    expect(umbrella["contacts"]).toEqual([]);
    expect(Object.keys(umbrella).sort()).toEqual(["contacts", "createdAt", "createdBy", "id", "name", "owner", "ownerId", "updatedAt", "updatedBy", "version"]);
  });

  it(`embeds at most ${EXPAND_LIMIT_PER_PARENT} children per parent`, async () => {
    const parent = ACCOUNTS[7]!.id;
    await db.rows(`INSERT INTO "data"."contact" ("firstName", "account") SELECT 'bulk' || n, $1::uuid FROM generate_series(1, ${EXPAND_LIMIT_PER_PARENT + 5}) n`, [parent]);
    const { records } = await expanded(`expand=contacts&filter=id:eq:${parent}`);
    expect(records[0]!["contacts"]).toHaveLength(EXPAND_LIMIT_PER_PARENT);
    const { records: others } = await expanded(`expand=contacts&filter=id:eq:${ACCOUNTS[0]!.id}`);
    expect(others[0]!["contacts"]).toHaveLength(3);
    await db.rows(`DELETE FROM "data"."contact" WHERE "firstName" LIKE 'bulk%'`);
  });

  it("expands from the many side too", async () => {
    const resolved = listQuery(contact, "expand=account.owner&limit=200");
    const page = await listPage(db, contact, "expand=account.owner&limit=200");
    const records = await expandRecords(page.records, resolved.expand, (s) => run(db, s));
    for (const record of records) {
      const seed = byId(CONTACTS, record["id"])!;
      const embedded = record["account"] as Record<string, unknown> | null;
      expect(embedded === null ? null : embedded["id"]).toBe(seed.account);
      if (embedded) expect((embedded["owner"] as Record<string, unknown> | null)?.["id"] ?? null).toBe(byId(ACCOUNTS, seed.account)!.owner);
    }
  });
});
