import { randomBytes } from "node:crypto";
import type { Queryable } from "../db/database.ts";
import { randomSecret, sha256 } from "./secrets.ts";

/** `crm_<8 hex: shown in lists>_<32 random bytes, base64url>`; the table keeps only its SHA-256. */
const TOKEN_FORMAT = /^crm_[0-9a-f]{8}_[A-Za-z0-9_-]{43}$/;

export interface ApiTokenView {
  id: string;
  name: string;
  /** The token's first characters, to recognise it. */
  prefix: string;
  userId: string | null;
  roleId: string | null;
  createdBy: string | null;
  createdAt: Date;
  expiresAt: Date | null;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

type Row = { id: string; name: string; prefix: string; user_id: string | null; role_id: string | null; created_by: string | null; created_at: Date; expires_at: Date | null; last_used_at: Date | null; revoked_at: Date | null };
const COLUMNS = "id, name, prefix, user_id, role_id, created_by, created_at, expires_at, last_used_at, revoked_at";
const view = (r: Row): ApiTokenView => ({ id: r.id, name: r.name, prefix: r.prefix, userId: r.user_id, roleId: r.role_id, createdBy: r.created_by, createdAt: r.created_at, expiresAt: r.expires_at, lastUsedAt: r.last_used_at, revokedAt: r.revoked_at });

export interface NewApiToken {
  name: string;
  /** Exactly one of `userId` (a user's own token) and `roleId` (an integration acting with one role). */
  userId: string | null;
  roleId: string | null;
  createdBy: string | null;
  expiresAt: Date | null;
}

/** Create a token; the plaintext is returned here and never again. */
export async function createApiToken(q: Queryable, input: NewApiToken): Promise<ApiTokenView & { token: string }> {
  const prefix = `crm_${randomBytes(4).toString("hex")}`;
  const token = `${prefix}_${randomSecret()}`;
  const [row] = await q.query<Row>(
    `insert into api_tokens (name, user_id, role_id, token_hash, prefix, created_by, expires_at) values ($1, $2, $3, $4, $5, $6, $7) returning ${COLUMNS}`,
    // Dates travel as ISO text: postgres.js does not serialise a Date bound to a prepared statement.
    [input.name, input.userId, input.roleId, sha256(token), prefix, input.createdBy, input.expiresAt?.toISOString() ?? null],
  );
  return { ...view(row!), token };
}

export type TokenLookup =
  | { ok: true; id: string; userId: string | null; roleIds: string[] }
  | { ok: false; reason: "malformed" | "unknown" | "revoked" | "expired" | "inactive_user" };

/**
 * Look a presented token up by its hash (one indexed statement) and record its use, at most once a
 * minute per token so busy integrations do not turn every read into a write.
 */
export async function findApiToken(q: Queryable, token: string): Promise<TokenLookup> {
  if (!TOKEN_FORMAT.test(token)) return { ok: false, reason: "malformed" };
  const [row] = await q.query<{ id: string; user_id: string | null; revoked: boolean; expired: boolean; stale: boolean; active: boolean; role_ids: string[] }>(
    `select t.id, t.user_id, t.revoked_at is not null as revoked, coalesce(t.expires_at <= now(), false) as expired,
            coalesce(t.last_used_at < now() - interval '1 minute', true) as stale, coalesce(u.active, true) as active,
            case when t.user_id is null then array[t.role_id::text]
                 else array(select ur.role_id::text from user_roles ur where ur.user_id = t.user_id order by 1) end as role_ids
       from api_tokens t left join users u on u.id = t.user_id
      where t.token_hash = $1`,
    [sha256(token)],
  );
  if (!row) return { ok: false, reason: "unknown" };
  if (row.revoked) return { ok: false, reason: "revoked" };
  if (row.expired) return { ok: false, reason: "expired" };
  if (!row.active) return { ok: false, reason: "inactive_user" };
  if (row.stale) await q.query(`update api_tokens set last_used_at = now() where id = $1`, [row.id]);
  return { ok: true, id: row.id, userId: row.user_id, roleIds: row.role_ids };
}

/** Unrevoked tokens, newest first: a user's own, the role tokens (`roleTokens`), or all. */
export async function listApiTokens(q: Queryable, filter: { userId?: string; roleTokens?: boolean }): Promise<ApiTokenView[]> {
  const rows = await q.query<Row>(
    `select ${COLUMNS} from api_tokens
      where revoked_at is null and ($1::uuid is null or user_id = $1::uuid) and (not $2::boolean or role_id is not null)
      order by created_at desc, id`,
    [filter.userId ?? null, filter.roleTokens ?? false],
  );
  return rows.map(view);
}

export async function findApiTokenById(q: Queryable, id: string): Promise<ApiTokenView | undefined> {
  const [row] = await q.query<Row>(`select ${COLUMNS} from api_tokens where id = $1`, [id]);
  return row && view(row);
}

/** Revoke a token (only if it belongs to `userId`, when given); whether one was revoked. */
export async function revokeApiToken(q: Queryable, id: string, owner?: string): Promise<boolean> {
  const rows = await q.query(`update api_tokens set revoked_at = now() where id = $1 and revoked_at is null and ($2::uuid is null or user_id = $2::uuid) returning id`, [id, owner ?? null]);
  return rows.length > 0;
}
