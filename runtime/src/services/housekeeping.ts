import type { Queryable } from "../db/database.ts";
import type { Logger } from "../logger.ts";

/** How long finished rows of the runtime's outboxes and replay tables are kept. */
export interface Retention {
  /** Idempotency keys (and the responses they replay) older than this many hours go. */
  idempotencyKeyHours: number;
  /** Delivered and dead webhook deliveries older than this many days go (pending and retrying ones stay). */
  webhookDeliveryDays: number;
  /** Sent, failed and recorded (dev mode) emails older than this many days go (pending ones stay). */
  emailDays: number;
  /** Read in-app notifications older than this many days go (unread ones stay). */
  readNotificationDays: number;
}

export const DEFAULT_RETENTION: Readonly<Retention> = Object.freeze({ idempotencyKeyHours: 24, webhookDeliveryDays: 30, emailDays: 30, readNotificationDays: 90 });

/** Rows deleted per statement: a long backlog goes in short transactions, never one long lock. */
const BATCH = 5000;
const HOUR_MS = 3_600_000;

/** Delete the rows of `table` that `where` selects ($1 is the cutoff), BATCH at a time; answers how many. */
async function deleteInBatches(db: Queryable, table: string, where: string, cutoff: Date): Promise<number> {
  let total = 0;
  for (;;) {
    const [row] = await db.query<{ n: number }>(
      `with gone as (delete from ${table} where ctid = any(array(select ctid from ${table} where ${where} limit ${BATCH})) returning 1) select count(*)::int as n from gone`,
      [cutoff.toISOString()],
    );
    const n = Number(row?.n ?? 0);
    total += n;
    if (n < BATCH) return total;
  }
}

/**
 * Keep the outbox and replay tables bounded: what is finished and older than its retention goes.
 * Rows still to be worked on (pending deliveries and emails, unread notifications) are never touched.
 * The conditions use constant table and column names only; the cutoff is a parameter.
 * @example await pruneFinishedRows(db, DEFAULT_RETENTION, new Date()) // { idempotencyKeys: 12, webhookDeliveries: 0, emails: 3, notifications: 0 }
 */
export async function pruneFinishedRows(db: Queryable, retention: Retention, now: Date) {
  const before = (hours: number) => new Date(now.getTime() - hours * HOUR_MS);
  return {
    idempotencyKeys: await deleteInBatches(db, "idempotency_keys", `created_at < $1::timestamptz`, before(retention.idempotencyKeyHours)),
    webhookDeliveries: await deleteInBatches(db, "webhook_deliveries", `status in ('delivered', 'dead') and created_at < $1::timestamptz`, before(retention.webhookDeliveryDays * 24)),
    emails: await deleteInBatches(db, "email_outbox", `status in ('sent', 'failed', 'recorded') and created_at < $1::timestamptz`, before(retention.emailDays * 24)),
    notifications: await deleteInBatches(db, "notifications", `read_at is not null and created_at < $1::timestamptz`, before(retention.readNotificationDays * 24)),
  };
}

/** How often the housekeeping runs, and its first run after start. */
const EVERY_MS = HOUR_MS;
const FIRST_AFTER_MS = 90_000;

/**
 * The runtime's housekeeping: `pruneFinishedRows` 90 s after start, then hourly, in the background
 * (timers unref'd, failures logged). Every process runs it; the deletes are idempotent, so processes
 * running it together only share the work.
 */
export function createHousekeeping(deps: { db: Queryable; logger: Logger; retention: Retention; now?: () => Date }) {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> = Promise.resolve();
  let stopped = false;
  const runOnce = () => pruneFinishedRows(deps.db, deps.retention, deps.now?.() ?? new Date());
  const schedule = (ms: number) => {
    if (stopped) return;
    timer = setTimeout(() => {
      running = runOnce()
        .then((pruned) => deps.logger.debug(pruned, "housekeeping: finished rows past their retention deleted"))
        .catch((error: unknown) => deps.logger.error({ err: error }, "housekeeping failed"))
        .finally(() => schedule(EVERY_MS));
    }, ms);
    timer.unref();
  };
  return {
    runOnce,
    start() {
      stopped = false;
      schedule(FIRST_AFTER_MS);
    },
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
