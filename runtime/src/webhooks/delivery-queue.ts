import type { Queryable } from "../db/database.ts";

/** A delivery claimed for one attempt, with what is needed to send it. */
export interface ClaimedDelivery {
  id: string;
  webhookId: string;
  event: string;
  entity: string;
  payload: Record<string, unknown>;
  /** Counting the attempt about to be made. */
  attempts: number;
  url: string;
  secret: string;
}

export interface AttemptResult {
  ok: boolean;
  statusCode: number | null;
  error: string | null;
  durationMs: number;
}

/*
 * Claim = take a lease: push `next_attempt_at` past the attempt's time limit and count the attempt, in one
 * short statement, then send outside any transaction. SKIP LOCKED lets several processes claim side by
 * side; a process that dies mid-attempt leaves a row that simply falls due again when its lease ends.
 * Deliveries of inactive webhooks wait, to be sent if it is switched back on.
 */
const CLAIM = `
with due as (
  select d.id from webhook_deliveries d join webhooks w on w.id = d.webhook_id
  where d.status in ('pending', 'failed') and d.next_attempt_at <= now() and w.active
  order by d.next_attempt_at
  limit $1
  for update of d skip locked
)
update webhook_deliveries d
set attempts = d.attempts + 1, next_attempt_at = now() + $2 * interval '1 millisecond'
from due, webhooks w
where d.id = due.id and w.id = d.webhook_id
returning d.id, d.webhook_id as "webhookId", d.event, d.entity, d.payload, d.attempts, w.url, w.secret`;

export function claimDueDeliveries(db: Queryable, limit: number, leaseMs: number): Promise<ClaimedDelivery[]> {
  return db.query<ClaimedDelivery>(CLAIM, [limit, leaseMs]);
}

/** Record one attempt: delivered, or failed with the next attempt `retryInMs` from now, or dead (`retryInMs` null). */
export async function recordAttempt(db: Queryable, id: string, result: AttemptResult, retryInMs: number | null): Promise<void> {
  if (result.ok) {
    await db.query(
      `update webhook_deliveries set status = 'delivered', delivered_at = now(), last_status_code = $2, last_error = null, duration_ms = $3 where id = $1`,
      [id, result.statusCode, result.durationMs],
    );
    return;
  }
  await db.query(
    `update webhook_deliveries
     set status = $5, next_attempt_at = case when $5 = 'dead' then next_attempt_at else now() + $6 * interval '1 millisecond' end,
       last_status_code = $2, last_error = $3, duration_ms = $4
     where id = $1`,
    [id, result.statusCode, result.error, result.durationMs, retryInMs === null ? "dead" : "failed", retryInMs ?? 0],
  );
}
