import type { AccessSubject, Role } from "@crm/core";
import type { Queryable } from "../db/database.ts";
import { readPermissions } from "./read-permissions.ts";

/** A role row as loaded, before its permissions are read. */
export interface RoleRow {
  id: string;
  key: string;
  isAdmin: boolean;
  permissions: unknown;
}

/** The role the access rules use from a loaded row. */
export function roleOf(row: RoleRow): Role {
  return { id: row.id, key: row.key, permissions: readPermissions(row.permissions, row.isAdmin) };
}

type Row = { found: boolean; roles: RoleRow[] | string; team: string[]; department: string[]; subtree: string[] };

// One round trip: the roles (given, or else the user's own), team mates, department and subtree users.
// Users of a department count whether active or not: their records stay in the scope.
const SUBJECT_SQL = `
with me as (
  select u.id, u.department_id, d.path from users u left join departments d on d.id = u.department_id where u.id = $1::uuid
)
select
  exists(select 1 from me) as found,
  (select coalesce(json_agg(json_build_object('id', r.id, 'key', r.key, 'isAdmin', r.is_admin, 'permissions', r.permissions) order by r.id), '[]'::json)
     from roles r where r.id = any(coalesce($2::uuid[], array(select ur.role_id from user_roles ur where ur.user_id = $1::uuid)))) as roles,
  array(select distinct m.user_id::text from team_members m
         where m.team_id in (select t.team_id from team_members t where t.user_id = $1::uuid) order by 1) as team,
  array(select u.id::text from users u join me on u.department_id = me.department_id order by 1) as department,
  array(select u.id::text from users u join departments d on d.id = u.department_id join me on d.path like me.path || '%' order by 1) as subtree`;

/** `ids` with `userId` in it (the caller always counts as their own team, department and subtree). */
function including(ids: string[], userId: string): string[] {
  return ids.includes(userId) ? ids : [userId, ...ids];
}

/**
 * Load what the access rules need about a user: their roles (`roleIds`, or else the roles the user
 * holds), the users sharing a team with them, the users of their department, and those of the
 * departments below it, each with the user included. With `userId` null (a role token acting for no
 * user) only the roles. Resolves to undefined when there is no such user.
 * `makeRole` turns each loaded row into a role, so a cache can hand out one object per role version.
 */
export async function loadSubject(
  q: Queryable,
  who: { userId: string | null; roleIds?: readonly string[] },
  makeRole: (row: RoleRow) => Role = roleOf,
): Promise<AccessSubject | undefined> {
  const [row] = await q.query<Row>(SUBJECT_SQL, [who.userId, who.roleIds ? [...who.roleIds] : null]);
  const { userId } = who;
  if (userId !== null && !row!.found) return undefined;
  const roleRows = (typeof row!.roles === "string" ? JSON.parse(row!.roles) : row!.roles) as RoleRow[];
  const roles = roleRows.map(makeRole);
  if (userId === null) return { userId: null, roles, teamUserIds: [], departmentUserIds: [], subtreeUserIds: [] };
  return {
    userId,
    roles,
    teamUserIds: including(row!.team, userId),
    departmentUserIds: including(row!.department, userId),
    subtreeUserIds: including(row!.subtree, userId),
  };
}
