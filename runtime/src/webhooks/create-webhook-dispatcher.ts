import type { WebhookConfig } from "../config.ts";
import type { Database } from "../db/database.ts";
import type { Logger } from "../logger.ts";
import { createGuardedFetch, type WebhookFetch } from "./create-guarded-fetch.ts";
import { deliverWebhook } from "./deliver-webhook.ts";
import { claimDueDeliveries, recordAttempt, type ClaimedDelivery } from "./delivery-queue.ts";
import { retryBackoff } from "../services/retry-backoff.ts";
import { createDrainLoop } from "../services/create-drain-loop.ts";

export interface WebhookDispatcher {
  start(): void;
  /** Stop polling and wait for the attempts in flight to finish and be recorded. Final: no restart. */
  stop(): Promise<void>;
  /** Look for due deliveries now instead of at the next poll (call it after a commit that enqueued). */
  notify(): void;
  /** One round: claim what is due, attempt it, record the results; resolves to how many were attempted. */
  runOnce(): Promise<number>;
}

/** A lease comfortably longer than one attempt, after which a claimed delivery falls due again. */
const LEASE_MARGIN_MS = 60_000;

/**
 * The background loop that sends the webhook outbox: polls every `pollMs` (or at once when notified),
 * attempts up to `concurrency` deliveries side by side, retries with backoff, marks `dead` after
 * `maxAttempts`. Every attempt is logged and recorded on its row.
 */
export function createWebhookDispatcher(options: { db: Database; logger: Logger; config: WebhookConfig; fetch?: WebhookFetch }): WebhookDispatcher {
  const { db, config } = options;
  const logger = options.logger.child({ component: "webhooks" });
  const guarded = options.fetch ? undefined : createGuardedFetch({ allowPrivateTargets: config.allowPrivateTargets });
  const send = options.fetch ?? guarded!.fetch;
  let closing: Promise<void> | undefined;
  let stopped = false;

  async function attempt(delivery: ClaimedDelivery) {
    const result = await deliverWebhook(delivery, { fetch: send, timeoutMs: config.timeoutMs });
    const dead = !result.ok && delivery.attempts >= config.maxAttempts;
    const retryInMs = result.ok || dead ? null : retryBackoff(delivery.attempts, config.backoffMs);
    const fields = { deliveryId: delivery.id, webhookId: delivery.webhookId, entity: delivery.entity, event: delivery.event, attempt: delivery.attempts, statusCode: result.statusCode, ms: result.durationMs };
    if (result.ok) logger.info(fields, "webhook delivered");
    else if (dead) logger.error({ ...fields, error: result.error }, "webhook delivery dead after its last attempt");
    else logger.warn({ ...fields, error: result.error, retryInMs }, "webhook delivery failed; will retry");
    await recordAttempt(db, delivery.id, result, retryInMs);
  }

  async function runOnce() {
    const claimed = await claimDueDeliveries(db, config.concurrency, config.timeoutMs + LEASE_MARGIN_MS);
    const outcomes = await Promise.allSettled(claimed.map(attempt));
    for (const outcome of outcomes) {
      if (outcome.status === "rejected") logger.error({ err: outcome.reason }, "could not record a webhook attempt");
    }
    return claimed.length;
  }

  const loop = createDrainLoop({ drainOnce: async () => (await runOnce()) >= config.concurrency, pollMs: config.pollMs, logger, what: "webhook dispatcher round" });

  return {
    start() {
      if (!stopped) loop.start();
    },
    async stop() {
      stopped = true;
      await loop.stop();
      // Once: the agent cannot be closed twice, and stop may be called again (by close after a test, say).
      closing ??= guarded?.close();
      await closing;
    },
    notify: () => loop.wake(),
    runOnce,
  };
}
