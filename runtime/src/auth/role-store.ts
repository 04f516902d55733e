import type { Queryable } from "../db/database.ts";
import { sqlState } from "../db/translate-error.ts";
import { type AuditActor, recordAdminAudit } from "./admin-audit.ts";
import { RoleInUse, RoleKeyTaken, RoleNotFound } from "./auth-errors.ts";
import { checkAdminRemains } from "./check-user-references.ts";

/** A role. `permissions` is stored as given; the access module of core defines and validates it. */
export interface Role {
  id: string;
  key: string;
  name: string;
  description: string | null;
  isAdmin: boolean;
  permissions: Record<string, unknown>;
  createdAt: Date;
  updatedAt: Date;
}

export interface RoleInput {
  key: string;
  name: string;
  description?: string | null;
  isAdmin?: boolean;
  permissions?: Record<string, unknown>;
}

type Row = { id: string; key: string; name: string; description: string | null; is_admin: boolean; permissions: unknown; created_at: Date; updated_at: Date };
const COLUMNS = "id, key, name, description, is_admin, permissions, created_at, updated_at";
const role = (r: Row): Role => ({
  id: r.id,
  key: r.key,
  name: r.name,
  description: r.description,
  isAdmin: r.is_admin,
  permissions: (typeof r.permissions === "string" ? JSON.parse(r.permissions) : r.permissions) as Record<string, unknown>,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

export async function listRoles(q: Queryable): Promise<Role[]> {
  return (await q.query<Row>(`select ${COLUMNS} from roles order by key`)).map(role);
}

export async function findRole(q: Queryable, id: string): Promise<Role | undefined> {
  const [row] = await q.query<Row>(`select ${COLUMNS} from roles where id = $1`, [id]);
  return row && role(row);
}

function keyTaken(key: string, cause?: unknown) {
  return RoleKeyTaken(`Another role already has the key "${key}".`, { issues: [{ code: "ROLE_KEY_TAKEN", pointer: "/key", message: "This key is taken." }], cause });
}

const keyRace = (key: string) => (error: unknown): never => {
  throw sqlState(error) === "23505" ? keyTaken(key, error) : error;
};

export async function createRole(tx: Queryable, input: RoleInput, actor: AuditActor): Promise<Role> {
  if ((await tx.query(`select 1 from roles where key = $1`, [input.key])).length) throw keyTaken(input.key);
  const [row] = await tx
    .query<Row>(`insert into roles (key, name, description, is_admin, permissions) values ($1, $2, $3, $4, $5) returning ${COLUMNS}`, [
      input.key,
      input.name,
      input.description ?? null,
      input.isAdmin ?? false,
      JSON.stringify(input.permissions ?? {}),
    ])
    .catch(keyRace(input.key));
  await recordAdminAudit(tx, actor, "role_created", row!.id, { key: input.key, isAdmin: input.isAdmin ?? false });
  return role(row!);
}

export async function updateRole(tx: Queryable, id: string, patch: Partial<RoleInput>, actor: AuditActor): Promise<Role> {
  const before = await findRole(tx, id);
  if (!before) throw RoleNotFound(`There is no role with id "${id}".`);
  if (patch.key !== undefined && patch.key !== before.key && (await tx.query(`select 1 from roles where key = $1`, [patch.key])).length) throw keyTaken(patch.key);
  const [row] = await tx
    .query<Row>(
      `update roles set key = coalesce($2, key), name = coalesce($3, name), description = case when $4::boolean then $5 else description end,
              is_admin = coalesce($6, is_admin), permissions = coalesce($7::jsonb, permissions), updated_at = now()
        where id = $1 returning ${COLUMNS}`,
      [id, patch.key ?? null, patch.name ?? null, patch.description !== undefined, patch.description ?? null, patch.isAdmin ?? null, patch.permissions ? JSON.stringify(patch.permissions) : null],
    )
    .catch(keyRace(patch.key ?? before.key));
  if (before.isAdmin && patch.isAdmin === false) await checkAdminRemains(tx);
  // The permissions themselves go into the log: who granted what is the point of this entry.
  await recordAdminAudit(tx, actor, "role_changed", id, { key: row!.key, changes: patch, ...(patch.permissions ? { previousPermissions: before.permissions } : {}) });
  return role(row!);
}

/** Only a role nobody holds (no user, no token) can go. */
export async function deleteRole(tx: Queryable, id: string, actor: AuditActor): Promise<void> {
  const current = await findRole(tx, id);
  if (!current) throw RoleNotFound(`There is no role with id "${id}".`);
  const [use] = await tx.query<{ users: number; tokens: number }>(
    `select (select count(*) from user_roles where role_id = $1)::int as users, (select count(*) from api_tokens where role_id = $1 and revoked_at is null)::int as tokens`,
    [id],
  );
  if (use!.users || use!.tokens) throw RoleInUse(`${use!.users} user(s) and ${use!.tokens} token(s) hold the role "${current.key}"; take it from them first.`);
  // Revoked tokens of the role go with it; the audit log keeps their history.
  await tx.query(`delete from api_tokens where role_id = $1 and revoked_at is not null`, [id]);
  await tx.query(`delete from roles where id = $1`, [id]);
  await recordAdminAudit(tx, actor, "role_deleted", id, { key: current.key });
}
