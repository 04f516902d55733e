import type { Queryable } from "../db/database.ts";
import { sqlState } from "../db/translate-error.ts";
import { type AuditActor, recordAdminAudit } from "./admin-audit.ts";
import { EmailTaken, UserNotFound } from "./auth-errors.ts";
import { checkAdminRemains, checkEmailFree, checkManagerChain, checkUserReferences } from "./check-user-references.ts";
import { revokeUserSessions } from "./session-store.ts";
import { findUser, type UserView } from "./user-view.ts";

export interface UserInput {
  email: string;
  name: string;
  locale?: string;
  active?: boolean;
  departmentId?: string | null;
  managerId?: string | null;
  roleIds?: string[];
  teamIds?: string[];
}

const COLUMNS = { email: "email", name: "name", locale: "locale", active: "active", departmentId: "department_id", managerId: "manager_id" } as const;

async function setMemberships(tx: Queryable, userId: string, input: Pick<UserInput, "roleIds" | "teamIds">) {
  if (input.roleIds) {
    await tx.query(`delete from user_roles where user_id = $1 and role_id <> all($2::uuid[])`, [userId, input.roleIds]);
    await tx.query(`insert into user_roles (user_id, role_id) select $1, unnest($2::uuid[]) on conflict do nothing`, [userId, input.roleIds]);
  }
  if (input.teamIds) {
    await tx.query(`delete from team_members where user_id = $1 and team_id <> all($2::uuid[])`, [userId, input.teamIds]);
    await tx.query(`insert into team_members (user_id, team_id) select $1, unnest($2::uuid[]) on conflict do nothing`, [userId, input.teamIds]);
  }
}

/** The database's unique index is the last word on emails (two concurrent creates). */
function emailRace(error: unknown): never {
  if (sqlState(error) === "23505") throw EmailTaken("Another user already has this email.", { issues: [{ code: "EMAIL_TAKEN", pointer: "/email", message: "This email is taken." }], cause: error });
  throw error;
}

/** Create a user with its roles and teams, inside the caller's transaction, audited. */
export async function createUser(tx: Queryable, input: UserInput & { passwordHash: string | null }, actor: AuditActor): Promise<UserView> {
  await checkEmailFree(tx, input.email);
  await checkUserReferences(tx, input);
  const [row] = await tx
    .query<{ id: string }>(`insert into users (email, name, locale, active, department_id, manager_id, password_hash) values ($1, $2, $3, $4, $5, $6, $7) returning id`, [
      input.email,
      input.name,
      input.locale ?? "en",
      input.active ?? true,
      input.departmentId ?? null,
      input.managerId ?? null,
      input.passwordHash,
    ])
    .catch(emailRace);
  await setMemberships(tx, row!.id, input);
  const user = (await findUser(tx, row!.id))!;
  await recordAdminAudit(tx, actor, "user_created", user.id, { email: user.email, roleIds: user.roleIds, teamIds: user.teamIds });
  return user;
}

/**
 * Change a user, inside the caller's transaction. Deactivating ends their sessions; role changes are
 * audited on their own; the change is refused if it leaves no active administrator.
 */
export async function updateUser(tx: Queryable, id: string, patch: Partial<UserInput>, actor: AuditActor): Promise<UserView> {
  // Lock the row first, so `before` is what this change replaces.
  if (!(await tx.query(`select 1 from users where id = $1 for update`, [id])).length) throw UserNotFound(`There is no user with id "${id}".`);
  const before = (await findUser(tx, id))!;
  if (patch.email !== undefined) await checkEmailFree(tx, patch.email, id);
  await checkUserReferences(tx, patch);
  if (patch.managerId) await checkManagerChain(tx, id, patch.managerId);
  const entries = Object.entries(COLUMNS).filter(([key]) => patch[key as keyof typeof COLUMNS] !== undefined);
  if (entries.length) {
    const sets = entries.map(([, column], i) => `${column} = $${i + 2}`).join(", ");
    await tx.query(`update users set ${sets}, updated_at = now() where id = $1`, [id, ...entries.map(([key]) => patch[key as keyof typeof COLUMNS])]).catch(emailRace);
  }
  await setMemberships(tx, id, patch);
  if (patch.active === false && before.active) await revokeUserSessions(tx, id);
  const after = (await findUser(tx, id))!;
  await checkAdminRemains(tx);
  const changed = entries.map(([key]) => key).filter((key) => String(before[key as keyof UserView]) !== String(after[key as keyof UserView]));
  if (changed.length || String(before.teamIds) !== String(after.teamIds)) {
    await recordAdminAudit(tx, actor, "user_updated", id, { changed: String(before.teamIds) !== String(after.teamIds) ? [...changed, "teamIds"] : changed });
  }
  if (String(before.roleIds) !== String(after.roleIds)) {
    await recordAdminAudit(tx, actor, "user_roles_changed", id, {
      added: after.roleIds.filter((r) => !before.roleIds.includes(r)),
      removed: before.roleIds.filter((r) => !after.roleIds.includes(r)),
    });
  }
  return after;
}

/** Set a new password hash and end every session of the user; false when there is no such user. */
export async function resetPassword(tx: Queryable, id: string, passwordHash: string, actor: AuditActor, generated: boolean): Promise<boolean> {
  const rows = await tx.query(`update users set password_hash = $2, updated_at = now() where id = $1 returning id`, [id, passwordHash]);
  if (!rows.length) return false;
  const sessions = await revokeUserSessions(tx, id);
  await recordAdminAudit(tx, actor, "password_reset", id, { generated, sessionsRevoked: sessions });
  return true;
}
