import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { createLogger, createWebhookDispatcher, verifyWebhookSignature, type Queryable, type WebhookEvent } from "@crm/runtime";
import { databaseTargets } from "./support/databases.ts";
import { entity } from "./support/definitions.ts";
import { useTestServer, type TestServer } from "./support/test-server.ts";
import { useWebhookReceiver, waitFor } from "./support/webhook-receiver.ts";

const FAST = { WEBHOOK_POLL_MS: "50", WEBHOOK_BACKOFF_MS: "20", WEBHOOK_MAX_ATTEMPTS: "3", WEBHOOK_TIMEOUT_MS: "2000" };

interface DeliveryRow {
  id: string;
  status: string;
  attempts: number;
  last_status_code: number | null;
  last_error: string | null;
  duration_ms: number | null;
  delivered_at: Date | null;
}

async function createEntity(server: TestServer, key: string) {
  const res = await server.request("POST", "/api/meta/entities", { definition: entity(key, [{ key: "title", type: "text" }]) });
  expect(res.status).toBe(201);
}

/** Commit one event the way the records service does: enqueue inside the transaction, notify after it. */
async function commitEvent(server: TestServer, event: WebhookEvent) {
  await server.runtime.db.transaction((tx) => server.runtime.webhooks.enqueue(tx, event));
  server.runtime.webhooks.notify();
}

function deliveriesOf(server: TestServer, webhookId: string) {
  return server.sql<DeliveryRow>(`select * from webhook_deliveries where webhook_id = $1 order by created_at`, [webhookId]);
}

async function settled(server: TestServer, webhookId: string, status: string) {
  return waitFor(async () => (await deliveriesOf(server, webhookId)).find((d) => d.status === status), 5_000, `a ${status} delivery`);
}

describe.each(databaseTargets)("webhooks on $name", (target) => {
  const receiver = useWebhookReceiver();
  const server = useTestServer(target, { seed: false, env: { ...FAST, WEBHOOK_ALLOW_PRIVATE_TARGETS: "true" } });

  async function register(path: string, body: Record<string, unknown> = {}) {
    const res = await server.request("POST", "/api/webhooks", { entity: "ticket", events: ["created", "updated", "deleted"], url: receiver.origin + path, ...body });
    expect(res.status).toBe(201);
    return res.body as { id: string; secret: string; url: string; events: string[]; active: boolean };
  }

  it("registers a webhook with a generated secret, shown to the admin but not in the list", async () => {
    await createEntity(server, "ticket");
    const created = await register("/registered", { events: ["updated", "created", "updated"], description: "CRM sync" });
    expect(created).toMatchObject({ entity: "ticket", events: ["created", "updated"], description: "CRM sync", active: true });
    expect(created.secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect((await server.request("GET", `/api/webhooks/${created.id}`)).body.secret).toBe(created.secret);
    const list = await server.request("GET", "/api/webhooks");
    const listed = list.body.items.find((w: { id: string }) => w.id === created.id);
    expect(listed).toMatchObject({ id: created.id, url: created.url });
    expect(listed).not.toHaveProperty("secret");
  });

  it("delivers a signed JSON payload for a committed write", async () => {
    const hook = await register("/signed");
    const recordId = randomUUID();
    await commitEvent(server, { entity: "ticket", type: "created", records: [{ id: recordId, record: { id: recordId, title: "Printer on fire" } }] });
    const [request] = await waitFor(() => (receiver.to("/signed").length ? receiver.to("/signed") : undefined), 5_000, "the delivery");
    const [row] = await deliveriesOf(server, hook.id);
    expect(request!.headers).toMatchObject({ "content-type": "application/json", "user-agent": "crm-webhooks/1", "x-crm-event": "record.created", "x-crm-delivery": row!.id });
    expect(verifyWebhookSignature(hook.secret, request!.headers["x-crm-signature"] as string, request!.body, 60)).toBe(true);
    expect(verifyWebhookSignature("wrong", request!.headers["x-crm-signature"] as string, request!.body, 60)).toBe(false);
    const payload = JSON.parse(request!.body);
    expect(payload).toEqual({ id: row!.id, type: "record.created", entity: "ticket", occurredAt: expect.any(String), data: { record: { id: recordId, title: "Printer on fire" } } });
    expect(Number.isNaN(Date.parse(payload.occurredAt))).toBe(false);
    const done = await settled(server, hook.id, "delivered");
    expect(done).toMatchObject({ attempts: 1, last_status_code: 200, last_error: null });
    expect(done.delivered_at).not.toBeNull();
    expect(done.duration_ms).toBeGreaterThanOrEqual(0);
  });

  it("enqueues one delivery per record and matching webhook, in one statement, and only for subscribed events", async () => {
    const all = await register("/batch");
    const deletesOnly = await register("/deletes", { events: ["deleted"] });
    let queries = 0;
    await server.runtime.db.transaction(async (tx) => {
      // Registering forgot the watched entities: the first enqueue reloads them.
      await server.runtime.webhooks.enqueue(tx, { entity: "warm-up", type: "created", records: [{ id: "w" }] });
      const counting: Queryable = { orm: tx.orm, query: (text, params) => (queries++, tx.query(text, params)) };
      await server.runtime.webhooks.enqueue(counting, { entity: "ticket", type: "updated", records: [1, 2, 3].map((n) => ({ id: `r${n}`, record: { n }, previous: { n: n - 1 } })) });
    });
    expect(queries).toBe(1);
    const rows = await server.sql<{ record_id: string; payload: { data: unknown } }>(`select record_id, payload from webhook_deliveries where webhook_id = $1 order by record_id`, [all.id]);
    expect(rows.map((r) => r.record_id)).toEqual(["r1", "r2", "r3"]);
    expect(rows[0]!.payload.data).toEqual({ record: { n: 1 }, previous: { n: 0 } });
    expect(await deliveriesOf(server, deletesOnly.id)).toEqual([]);
    server.runtime.webhooks.notify();
    await waitFor(() => receiver.to("/batch").length === 3, 5_000, "three deliveries");
  });

  it("issues no query at all for an entity without webhooks", async () => {
    await createEntity(server, "quiet");
    let queries = 0;
    for (let i = 0; i < 3; i++) {
      await server.runtime.db.transaction(async (tx) => {
        const counting: Queryable = { orm: tx.orm, query: (text, params) => (queries++, tx.query(text, params)) };
        await server.runtime.webhooks.enqueue(counting, { entity: "quiet", type: "created", records: [{ id: "q1", record: {} }] });
      });
    }
    expect(queries).toBe(0);
    expect((await server.sql(`select 1 from webhook_deliveries where entity = 'quiet'`)).length).toBe(0);
  });

  it("enqueues nothing when the write's transaction rolls back", async () => {
    const hook = await register("/rolled-back");
    await expect(
      server.runtime.db.transaction(async (tx) => {
        await server.runtime.webhooks.enqueue(tx, { entity: "ticket", type: "created", records: [{ id: "x1", record: {} }] });
        throw new Error("the write failed");
      }),
    ).rejects.toThrow("the write failed");
    server.runtime.webhooks.notify();
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(await deliveriesOf(server, hook.id)).toEqual([]);
    expect(receiver.to("/rolled-back")).toEqual([]);
  });

  it("retries with backoff after failures, then delivers, recording each attempt", async () => {
    const hook = await register("/flaky");
    receiver.failNext("/flaky", 2);
    await commitEvent(server, { entity: "ticket", type: "deleted", records: [{ id: "f1", previous: { title: "gone" } }] });
    const done = await settled(server, hook.id, "delivered");
    expect(done).toMatchObject({ attempts: 3, last_status_code: 200, last_error: null });
    const requests = receiver.to("/flaky");
    expect(requests).toHaveLength(3);
    // Backoff 20 ms, then 60 ms, each with ±20 % jitter.
    expect(requests[1]!.at - requests[0]!.at).toBeGreaterThanOrEqual(15);
    expect(requests[2]!.at - requests[1]!.at).toBeGreaterThanOrEqual(45);
    expect(new Set(requests.map((r) => r.headers["x-crm-delivery"])).size).toBe(1);
    expect(JSON.parse(requests[2]!.body).data).toEqual({ record: null, previous: { title: "gone" } });
  });

  it("gives up after the last attempt, lists the dead delivery, and retries it on request", async () => {
    const hook = await register("/down");
    receiver.failNext("/down", Infinity);
    await commitEvent(server, { entity: "ticket", type: "created", records: [{ id: "d1", record: {} }] });
    const dead = await settled(server, hook.id, "dead");
    expect(dead).toMatchObject({ attempts: 3, last_status_code: 500, last_error: "HTTP 500" });
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(receiver.to("/down")).toHaveLength(3);

    const listed = await server.request("GET", `/api/webhooks/${hook.id}/deliveries?status=dead&limit=5`);
    expect(listed.status).toBe(200);
    expect(listed.body.items).toMatchObject([{ id: dead.id, status: "dead", attempts: 3, recordId: "d1", lastStatusCode: 500 }]);

    receiver.failNext("/down", 0);
    const retried = await server.request("POST", `/api/webhooks/deliveries/${dead.id}/retry`);
    expect(retried.status).toBe(200);
    expect(retried.body.status).toBe("pending");
    expect(await settled(server, hook.id, "delivered")).toMatchObject({ id: dead.id, attempts: 4, last_status_code: 200 });
    const again = await server.request("POST", `/api/webhooks/deliveries/${dead.id}/retry`);
    expect(again.status).toBe(409);
    expect(again.body.code).toBe("WEBHOOK_DELIVERY_NOT_RETRYABLE");
  });

  it("pauses an inactive webhook, signs with a rotated secret, and deletes a webhook with its deliveries", async () => {
    const hook = await register("/lifecycle");
    const paused = await server.request("PATCH", `/api/webhooks/${hook.id}`, { active: false, events: ["created"] });
    expect(paused.body).toMatchObject({ active: false, events: ["created"] });
    await commitEvent(server, { entity: "ticket", type: "created", records: [{ id: "l1", record: {} }] });
    expect(await deliveriesOf(server, hook.id)).toEqual([]);

    await server.request("PATCH", `/api/webhooks/${hook.id}`, { active: true });
    const rotated = await server.request("POST", `/api/webhooks/${hook.id}/rotate-secret`);
    expect(rotated.status).toBe(200);
    expect(rotated.body.secret).not.toBe(hook.secret);
    await commitEvent(server, { entity: "ticket", type: "created", records: [{ id: "l2", record: {} }] });
    const [request] = await waitFor(() => (receiver.to("/lifecycle").length ? receiver.to("/lifecycle") : undefined), 5_000, "the delivery");
    expect(verifyWebhookSignature(rotated.body.secret, request!.headers["x-crm-signature"] as string, request!.body, 60)).toBe(true);
    expect(verifyWebhookSignature(hook.secret, request!.headers["x-crm-signature"] as string, request!.body, 60)).toBe(false);

    expect((await server.request("DELETE", `/api/webhooks/${hook.id}`)).status).toBe(204);
    expect((await server.request("GET", `/api/webhooks/${hook.id}`)).status).toBe(404);
    expect(await deliveriesOf(server, hook.id)).toEqual([]);
  });

  it("answers bad input with problem+json and a pointer for every issue", async () => {
    const res = await server.request("POST", "/api/webhooks", { entity: "nowhere", events: ["created", "exploded"], url: "ftp://example.com/x", active: "yes", extra: 1 });
    expect(res.status).toBe(422);
    expect(res.headers.get("content-type")).toContain("application/problem+json");
    expect(res.body.code).toBe("VALIDATION_FAILED");
    const pointers = res.body.issues.map((i: { pointer: string }) => i.pointer).sort();
    expect(pointers).toEqual(["/active", "/entity", "/events/1", "/extra", "/url"]);

    const missing = await server.request("POST", "/api/webhooks", {});
    expect(missing.body.issues.map((i: { pointer: string }) => i.pointer)).toEqual(["/entity", "/events", "/url"]);
    for (const url of ["not a url", "https://user:pw@example.com/hook", "javascript:alert(1)"]) {
      const bad = await server.request("POST", "/api/webhooks", { entity: "ticket", events: ["created"], url });
      expect(bad.status, url).toBe(422);
      expect(bad.body.issues[0].pointer).toBe("/url");
    }
    expect((await server.request("POST", "/api/webhooks", { entity: "ticket", events: [], url: receiver.origin })).body.issues[0].pointer).toBe("/events");
    expect((await server.request("POST", "/api/webhooks", "{oops")).body.code).toBe("INVALID_JSON");
    expect((await server.request("GET", "/api/webhooks/not-a-uuid")).status).toBe(404);
    expect((await server.request("GET", `/api/webhooks/${randomUUID()}`)).body.code).toBe("WEBHOOK_NOT_FOUND");
    expect((await server.request("PATCH", `/api/webhooks/${randomUUID()}`, { active: false })).status).toBe(404);
    expect((await server.request("POST", `/api/webhooks/deliveries/${randomUUID()}/retry`)).body.code).toBe("WEBHOOK_DELIVERY_NOT_FOUND");
    const hook = await register("/bad-input");
    const patch = await server.request("PATCH", `/api/webhooks/${hook.id}`, { entity: "other", url: "gopher://x" });
    expect(patch.body.issues.map((i: { pointer: string }) => i.pointer).sort()).toEqual(["/entity", "/url"]);
    const query = await server.request("GET", `/api/webhooks/${hook.id}/deliveries?status=lost&limit=0`);
    expect(query.status).toBe(400);
    expect(query.body.issues.map((i: { pointer: string }) => i.pointer)).toEqual(["/status", "/limit"]);
  });

  it("shares the work between dispatchers without delivering anything twice", async () => {
    const hook = await register("/shared");
    const config = { ...server.runtime.webhooks.config, concurrency: 4 };
    const others = [1, 2].map(() => createWebhookDispatcher({ db: server.runtime.db, logger: createLogger("silent"), config }));
    await commitEvent(server, { entity: "ticket", type: "created", records: Array.from({ length: 30 }, (_, i) => ({ id: `s${i}`, record: { i } })) });
    await Promise.all(others.map(async (dispatcher) => {
      while ((await dispatcher.runOnce()) > 0);
    }));
    await waitFor(async () => (await deliveriesOf(server, hook.id)).every((d) => d.status === "delivered"), 5_000, "every delivery");
    await Promise.all(others.map((dispatcher) => dispatcher.stop()));
    const ids = receiver.to("/shared").map((r) => r.headers["x-crm-delivery"]);
    expect(ids).toHaveLength(30);
    expect(new Set(ids).size).toBe(30);
    expect((await deliveriesOf(server, hook.id)).every((d) => d.attempts === 1)).toBe(true);
  });

  it("delivers record writes made through the records API", async () => {
    const hook = await register("/records");
    const created = await server.request("POST", "/api/records/ticket", { title: "From the API" });
    expect(created.status).toBe(201);
    const [request] = await waitFor(() => (receiver.to("/records").length ? receiver.to("/records") : undefined), 5_000, "the delivery");
    expect(JSON.parse(request!.body)).toMatchObject({ type: "record.created", entity: "ticket", data: { record: { id: created.body.id, title: "From the API" } } });
    expect(verifyWebhookSignature(hook.secret, request!.headers["x-crm-signature"] as string, request!.body, 60)).toBe(true);
  });

  // Last: it stops this server's dispatcher.
  it("stops only after the attempts in flight are finished and recorded", async () => {
    const hook = await register("/slow");
    receiver.delay("/slow", 300);
    await commitEvent(server, { entity: "ticket", type: "created", records: [{ id: "slow1", record: {} }] });
    await waitFor(() => receiver.to("/slow").length === 1, 5_000, "the request to arrive");
    await server.runtime.webhooks.dispatcher.stop();
    expect(await deliveriesOf(server, hook.id)).toMatchObject([{ status: "delivered", attempts: 1 }]);
  });
});

describe.each(databaseTargets)("webhook targets on $name without private targets allowed", (target) => {
  const receiver = useWebhookReceiver();
  const server = useTestServer(target, { seed: false, env: { ...FAST, WEBHOOK_MAX_ATTEMPTS: "1" } });

  it.each(["http://127.0.0.1/hook", "http://10.0.0.1/hook", "http://169.254.169.254/latest/meta-data", "http://[::1]:8080/", "http://localhost:3000/", "http://[::ffff:127.0.0.1]/", "http://100.64.0.1/"])(
    "refuses to register %s",
    async (url) => {
      if (!(await server.sql(`select 1 from entity_definitions where key = 'ticket'`)).length) await createEntity(server, "ticket");
      const res = await server.request("POST", "/api/webhooks", { entity: "ticket", events: ["created"], url });
      expect(res.status).toBe(422);
      expect(res.body.issues).toMatchObject([{ code: "URL_BLOCKED", pointer: "/url" }]);
    },
  );

  it("refuses at delivery time a target that resolves to a private address", async () => {
    if (!(await server.sql(`select 1 from entity_definitions where key = 'ticket'`)).length) await createEntity(server, "ticket");
    // As if DNS had changed since registration: rows written behind the API's back.
    const rows = await server.sql<{ id: string }>(
      `insert into webhooks (entity, events, url, secret) values ('ticket', '{created}', $1, 's'), ('ticket', '{created}', $2, 's') returning id`,
      [`http://localhost:${receiver.port}/named`, `${receiver.origin}/literal`],
    );
    server.runtime.webhooks.invalidate();
    await commitEvent(server, { entity: "ticket", type: "created", records: [{ id: "b1", record: {} }] });
    for (const { id } of rows) {
      const dead = await settled(server, id, "dead");
      expect(dead.last_status_code).toBeNull();
      expect(dead.last_error).toMatch(/private targets are not allowed/);
    }
    expect(receiver.requests).toEqual([]);
  });
});
