import { requireAdmin } from "../auth/guards.ts";
import { isUuid } from "@crm/core";
import { Hono } from "hono";
import type { Database } from "../db/database.ts";
import { AppError, BadRequest, EntityNotFound } from "../errors.ts";
import type { MetadataService } from "../services/metadata-service.ts";
import type { Webhooks } from "../webhooks/create-webhooks.ts";
import { DELIVERY_STATUSES, listDeliveries, retryDelivery, type DeliveryStatus } from "../webhooks/delivery-log.ts";
import { readWebhookInput, type InputContext } from "../webhooks/read-webhook-input.ts";
import { DeliveryNotFound, DeliveryNotRetryable, WebhookNotFound } from "../webhooks/webhook-errors.ts";
import { createWebhookStore, type Webhook, type WebhookInput } from "../webhooks/webhook-store.ts";
import { readObject } from "./read-json.ts";

function webhookBody(webhook: Webhook, withSecret: boolean) {
  const { secret, ...rest } = webhook;
  return withSecret ? { ...rest, secret } : rest;
}

function queryParams(status: string | undefined, limit: string | undefined): { status?: DeliveryStatus; limit: number } {
  const issues = [];
  if (status !== undefined && !(DELIVERY_STATUSES as readonly string[]).includes(status)) {
    issues.push({ code: "INVALID_VALUE", pointer: "/status", message: `Expected one of ${DELIVERY_STATUSES.join(", ")}.` });
  }
  const n = limit === undefined ? 50 : Number(limit);
  if (!Number.isSafeInteger(n) || n < 1 || n > 500) issues.push({ code: "INVALID_VALUE", pointer: "/limit", message: "Expected an integer from 1 to 500." });
  if (issues.length) throw BadRequest("The query has problems; see issues.", { issues });
  return { status: status as DeliveryStatus | undefined, limit: n };
}

/** `/api/webhooks`: register URLs per entity and event, rotate secrets, inspect and retry deliveries. */
export function webhookRoutes(deps: { db: Database; metadata: MetadataService; webhooks: Webhooks }) {
  const app = new Hono();
  // Subscriptions receive every change of an entity, whoever may read it: administrators only.
  app.use(requireAdmin(deps.db));
  const store = createWebhookStore(deps.db, deps.webhooks.invalidate);
  const context: InputContext = {
    allowPrivateTargets: deps.webhooks.config.allowPrivateTargets,
    entityExists: (key) =>
      deps.metadata.get(key).then(
        () => true,
        (error: unknown) => {
          if (error instanceof AppError && error.code === EntityNotFound.code) return false;
          throw error;
        },
      ),
  };
  const found = async (id: string) => {
    const webhook = isUuid(id) ? await store.find(id) : undefined;
    if (!webhook) throw WebhookNotFound(`There is no webhook with id "${id.slice(0, 100)}".`);
    return webhook;
  };

  app.get("/", async (c) => c.json({ items: (await store.list()).map((w) => webhookBody(w, false)) }));

  app.post("/", async (c) => {
    const input = (await readWebhookInput(await readObject(c), "create", context)) as WebhookInput;
    const webhook = await store.create({ ...input, description: input.description ?? null, active: input.active ?? true });
    c.header("location", `/api/webhooks/${webhook.id}`);
    return c.json(webhookBody(webhook, true), 201);
  });

  app.get("/:id", async (c) => c.json(webhookBody(await found(c.req.param("id")), true)));

  app.patch("/:id", async (c) => {
    const id = (await found(c.req.param("id"))).id;
    const patch = await readWebhookInput(await readObject(c), "patch", context);
    const webhook = await store.update(id, patch);
    if (!webhook) throw WebhookNotFound(`There is no webhook with id "${id}".`);
    return c.json(webhookBody(webhook, true));
  });

  app.delete("/:id", async (c) => {
    const id = (await found(c.req.param("id"))).id;
    await store.remove(id);
    return c.body(null, 204);
  });

  app.post("/:id/rotate-secret", async (c) => {
    const webhook = await store.rotateSecret((await found(c.req.param("id"))).id);
    if (!webhook) throw WebhookNotFound(`There is no webhook with id "${c.req.param("id")}".`);
    return c.json(webhookBody(webhook, true));
  });

  app.get("/:id/deliveries", async (c) => {
    const webhook = await found(c.req.param("id"));
    const items = await listDeliveries(deps.db, webhook.id, queryParams(c.req.query("status"), c.req.query("limit")));
    return c.json({ items });
  });

  app.post("/deliveries/:id/retry", async (c) => {
    const id = c.req.param("id");
    const result = isUuid(id) ? await retryDelivery(deps.db, id) : {};
    if (!result.delivery && !result.status) throw DeliveryNotFound(`There is no webhook delivery with id "${id.slice(0, 100)}".`);
    if (!result.delivery) throw DeliveryNotRetryable(`The delivery is ${result.status}; only failed or dead deliveries can be retried.`);
    deps.webhooks.notify();
    return c.json(result.delivery);
  });

  return app;
}
