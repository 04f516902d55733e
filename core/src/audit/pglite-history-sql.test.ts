import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../migration/pglite-harness.test-support.ts";
import { planMigration } from "../migration/plan-migration.ts";
import { ident, param, raw, sql, toStatement } from "../migration/sql.ts";
import { tableRef } from "../migration/table-ref.ts";
import { recordJson } from "../query/record-json.ts";
import { historyKeys } from "./audited-fields.ts";
import { diffRecords, type RecordChanges } from "./diff-records.ts";
import { createHistorySql, historyChangesSql, historyInsertSql } from "./history-sql.ts";
import { DIFF_CASES, R1, R2, ticket, U1 } from "./test-entity.test-support.ts";

/** The history SQL run for real: it must agree with `diffRecords` on every case. */
let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
  await db.apply(planMigration(null, ticket));
  // As runtime/drizzle/0005_record_history.sql creates it.
  await db.db.exec(`CREATE TABLE "record_history" (
    "id" bigserial PRIMARY KEY, "at" timestamptz NOT NULL DEFAULT now(), "entity_id" text NOT NULL, "entity_key" text NOT NULL,
    "record_id" uuid NOT NULL, "action" text NOT NULL CHECK ("action" in ('create', 'update', 'delete')), "actor_kind" text NOT NULL,
    "actor_id" text, "actor_user_id" uuid, "request_id" text, "changes" jsonb NOT NULL)`);
});
afterAll(async () => {
  await db.db.close();
});

/** Stored changes (by field id) back to field keys. */
function byKey(changes: RecordChanges): RecordChanges {
  const keys = historyKeys(ticket);
  return Object.fromEntries(Object.entries(changes).map(([id, change]) => [keys.get(id) ?? `?${id}`, change]));
}

async function history(): Promise<Array<Record<string, unknown>>> {
  const rows = await db.rows(`SELECT "entity_id", "entity_key", "record_id", "action", "actor_kind", "actor_id", "actor_user_id", "request_id", "changes" FROM "record_history" ORDER BY "id"`);
  await db.db.exec(`DELETE FROM "record_history"`);
  return rows;
}

describe("historyChangesSql", () => {
  it.each(DIFF_CASES)("$name", async ({ before, after, expected }) => {
    const side = (record: Record<string, unknown> | null) => (record ? param(JSON.stringify(record)) : null);
    const statement = toStatement(sql`SELECT ${historyChangesSql(ticket, { before: side(before), after: side(after) })} AS "c"`);
    const [row] = await db.rows(statement.text, statement.params);
    expect(byKey(row!["c"] as RecordChanges)).toEqual(expected);
    expect(diffRecords(ticket, before, after)).toEqual(expected);
  });
});

describe("createHistorySql", () => {
  it("writes the history of the records an INSERT … RETURNING creates, in the same statement", async () => {
    const insert = sql`INSERT INTO ${raw(tableRef(ticket))} AS t ("id", "ownerId", "title", "views", "apiKey", "tags") VALUES
      (${param(R1)}::uuid, ${param(U1)}::uuid, ${param("Printer")}, 4, ${param("s3cret")}, ARRAY['red']::text[]),
      (${param(R2)}::uuid, NULL, NULL, NULL, NULL, NULL)
      RETURNING ${recordJson(ticket, "t")} AS "r"`;
    const actor = { kind: "import", batchId: "batch-7", userId: U1 } as const;
    const statement = toStatement(sql`WITH ${ident("ins")} AS (${insert}) ${createHistorySql(ticket, actor, { from: "ins", requestId: "req-9" })}`);
    await db.rows(statement.text, statement.params);
    const rows = await history();
    const shared = { entity_id: ticket.id, entity_key: "ticket", action: "create", actor_kind: "import", actor_id: "batch-7", actor_user_id: U1, request_id: "req-9" };
    expect(rows).toHaveLength(2);
    expect(rows.find((r) => r["record_id"] === R1)).toEqual({
      ...shared,
      record_id: R1,
      changes: { ownerId: { old: null, new: U1 }, "f-title": { old: null, new: "Printer" }, "f-apiKey": { old: null, new: "[redacted]" }, "f-tags": { old: null, new: ["red"] } },
    });
    expect(rows.find((r) => r["record_id"] === R2)).toEqual({ ...shared, record_id: R2, changes: {} });
  });

  it("takes the record JSON as text too", async () => {
    const statement = toStatement(sql`WITH "ins" AS (SELECT ${param(JSON.stringify({ id: R1, title: "x" }))}::text AS "r") ${createHistorySql(ticket, { kind: "system" }, { from: "ins" })}`);
    await db.rows(statement.text, statement.params);
    expect(await history()).toEqual([
      { entity_id: ticket.id, entity_key: "ticket", record_id: R1, action: "create", actor_kind: "system", actor_id: null, actor_user_id: null, request_id: null, changes: { "f-title": { old: null, new: "x" } } },
    ]);
  });
});

describe("historyInsertSql", () => {
  it("inserts a batch in one statement, one null shared by several columns", async () => {
    const actor = { kind: "token", tokenId: "00000000-0000-4000-8000-0000000000f1", userId: null } as const;
    const statement = toStatement(
      historyInsertSql([
        { entity: ticket, recordId: R1, action: "update", actor, changes: { title: { old: "a", new: "b" } } },
        { entity: ticket, recordId: R2, action: "update", actor, changes: {} },
        { entity: ticket, recordId: R2, action: "delete", actor, changes: { ownerId: { old: U1, new: null } } },
      ])!,
    );
    await db.rows(statement.text, statement.params);
    const rows = await history();
    expect(rows.map((r) => [r["record_id"], r["action"], r["actor_id"], r["actor_user_id"], r["changes"]])).toEqual([
      [R1, "update", actor.tokenId, null, { "f-title": { old: "a", new: "b" } }],
      [R2, "delete", actor.tokenId, null, { ownerId: { old: U1, new: null } }],
    ]);
  });
});
