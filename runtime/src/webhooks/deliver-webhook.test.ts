import { describe, expect, it } from "vitest";
import type { WebhookFetch } from "./create-guarded-fetch.ts";
import { deliverWebhook } from "./deliver-webhook.ts";
import type { ClaimedDelivery } from "./delivery-queue.ts";
import { verifyWebhookSignature } from "./webhook-signature.ts";

const delivery: ClaimedDelivery = {
  id: "d1",
  webhookId: "w1",
  event: "created",
  entity: "ticket",
  payload: { data: { record: { id: "r1" } }, entity: "ticket", id: "d1", occurredAt: "2030-01-01T00:00:00.000Z", type: "record.created" },
  attempts: 1,
  url: "https://example.com/hook",
  secret: "s3cret",
};

const answering = (status: number): WebhookFetch => async () => ({ status, body: null });

describe("deliverWebhook", () => {
  it("posts the payload in a readable order, signed, without following redirects", async () => {
    let seen: Parameters<WebhookFetch> | undefined;
    const result = await deliverWebhook(delivery, { fetch: async (...args) => ((seen = args), { status: 204, body: null }), timeoutMs: 1000 });
    expect(result).toMatchObject({ ok: true, statusCode: 204, error: null });
    const [url, init] = seen!;
    expect(url).toBe("https://example.com/hook");
    expect(init.redirect).toBe("manual");
    expect(Object.keys(JSON.parse(init.body))).toEqual(["id", "type", "entity", "occurredAt", "data"]);
    expect(verifyWebhookSignature("s3cret", init.headers["x-crm-signature"], init.body)).toBe(true);
  });

  it.each([[302], [404], [500]])("counts HTTP %i as a failure", async (status) => {
    expect(await deliverWebhook(delivery, { fetch: answering(status), timeoutMs: 1000 })).toMatchObject({ ok: false, statusCode: status, error: `HTTP ${status}` });
  });

  it("records the cause of a network error and the timeout, and never throws", async () => {
    const refused: WebhookFetch = async () => {
      throw new TypeError("fetch failed", { cause: new Error("connect ECONNREFUSED 203.0.113.9:443") });
    };
    expect(await deliverWebhook(delivery, { fetch: refused, timeoutMs: 1000 })).toMatchObject({ ok: false, statusCode: null, error: "fetch failed: connect ECONNREFUSED 203.0.113.9:443" });
    const hanging: WebhookFetch = (_, init) => new Promise((_, reject) => init.signal.addEventListener("abort", () => reject(init.signal.reason)));
    const timedOut = await deliverWebhook(delivery, { fetch: hanging, timeoutMs: 30 });
    expect(timedOut).toMatchObject({ ok: false, statusCode: null });
    expect(timedOut.error).toMatch(/timeout/i);
  });
});
