import type { WebhookConfig } from "../config.ts";
import type { Database, Queryable } from "../db/database.ts";
import type { Logger } from "../logger.ts";
import type { WebhookFetch } from "./create-guarded-fetch.ts";
import { createWebhookDispatcher, type WebhookDispatcher } from "./create-webhook-dispatcher.ts";
import { createWebhookOutbox } from "./create-webhook-outbox.ts";
import type { WebhookEvent } from "./webhook-event.ts";

/** What the rest of the runtime sees of webhooks. */
export interface Webhooks {
  /**
   * Inside a write's transaction: enqueue the deliveries of what it did. One query at most, none when no
   * active webhook watches the entity. Its failure fails the transaction, like any statement in it.
   */
  enqueue(tx: Queryable, event: WebhookEvent): Promise<void>;
  /** Without a query: false only when the entity is known to have no active webhook (see the outbox). */
  mayEnqueue(entity: string): boolean;
  /** After that transaction committed: wake the dispatcher so delivery starts now, not at the next poll. Cheap when nothing was enqueued. */
  notify(): void;
  /** Forget which entities have webhooks (done by the webhook API; for changes made behind its back). */
  invalidate(): void;
  dispatcher: WebhookDispatcher;
  config: WebhookConfig;
}

const NOTIFY_WINDOW_MS = 30_000;

export function createWebhooks(options: { db: Database; logger: Logger; config: WebhookConfig; fetch?: WebhookFetch }): Webhooks {
  const outbox = createWebhookOutbox();
  const dispatcher = createWebhookDispatcher(options);
  return {
    enqueue: outbox.enqueue,
    mayEnqueue: outbox.mayEnqueue,
    // Most writes feed no webhook: only wake the dispatcher when something was enqueued lately. (notify
    // does not know its transaction, so "lately" is a window longer than any write transaction should be.)
    notify: () => {
      if (outbox.enqueuedWithin(NOTIFY_WINDOW_MS)) dispatcher.notify();
    },
    invalidate: outbox.invalidate,
    dispatcher,
    config: options.config,
  };
}
