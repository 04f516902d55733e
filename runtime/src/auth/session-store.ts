import type { Queryable } from "../db/database.ts";
import { randomSecret, sha256 } from "./secrets.ts";

/** A session ends after 12 h without use, and 7 days after sign-in whatever happens. */
export const SESSION_IDLE = "12 hours";
export const SESSION_ABSOLUTE = "7 days";
export const SESSION_MAX_AGE_SECONDS = 7 * 24 * 3600;

export interface NewSession {
  /** The cookie value; only its SHA-256 is stored. */
  secret: string;
  id: string;
  csrfToken: string;
}

export interface ActiveSession {
  id: string;
  userId: string;
  csrfToken: string;
  roleIds: string[];
}

export async function createSession(q: Queryable, input: { userId: string; ip: string | null; userAgent: string | null }): Promise<NewSession> {
  const secret = randomSecret();
  const session = { secret, id: sha256(secret), csrfToken: randomSecret() };
  await q.query(
    `insert into sessions (id, user_id, csrf_token, expires_at, ip, user_agent) values ($1, $2, $3, now() + interval '${SESSION_IDLE}', $4, $5)`,
    [session.id, input.userId, session.csrfToken, input.ip, input.userAgent?.slice(0, 512) ?? null],
  );
  return session;
}

/**
 * The live session behind a cookie secret (not revoked, not expired, its user active), with the user's
 * roles, in one statement. Using it slides the idle expiry, written at most once a minute per session.
 */
export async function findSession(q: Queryable, secret: string): Promise<ActiveSession | undefined> {
  const id = sha256(secret);
  const [row] = await q.query<{ user_id: string; csrf_token: string; stale: boolean; role_ids: string[] }>(
    `select s.user_id, s.csrf_token, s.last_seen_at < now() - interval '1 minute' as stale,
            array(select ur.role_id::text from user_roles ur where ur.user_id = s.user_id order by 1) as role_ids
       from sessions s join users u on u.id = s.user_id
      where s.id = $1 and s.revoked_at is null and s.expires_at > now() and u.active`,
    [id],
  );
  if (!row) return undefined;
  if (row.stale) {
    await q.query(
      `update sessions set last_seen_at = now(), expires_at = least(now() + interval '${SESSION_IDLE}', created_at + interval '${SESSION_ABSOLUTE}') where id = $1`,
      [id],
    );
  }
  return { id, userId: row.user_id, csrfToken: row.csrf_token, roleIds: row.role_ids };
}

/** Revoke one session; its user id when it was live. */
export async function revokeSession(q: Queryable, id: string): Promise<string | undefined> {
  const [row] = await q.query<{ user_id: string }>(`update sessions set revoked_at = now() where id = $1 and revoked_at is null returning user_id`, [id]);
  return row?.user_id;
}

/** Revoke every live session of a user; how many there were. */
export async function revokeUserSessions(q: Queryable, userId: string): Promise<number> {
  const rows = await q.query(`update sessions set revoked_at = now() where user_id = $1 and revoked_at is null and expires_at > now() returning id`, [userId]);
  return rows.length;
}

export interface SessionView {
  id: string;
  userId: string;
  createdAt: Date;
  lastSeenAt: Date;
  expiresAt: Date;
  ip: string | null;
  userAgent: string | null;
}

/** Live sessions, newest first, of one user or everyone. */
export async function listSessions(q: Queryable, filter: { userId?: string; limit: number }): Promise<SessionView[]> {
  const rows = await q.query<{ id: string; user_id: string; created_at: Date; last_seen_at: Date; expires_at: Date; ip: string | null; user_agent: string | null }>(
    `select id, user_id, created_at, last_seen_at, expires_at, ip, user_agent from sessions
      where revoked_at is null and expires_at > now() and ($1::uuid is null or user_id = $1::uuid)
      order by created_at desc, id limit $2`,
    [filter.userId ?? null, filter.limit],
  );
  return rows.map((r) => ({ id: r.id, userId: r.user_id, createdAt: r.created_at, lastSeenAt: r.last_seen_at, expiresAt: r.expires_at, ip: r.ip, userAgent: r.user_agent }));
}
