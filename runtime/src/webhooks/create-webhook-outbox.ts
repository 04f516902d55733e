import type { Queryable } from "../db/database.ts";
import { enqueueWebhookEvents } from "./enqueue-webhook-events.ts";
import type { WebhookEvent } from "./webhook-event.ts";

/**
 * How long the set of watched entities is trusted. Changes made through this process's API invalidate
 * it at once; this bounds how late another process sharing the database notices a new webhook.
 */
const WATCHED_TTL_MS = 5_000;

export interface WebhookOutbox {
  /** `enqueueWebhookEvents`, but no query at all when no active webhook watches the entity. */
  enqueue(tx: Queryable, event: WebhookEvent): Promise<void>;
  /**
   * Without a query: false only when the entity is known (from a fresh cache) to have no active
   * webhook, so a write may skip the transaction it would otherwise need for its events.
   */
  mayEnqueue(entity: string): boolean;
  /** Forget the cached set of watched entities (after any change to webhooks). */
  invalidate(): void;
  /** Whether anything was enqueued in the last `windowMs`. */
  enqueuedWithin(windowMs: number): boolean;
}

/** The outbox with an in-memory cache of the entities that have active webhooks. */
export function createWebhookOutbox(options: { ttlMs?: number; now?: () => number } = {}): WebhookOutbox {
  const ttlMs = options.ttlMs ?? WATCHED_TTL_MS;
  const now = options.now ?? Date.now;
  let watched: { entities: Set<string>; loadedAt: number } | undefined;
  let generation = 0;
  let lastEnqueuedAt = -Infinity;

  // Loaded through the write's own transaction: on PGlite that is the only connection there is.
  async function watchedEntities(tx: Queryable): Promise<Set<string>> {
    if (watched && now() - watched.loadedAt < ttlMs) return watched.entities;
    const started = generation;
    const rows = await tx.query<{ entity: string }>("select distinct entity from webhooks where active");
    const entities = new Set(rows.map((r) => r.entity));
    // A change that landed while this loaded may be missing from it: use it once, do not keep it.
    if (started === generation) watched = { entities, loadedAt: now() };
    return entities;
  }

  return {
    async enqueue(tx, event) {
      if (event.records.length === 0) return;
      if (!(await watchedEntities(tx)).has(event.entity)) return;
      await enqueueWebhookEvents(tx, event);
      lastEnqueuedAt = now();
    },
    mayEnqueue(entity) {
      return !watched || now() - watched.loadedAt >= ttlMs || watched.entities.has(entity);
    },
    enqueuedWithin(windowMs) {
      return now() - lastEnqueuedAt <= windowMs;
    },
    invalidate() {
      generation += 1;
      watched = undefined;
    },
  };
}
