import { and, desc, eq, inArray, sql } from "drizzle-orm";
import type { Database } from "../db/database.ts";
import { webhookDeliveries } from "../db/system-schema.ts";

export type Delivery = typeof webhookDeliveries.$inferSelect;

export const DELIVERY_STATUSES = ["pending", "delivered", "failed", "dead"] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

/** A webhook's deliveries, latest first. */
export function listDeliveries(db: Database, webhookId: string, options: { status?: DeliveryStatus; limit: number }): Promise<Delivery[]> {
  const where = options.status ? and(eq(webhookDeliveries.webhookId, webhookId), eq(webhookDeliveries.status, options.status)) : eq(webhookDeliveries.webhookId, webhookId);
  return db.transaction((tx) => tx.orm.select().from(webhookDeliveries).where(where).orderBy(desc(webhookDeliveries.createdAt), desc(webhookDeliveries.id)).limit(options.limit));
}

/**
 * Make a failed or dead delivery due now. A dead one gets one more attempt (its count is kept, so a
 * new failure leaves it dead again); a failed one just skips the rest of its wait.
 */
export async function retryDelivery(db: Database, id: string): Promise<{ delivery?: Delivery; status?: string }> {
  return db.transaction(async (tx) => {
    const updated = await tx.orm
      .update(webhookDeliveries)
      .set({ status: "pending", nextAttemptAt: sql`now()` })
      .where(and(eq(webhookDeliveries.id, id), inArray(webhookDeliveries.status, ["failed", "dead"])))
      .returning();
    if (updated[0]) return { delivery: updated[0] };
    const current = await tx.orm.select({ status: webhookDeliveries.status }).from(webhookDeliveries).where(eq(webhookDeliveries.id, id));
    return { status: current[0]?.status };
  });
}
