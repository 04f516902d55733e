import type { Queryable } from "../db/database.ts";
import type { Principal } from "./principal.ts";

/** Every action the admin audit log knows: a closed list, so a typo is a type error. */
export const ADMIN_AUDIT_ACTIONS = [
  "login",
  "login_failed",
  "logout",
  "session_revoked",
  "sessions_revoked",
  "user_created",
  "user_updated",
  "user_roles_changed",
  "password_reset",
  "department_created",
  "department_changed",
  "department_deleted",
  "team_created",
  "team_changed",
  "team_deleted",
  "team_member_added",
  "team_member_removed",
  "role_created",
  "role_changed",
  "role_deleted",
  "token_created",
  "token_revoked",
  "entity_created",
  "entity_changed",
  "entity_deleted",
  "entity_restored",
  "entity_purged",
  "field_restored",
  "field_purged",
  "workflow_created",
  "workflow_changed",
  "workflow_enabled",
  "workflow_disabled",
  "workflow_run_retried",
  "workflow_run_cancelled",
  "workflow_webhook_secret_set",
] as const;
export type AdminAuditAction = (typeof ADMIN_AUDIT_ACTIONS)[number];

/** Who did it, from where. */
export interface AuditActor {
  userId: string | null;
  tokenId: string | null;
  ip: string | null;
}

/** No one in particular: the platform itself (startup, the shipped CRM), or a caller that does not say. */
export const NO_AUDIT_ACTOR: AuditActor = Object.freeze({ userId: null, tokenId: null, ip: null });

export function auditActor(principal: Principal, ip: string | null): AuditActor {
  if (principal.kind === "user") return { userId: principal.userId, tokenId: null, ip };
  if (principal.kind === "token") return { userId: principal.userId, tokenId: principal.tokenId, ip };
  return { userId: null, tokenId: null, ip };
}

/** Append one entry; call it inside the change's own transaction so a rolled-back change leaves none. */
export async function recordAdminAudit(q: Queryable, actor: AuditActor, action: AdminAuditAction, subject: string | null, details: Record<string, unknown> = {}): Promise<void> {
  await q.query(`insert into admin_audit_log (actor_user_id, actor_token_id, action, subject, details, ip) values ($1, $2, $3, $4, $5, $6)`, [
    actor.userId,
    actor.tokenId,
    action,
    subject,
    JSON.stringify(details),
    actor.ip,
  ]);
}

export interface AdminAuditEntry {
  id: number;
  at: Date;
  actorUserId: string | null;
  actorTokenId: string | null;
  action: AdminAuditAction;
  subject: string | null;
  details: Record<string, unknown>;
  ip: string | null;
}

/** Latest first; `user` matches the actor or the subject; `before` pages by id. */
export async function listAdminAudit(q: Queryable, filter: { action?: string; user?: string; before?: number; limit: number }): Promise<AdminAuditEntry[]> {
  const rows = await q.query<{ id: string | number; at: Date; actor_user_id: string | null; actor_token_id: string | null; action: AdminAuditAction; subject: string | null; details: unknown; ip: string | null }>(
    `select id, at, actor_user_id, actor_token_id, action, subject, details, ip from admin_audit_log
      where ($1::text is null or action = $1) and ($2::uuid is null or actor_user_id = $2::uuid or subject = $2::text)
        and ($3::bigint is null or id < $3::bigint)
      order by id desc limit $4`,
    [filter.action ?? null, filter.user ?? null, filter.before ?? null, filter.limit],
  );
  return rows.map((r) => ({
    id: Number(r.id),
    at: r.at,
    actorUserId: r.actor_user_id,
    actorTokenId: r.actor_token_id,
    action: r.action,
    subject: r.subject,
    details: (typeof r.details === "string" ? JSON.parse(r.details) : r.details) as Record<string, unknown>,
    ip: r.ip,
  }));
}
