import type { Queryable } from "../db/database.ts";
import type { WebhookEvent } from "./webhook-event.ts";

/*
 * One statement for the whole batch: every (active webhook × record) pair becomes a delivery row.
 * The id is drawn in a CTE so that each row gets its own (a volatile call is evaluated per row there)
 * and the payload can carry it.
 */
const INSERT_DELIVERIES = `
with pairs as (
  select gen_random_uuid() as id, w.id as webhook_id, r.id as record_id, r.data
  from webhooks w
  cross join jsonb_to_recordset($4::jsonb) as r(id text, data jsonb)
  where w.entity = $1 and w.active and $2 = any(w.events)
)
insert into webhook_deliveries (id, webhook_id, event, entity, record_id, payload)
select id, webhook_id, $2, $1, record_id,
  jsonb_build_object('id', id, 'type', 'record.' || $2, 'entity', $1, 'occurredAt', $3::text, 'data', data)
from pairs`;

/**
 * Write the deliveries of one record event into the webhook outbox, inside the write's own transaction,
 * so that an event exists exactly when the write committed. Does nothing else: the dispatcher delivers.
 * Prefer `runtime.webhooks.enqueue`, which skips the query when no webhook watches the entity.
 * @example await db.transaction(async (tx) => { ...insert...; await enqueueWebhookEvents(tx, { entity: "contact", type: "created", records: [{ id, record }] }); });
 */
export async function enqueueWebhookEvents(tx: Queryable, event: WebhookEvent, occurredAt = new Date()): Promise<void> {
  if (event.records.length === 0) return;
  const items = event.records.map((r) => ({
    id: String(r.id),
    data: r.previous === undefined ? { record: r.record ?? null } : { record: r.record ?? null, previous: r.previous },
  }));
  await tx.query(INSERT_DELIVERIES, [event.entity, event.type, occurredAt.toISOString(), JSON.stringify(items)]);
}
