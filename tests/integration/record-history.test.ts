import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import { createHistorySql, diffRecords, param, raw, recordJson, sql, tableRef, toStatement, type Actor, type HistoryEntry } from "@crm/core";
import { createLogger, type Queryable } from "@crm/runtime";
// Not on the runtime's entry point yet: reached by path until runtime/src/index.ts exports them.
import { readHistory, writeHistory } from "../../runtime/src/audit/record-history.ts";
import { historyRoutes } from "../../runtime/src/http/history-routes.ts";
import { createErrorHandler } from "../../runtime/src/http/problem.ts";
import { databaseTargets } from "./support/databases.ts";
import { entity } from "./support/definitions.ts";
import { TEST_ADMIN, useTestServer } from "./support/test-server.ts";

const ticket = entity("ticket", [
  { key: "title", type: "text" },
  { key: "apiKey", type: "text", secret: true },
  { key: "views", type: "integer", audit: false },
  { key: "tags", type: "multiSelect", options: [{ key: "red", label: { en: "Red" } }, { key: "blue", label: { en: "Blue" } }] },
  { key: "price", type: "currency", defaultCurrency: "EUR" },
]);
const ALL = new Set(["title", "apiKey", "views", "tags", "price"]);
const recordId = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, "0")}`;

describe.each(databaseTargets)("record history on $name", (target) => {
  const server = useTestServer(target, { seed: false });
  let ready: Promise<{ adminId: string; adminName: string }> | undefined;

  function setUp() {
    ready ??= (async () => {
      await server.runtime.metadata.create({ definition: ticket });
      const [admin] = await server.sql<{ id: string; name: string }>(`select id, name from users where lower(email) = lower($1)`, [TEST_ADMIN.email]);
      return { adminId: admin!.id, adminName: admin!.name };
    })();
    return ready;
  }

  /** Writes the entries of a record's life in one transaction, as the record writes do. */
  async function write(entries: Array<Omit<HistoryEntry, "entity">>, tx?: Queryable) {
    const full = entries.map((e) => ({ ...e, entity: server.runtime.registry.find("ticket")!.definition }));
    if (tx) return writeHistory(tx, full);
    return server.runtime.db.transaction((t) => writeHistory(t, full));
  }

  function read(id: string, options: { readable?: ReadonlySet<string>; limit?: number; before?: number } = {}) {
    return readHistory(server.runtime.db, { entity: server.runtime.registry.find("ticket")!.definition, recordId: id, readable: options.readable ?? ALL, limit: options.limit ?? 50, before: options.before });
  }

  it("records metadata changes in the admin audit log; a refused change leaves no entry", async () => {
    await setUp();
    const entries = await server.sql<{ action: string; subject: string; details: { key: string; version: number } }>(`select action, subject, details from admin_audit_log where action like 'entity_%'`);
    expect(entries).toMatchObject([{ action: "entity_created", subject: ticket.id, details: { key: "ticket", version: 1 } }]);
    await expect(server.runtime.metadata.update("ticket", { definition: { ...ticket, fields: [] }, baseVersion: 99 })).rejects.toThrow();
    expect(await server.sql(`select 1 from admin_audit_log where action = 'entity_changed'`)).toEqual([]);
  });

  it("names the caller of a metadata change when the caller is given", async () => {
    const { adminId } = await setUp();
    const actor = { userId: adminId, tokenId: null, ip: "192.0.2.1" };
    await server.runtime.metadata.update("ticket", { definition: { ...ticket, label: { en: "Ticket" } }, baseVersion: 1 }, actor);
    const entries = await server.sql(`select actor_user_id, ip, subject, details->>'version' as version from admin_audit_log where action = 'entity_changed'`);
    expect(entries).toEqual([{ actor_user_id: adminId, ip: "192.0.2.1", subject: ticket.id, version: "2" }]);
  });

  it("keeps nothing of a write whose transaction rolled back", async () => {
    await setUp();
    const id = recordId(1);
    const failed = server.runtime.db.transaction(async (tx) => {
      await write([{ recordId: id, action: "create", actor: { kind: "system" }, changes: { title: { old: null, new: "x" } } }], tx);
      throw new Error("the write failed after its history");
    });
    await expect(failed).rejects.toThrow("the write failed");
    expect((await read(id)).items).toEqual([]);
    expect(await server.sql(`select 1 from record_history where record_id = $1`, [id])).toEqual([]);
  });

  it("tells who changed what, redacting secrets and skipping unaudited fields", async () => {
    const { adminId, adminName } = await setUp();
    const definition = server.runtime.registry.find("ticket")!.definition;
    const id = recordId(2);
    const v1 = { id, ownerId: adminId, title: "Printer", apiKey: "hunter2", views: 1, tags: ["red"], price: { amount: 10, currency: "EUR" } };
    const v2 = { ...v1, apiKey: "hunter3", views: 2, tags: ["red"], price: { currency: "EUR", amount: 10 } };
    const v3 = { ...v2, title: "Scanner", views: 3, tags: [] };
    const user: Actor = { kind: "user", userId: adminId, sessionId: "s1" };
    const token: Actor = { kind: "token", tokenId: recordId(900), userId: null };
    await write([
      { recordId: id, action: "create", actor: user, requestId: "req-1", changes: diffRecords(definition, null, v1) },
      { recordId: id, action: "update", actor: token, changes: diffRecords(definition, v1, v2) },
      { recordId: id, action: "update", actor: token, changes: diffRecords(definition, v2, { ...v2, views: 99 }) },
      { recordId: id, action: "update", actor: { kind: "workflow", runId: "run-5", userId: adminId }, changes: diffRecords(definition, v2, v3) },
      { recordId: id, action: "delete", actor: { kind: "import", batchId: "b-1", userId: null }, changes: diffRecords(definition, v3, null) },
    ]);

    const raw = await server.sql<{ changes: unknown }>(`select changes::text as changes from record_history where record_id = $1`, [id]);
    expect(raw).toHaveLength(4);
    expect(JSON.stringify(raw)).not.toMatch(/hunter|views|"99"/);

    const { items, nextBefore } = await read(id);
    expect(nextBefore).toBeNull();
    expect(items.map((i) => [i.action, i.actor])).toEqual([
      ["delete", { kind: "import", id: "b-1", userId: null }],
      ["update", { kind: "workflow", id: "run-5", userId: adminId, name: adminName }],
      ["update", { kind: "token", id: recordId(900), userId: null }],
      ["create", { kind: "user", id: adminId, userId: adminId, name: adminName }],
    ]);
    expect(items[3]).toMatchObject({ requestId: "req-1", changes: {
      ownerId: { old: null, new: adminId },
      title: { old: null, new: "Printer" },
      apiKey: { old: null, new: "[redacted]" },
      tags: { old: null, new: ["red"] },
      price: { old: null, new: { amount: 10, currency: "EUR" } },
    } });
    expect(items[2]!.changes).toEqual({ apiKey: { old: "[redacted]", new: "[redacted]" } });
    expect(items[1]!.changes).toEqual({ title: { old: "Printer", new: "Scanner" }, tags: { old: ["red"], new: null } });
    expect(Object.keys(items[0]!.changes)).toEqual(["ownerId", "title", "apiKey", "price"]);
    expect(items.every((i) => /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/.test(i.at))).toBe(true);
  });

  it("shows only the fields the caller may read; keeps creates and deletes, drops updates left empty", async () => {
    const { adminId } = await setUp();
    const id = recordId(3);
    const actor: Actor = { kind: "system" };
    await write([
      { recordId: id, action: "create", actor, changes: { ownerId: { old: null, new: adminId }, apiKey: { old: null, new: "[redacted]" } } },
      { recordId: id, action: "update", actor, changes: { apiKey: { old: "[redacted]", new: "[redacted]" } } },
      { recordId: id, action: "update", actor, changes: { title: { old: null, new: "t" }, apiKey: { old: "[redacted]", new: null } } },
      { recordId: id, action: "delete", actor, changes: { apiKey: { old: "[redacted]", new: null } } },
    ]);
    const { items } = await read(id, { readable: new Set(["title"]) });
    expect(items.map((i) => [i.action, i.changes])).toEqual([
      ["delete", {}],
      ["update", { title: { old: null, new: "t" } }],
      ["create", { ownerId: { old: null, new: adminId } }],
    ]);
  });

  it("pages newest first by entry id, the limit counting visible entries only", async () => {
    await setUp();
    const id = recordId(4);
    const actor: Actor = { kind: "system" };
    const entries = Array.from({ length: 9 }, (_, n): Omit<HistoryEntry, "entity"> => ({
      recordId: id,
      action: "update",
      actor,
      // Every third change touches only a field the reader cannot see.
      changes: n % 3 === 2 ? { apiKey: { old: null, new: "[redacted]" } } : { title: { old: String(n - 1), new: String(n) } },
    }));
    await write(entries);
    const readable = new Set(["title"]);
    const titles: string[] = [];
    let before: number | undefined;
    let pages = 0;
    do {
      const page = await read(id, { readable, limit: 2, before });
      expect(page.items.length).toBeGreaterThan(0);
      titles.push(...page.items.map((i) => i.changes["title"]!.new as string));
      before = page.nextBefore ?? undefined;
      pages++;
    } while (before !== undefined && pages < 10);
    expect(titles).toEqual(["7", "6", "4", "3", "1", "0"]);
    expect(pages).toBe(3);
    expect((await read(recordId(5))).items).toEqual([]);
  });

  it("writes a create's history in the same statement as the INSERT", async () => {
    const { adminId } = await setUp();
    const definition = server.runtime.registry.find("ticket")!.definition;
    const id = recordId(6);
    const insert = sql`INSERT INTO ${raw(tableRef(definition))} AS t ("id", "title", "apiKey", "views") VALUES (${param(id)}::uuid, ${param("Fax")}, ${param("pw")}, 7) RETURNING (${recordJson(definition, "t")})::text AS "r", t."version" AS "v"`;
    const statement = toStatement(sql`WITH "ins" AS (${insert}) ${createHistorySql(definition, { kind: "user", userId: adminId }, { from: "ins", requestId: "req-6" })}`);
    await server.sql(statement.text, statement.params);
    const { items } = await read(id);
    expect(items).toMatchObject([{ action: "create", requestId: "req-6", actor: { kind: "user", id: adminId, userId: adminId }, changes: { title: { old: null, new: "Fax" }, apiKey: { old: null, new: "[redacted]" } } }]);
    expect(Object.keys(items[0]!.changes)).toEqual(["title", "apiKey"]);
  });

  it("serves GET /:entity/:id/history with query problems as 400 and unknown entities as 404", async () => {
    await setUp();
    const app = new Hono();
    app.onError(createErrorHandler(createLogger("silent")));
    const seen: string[] = [];
    app.route("/api/records", historyRoutes({
      db: server.runtime.db,
      registry: server.runtime.registry,
      authorizeRead: async (_c, entityKey, id) => {
        seen.push(`${entityKey}/${id}`);
        return { readable: ALL };
      },
    }));
    const get = async (path: string) => {
      const response = await app.request(path);
      return { status: response.status, type: response.headers.get("content-type"), body: await response.json() };
    };

    const ok = await get(`/api/records/ticket/${recordId(4).toUpperCase()}/history?limit=4`);
    expect(ok.status).toBe(200);
    expect(ok.body.items).toHaveLength(4);
    expect(ok.body.nextBefore).toBe(ok.body.items[3].id);
    const next = await get(`/api/records/ticket/${recordId(4)}/history?limit=200&before=${ok.body.nextBefore}`);
    expect(next.body).toMatchObject({ nextBefore: null });
    expect(next.body.items).toHaveLength(5);
    expect(seen).toEqual([`ticket/${recordId(4)}`, `ticket/${recordId(4)}`]);

    for (const query of ["limit=0", "limit=201", "limit=abc", "limit=1e1", "limit="]) {
      const bad = await get(`/api/records/ticket/${recordId(4)}/history?${query}`);
      expect(bad.status, query).toBe(400);
      expect(bad.type).toBe("application/problem+json");
      expect(bad.body.issues, query).toEqual([expect.objectContaining({ pointer: "/query/limit" })]);
    }
    const badBefore = await get(`/api/records/ticket/${recordId(4)}/history?before=-1`);
    expect(badBefore.body.issues).toEqual([expect.objectContaining({ pointer: "/query/before" })]);

    expect((await get(`/api/records/nope/${recordId(4)}/history`)).body).toMatchObject({ status: 404, code: "ENTITY_NOT_FOUND" });
    expect((await get(`/api/records/ticket/not-an-id/history`)).body).toMatchObject({ status: 404, code: "RECORD_NOT_FOUND" });
    expect(seen).toHaveLength(2);
  });
});
