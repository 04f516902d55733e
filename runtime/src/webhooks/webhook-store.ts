import { randomBytes } from "node:crypto";
import { desc, eq } from "drizzle-orm";
import type { Database } from "../db/database.ts";
import { webhooks } from "../db/system-schema.ts";
import type { WebhookEventType } from "./webhook-event.ts";

export type Webhook = typeof webhooks.$inferSelect;

export interface WebhookInput {
  entity: string;
  events: WebhookEventType[];
  url: string;
  description: string | null;
  active: boolean;
}

/** A fresh signing secret: 32 random bytes, base64url. */
export function generateWebhookSecret(): string {
  return randomBytes(32).toString("base64url");
}

/**
 * The webhooks table. Every call takes a turn of the database's pool; `onChange` runs after each
 * committed change (the outbox forgets which entities are watched).
 */
export function createWebhookStore(db: Database, onChange: () => void) {
  const changed = <T>(result: T) => {
    onChange();
    return result;
  };
  return {
    list: () => db.transaction((tx) => tx.orm.select().from(webhooks).orderBy(desc(webhooks.createdAt), desc(webhooks.id))),

    async find(id: string): Promise<Webhook | undefined> {
      const rows = await db.transaction((tx) => tx.orm.select().from(webhooks).where(eq(webhooks.id, id)));
      return rows[0];
    },

    async create(input: WebhookInput): Promise<Webhook> {
      const rows = await db.transaction((tx) => tx.orm.insert(webhooks).values({ ...input, secret: generateWebhookSecret() }).returning());
      return changed(rows[0]!);
    },

    async update(id: string, patch: Partial<WebhookInput>): Promise<Webhook | undefined> {
      if (Object.keys(patch).length === 0) return this.find(id);
      const rows = await db.transaction((tx) => tx.orm.update(webhooks).set(patch).where(eq(webhooks.id, id)).returning());
      return changed(rows[0]);
    },

    async rotateSecret(id: string): Promise<Webhook | undefined> {
      const rows = await db.transaction((tx) => tx.orm.update(webhooks).set({ secret: generateWebhookSecret() }).where(eq(webhooks.id, id)).returning());
      return rows[0];
    },

    /** Deletes its deliveries too. */
    async remove(id: string): Promise<boolean> {
      const rows = await db.transaction((tx) => tx.orm.delete(webhooks).where(eq(webhooks.id, id)).returning({ id: webhooks.id }));
      return changed(rows.length > 0);
    },
  };
}

export type WebhookStore = ReturnType<typeof createWebhookStore>;
