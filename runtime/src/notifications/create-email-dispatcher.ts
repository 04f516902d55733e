import nodemailer from "nodemailer";
import type { Database } from "../db/database.ts";
import type { Logger } from "../logger.ts";
import { createDrainLoop } from "../services/create-drain-loop.ts";
import { retryBackoff } from "../services/retry-backoff.ts";

export interface EmailConfig {
  /** `smtp://user:pass@host:587` or `smtps://…`; absent: development mode, email is recorded, not sent. */
  smtpUrl: string | undefined;
  from: string;
  pollMs: number;
  maxAttempts: number;
  backoffMs: number;
}

export interface EmailDispatcher {
  start(): void;
  stop(): Promise<void>;
  /** Send what is due now instead of at the next poll. */
  notify(): void;
  /** One round: send what is due; resolves to how many were attempted. */
  runOnce(): Promise<number>;
}

const BATCH = 10;
const LEASE_MS = 120_000;

/**
 * Sends the email outbox through SMTP (nodemailer): claims due messages (several runtime processes
 * share the outbox without sending one twice: `FOR UPDATE SKIP LOCKED` and a lease), retries failures
 * with backoff, marks `failed` after the last attempt with the server's answer. In development mode
 * (no SMTP URL) messages are stored as `recorded` when sent and this loop has nothing to do.
 */
export function createEmailDispatcher(options: { db: Database; logger: Logger; config: EmailConfig }): EmailDispatcher {
  const { db, config } = options;
  const logger = options.logger.child({ component: "email" });
  const transport = config.smtpUrl ? nodemailer.createTransport(config.smtpUrl) : undefined;

  async function runOnce(): Promise<number> {
    if (!transport) return 0;
    const due = await db.query<{ id: number; to_address: string; subject: string; body: string; attempts: number }>(
      `update email_outbox set attempts = attempts + 1, next_attempt_at = now() + ($1::int * interval '1 millisecond')
        where id in (select id from email_outbox where status = 'pending' and next_attempt_at <= now() order by next_attempt_at, id limit $2 for update skip locked)
        returning id, to_address, subject, body, attempts`,
      [LEASE_MS, BATCH],
    );
    for (const mail of due) {
      try {
        await transport.sendMail({ from: config.from, to: mail.to_address, subject: mail.subject, text: mail.body });
        await db.query(`update email_outbox set status = 'sent', sent_at = now(), last_error = null where id = $1`, [mail.id]);
        logger.info({ emailId: mail.id, attempt: mail.attempts }, "email sent");
      } catch (error) {
        const message = error instanceof Error ? error.message.slice(0, 500) : String(error);
        const last = mail.attempts >= config.maxAttempts;
        const retryMs = retryBackoff(mail.attempts, config.backoffMs);
        await db.query(
          `update email_outbox set status = case when $2 then 'failed' else 'pending' end, last_error = $3, next_attempt_at = now() + ($4::int * interval '1 millisecond') where id = $1`,
          [mail.id, last, message, retryMs],
        );
        if (last) logger.error({ emailId: mail.id, error: message }, "email failed after its last attempt");
        else logger.warn({ emailId: mail.id, error: message, retryMs }, "email failed; will retry");
      }
    }
    return due.length;
  }

  const loop = createDrainLoop({ drainOnce: async () => (await runOnce()) >= BATCH, pollMs: config.pollMs, logger, what: "email dispatcher round" });
  return {
    start: () => (transport ? loop.start() : undefined),
    async stop() {
      await loop.stop();
      transport?.close();
    },
    notify: () => loop.wake(),
    runOnce,
  };
}
