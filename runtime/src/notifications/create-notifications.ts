import { isUuid } from "@crm/core";
import type { Database, Queryable } from "../db/database.ts";

export type Channel = "inApp" | "email";

/** One message to several users. */
export interface Notice {
  /** User ids; inactive or unknown users are skipped. */
  recipients: readonly string[];
  subject: string;
  body?: string | null;
  /** The record it is about. */
  link?: { entity: string; recordId: string } | null;
  /** Default: in-app only. */
  channels?: readonly Channel[];
  /** Who sends it, e.g. `{ kind: "workflow", id: runId }`. */
  source: { kind: "workflow" | "plugin" | "system"; id?: string | null };
  /** The same key for the same user notifies once, however often the sender retries. */
  dedupeKey?: string | null;
}

export interface InboxItem {
  id: string;
  subject: string;
  body: string | null;
  link: { entity: string; recordId: string } | null;
  source: { kind: string; id: string | null };
  createdAt: string;
  readAt: string | null;
}

const SUBJECT_MAX = 500;
const BODY_MAX = 20_000;
const clip = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

/**
 * Notifications: `send` writes in-app rows and queues email in the caller's transaction (so a
 * rolled-back workflow step notifies no one), de-duplicated by `dedupeKey`; users read their inbox and
 * mark items read. Email goes out through `createEmailDispatcher`, or is only recorded when no SMTP
 * server is configured.
 */
export function createNotifications(deps: { db: Database; emailMode: "smtp" | "record" }) {
  return {
    async send(q: Queryable, notice: Notice): Promise<{ inApp: number; email: number }> {
      const ids = [...new Set(notice.recipients.filter(isUuid).map((id) => id.toLowerCase()))];
      if (ids.length === 0) return { inApp: 0, email: 0 };
      const channels = notice.channels?.length ? notice.channels : (["inApp"] as const);
      const subject = clip(notice.subject, SUBJECT_MAX);
      const body = notice.body == null ? null : clip(notice.body, BODY_MAX);
      const users = `{${ids.join(",")}}`;
      let inApp = 0;
      let email = 0;
      if (channels.includes("inApp")) {
        const rows = await q.query(
          `insert into notifications (user_id, subject, body, entity_key, record_id, source_kind, source_id, dedupe_key)
           select u.id, $2, $3, $4, $5::uuid, $6, $7, $8 from users u where u.id = any($1::uuid[]) and u.active
           on conflict (user_id, dedupe_key) where dedupe_key is not null do nothing returning id`,
          [users, subject, body, notice.link?.entity ?? null, notice.link?.recordId ?? null, notice.source.kind, notice.source.id ?? null, notice.dedupeKey ?? null],
        );
        inApp = rows.length;
      }
      if (channels.includes("email")) {
        const rows = await q.query(
          `insert into email_outbox (user_id, to_address, subject, body, status, source_kind, source_id, dedupe_key)
           select u.id, u.email, $2, $3, $4, $5, $6, $7 from users u where u.id = any($1::uuid[]) and u.active
           on conflict (to_address, dedupe_key) where dedupe_key is not null do nothing returning id`,
          [users, subject, body ?? "", deps.emailMode === "smtp" ? "pending" : "recorded", notice.source.kind, notice.source.id ?? null, notice.dedupeKey ?? null],
        );
        email = rows.length;
      }
      return { inApp, email };
    },

    /** A page of the user's inbox, newest first, and how many are unread in all. */
    async inbox(userId: string, options: { unreadOnly: boolean; limit: number; before?: { createdAt: string; id: string } | undefined }): Promise<{ items: InboxItem[]; unread: number; nextCursor: { createdAt: string; id: string } | null }> {
      const rows = await deps.db.query<{ id: string; subject: string; body: string | null; entity_key: string | null; record_id: string | null; source_kind: string; source_id: string | null; created_at: string; read_at: string | null; at_key: string }>(
        `select id::text as id, subject, body, entity_key, record_id::text as record_id, source_kind, source_id, created_at, read_at, created_at::text as at_key
           from notifications
          where user_id = $1::uuid and (not $2::boolean or read_at is null)
            and ($3::timestamptz is null or (created_at, id) < ($3::timestamptz, $4::uuid))
          order by created_at desc, id desc limit $5`,
        [userId, options.unreadOnly, options.before?.createdAt ?? null, options.before?.id ?? null, options.limit + 1],
      );
      const [count] = await deps.db.query<{ n: number }>(`select count(*)::int as n from notifications where user_id = $1::uuid and read_at is null`, [userId]);
      const page = rows.slice(0, options.limit);
      const last = page[page.length - 1];
      return {
        items: page.map((r) => ({
          id: r.id,
          subject: r.subject,
          body: r.body,
          link: r.entity_key && r.record_id ? { entity: r.entity_key, recordId: r.record_id } : null,
          source: { kind: r.source_kind, id: r.source_id },
          createdAt: new Date(r.created_at).toISOString(),
          readAt: r.read_at === null ? null : new Date(r.read_at).toISOString(),
        })),
        unread: count!.n,
        nextCursor: rows.length > options.limit && last ? { createdAt: last.at_key, id: last.id } : null,
      };
    },

    /** Mark one of the user's notifications read; false when it is not theirs (or missing). */
    async markRead(userId: string, id: string): Promise<boolean> {
      if (!isUuid(id)) return false;
      const rows = await deps.db.query(`update notifications set read_at = coalesce(read_at, now()) where id = $1::uuid and user_id = $2::uuid returning id`, [id, userId]);
      return rows.length > 0;
    },

    async markAllRead(userId: string): Promise<number> {
      const rows = await deps.db.query(`update notifications set read_at = now() where user_id = $1::uuid and read_at is null returning id`, [userId]);
      return rows.length;
    },
  };
}

export type Notifications = ReturnType<typeof createNotifications>;
