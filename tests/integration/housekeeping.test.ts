import { describe, expect, it } from "vitest";
import { databaseTargets } from "./support/databases.ts";
import { useTestServer } from "./support/test-server.ts";

describe.each(databaseTargets)("housekeeping of finished rows on $name", (target) => {
  const server = useTestServer(target, {
    seed: false,
    env: { IDEMPOTENCY_KEY_RETENTION_HOURS: "2", WEBHOOK_DELIVERY_RETENTION_DAYS: "3", EMAIL_RETENTION_DAYS: "4", READ_NOTIFICATION_RETENTION_DAYS: "5" },
  });
  const count = async (table: string, where = "true") => Number((await server.sql<{ n: number }>(`select count(*)::int as n from ${table} where ${where}`))[0]!.n);
  const age = (table: string, where: string, hours: number) => server.sql(`update ${table} set created_at = now() - make_interval(hours => $1) where ${where}`, [hours]);

  it("deletes what is finished and past its retention, and nothing still to be worked on", async () => {
    const entity = { id: "ent-chore", key: "chore", label: { en: "Chore" }, fields: [{ id: "f-title", key: "title", type: "text", label: { en: "Title" } }] };
    expect((await server.request("POST", "/api/meta/entities", { definitions: [entity] })).status).toBe(201);

    // Idempotency keys: an old one goes (its retry then creates anew), a young one still replays.
    const post = (key: string) => server.request("POST", "/api/records/chore", { title: key }, { authorization: `Bearer ${server.admin.token}`, "idempotency-key": key });
    const oldFirst = await post("old-key");
    const youngFirst = await post("young-key");
    expect([oldFirst.status, youngFirst.status]).toEqual([201, 201]);
    await age("idempotency_keys", `key = 'old-key'`, 3);

    const webhook = await server.request("POST", "/api/webhooks", { entity: "chore", events: ["created"], url: "https://receiver.example.test/hook", active: false });
    expect(webhook.status).toBe(201);
    for (const status of ["delivered", "dead", "pending", "failed"]) {
      for (const hours of [1, 24 * 3 + 1]) {
        await server.sql(
          `insert into webhook_deliveries (webhook_id, event, entity, record_id, payload, status, created_at) values ($1, 'created', 'chore', 'x', '{}'::jsonb, $2, now() - make_interval(hours => $3))`,
          [webhook.body.id, status, hours],
        );
      }
    }
    for (const status of ["sent", "failed", "recorded", "pending"]) {
      for (const hours of [1, 24 * 4 + 1]) {
        await server.sql(`insert into email_outbox (to_address, subject, body, status, source_kind, created_at) values ('a@example.test', 's', 'b', $1, 'test', now() - make_interval(hours => $2))`, [status, hours]);
      }
    }
    for (const read of [true, false]) {
      for (const hours of [1, 24 * 5 + 1]) {
        await server.sql(`insert into notifications (user_id, subject, source_kind, created_at, read_at) values ($1, 's', 'test', now() - make_interval(hours => $2), case when $3 then now() end)`, [server.admin.userId, hours, read]);
      }
    }

    expect(await server.runtime.housekeeping.runOnce()).toEqual({ idempotencyKeys: 1, webhookDeliveries: 2, emails: 3, notifications: 1 });
    expect(await count("webhook_deliveries", `status in ('delivered', 'dead')`)).toBe(2);
    expect(await count("webhook_deliveries", `status in ('pending', 'failed')`)).toBe(4);
    expect(await count("email_outbox", `status = 'pending'`)).toBe(2);
    expect(await count("email_outbox")).toBe(5);
    expect(await count("notifications", `read_at is null`)).toBe(2);
    expect(await count("notifications")).toBe(3);

    const youngAgain = await post("young-key");
    expect([youngAgain.status, youngAgain.body.id]).toEqual([201, youngFirst.body.id]);
    const oldAgain = await post("old-key");
    expect(oldAgain.status).toBe(201);
    expect(oldAgain.body.id).not.toBe(oldFirst.body.id);

    // Run again: nothing left to delete.
    expect(await server.runtime.housekeeping.runOnce()).toEqual({ idempotencyKeys: 0, webhookDeliveries: 0, emails: 0, notifications: 0 });
  });
});
