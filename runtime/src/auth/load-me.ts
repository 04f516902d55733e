import type { Queryable } from "../db/database.ts";
import { findUser, type UserView } from "./user-view.ts";

export interface Me {
  user: UserView;
  roles: Array<{ id: string; key: string; name: string; isAdmin: boolean }>;
  teams: Array<{ id: string; name: string }>;
  department: { id: string; name: string; parentId: string | null; path: string } | null;
}

/** The signed-in user with their roles, teams and department, for `GET /api/me`. */
export async function loadMe(q: Queryable, userId: string): Promise<Me | undefined> {
  const user = await findUser(q, userId);
  if (!user) return undefined;
  const roles = await q.query<{ id: string; key: string; name: string; is_admin: boolean }>(
    `select r.id, r.key, r.name, r.is_admin from roles r join user_roles ur on ur.role_id = r.id where ur.user_id = $1 order by r.key`,
    [userId],
  );
  const teams = await q.query<{ id: string; name: string }>(`select t.id, t.name from teams t join team_members m on m.team_id = t.id where m.user_id = $1 order by t.name`, [userId]);
  const [department] = user.departmentId
    ? await q.query<{ id: string; name: string; parent_id: string | null; path: string }>(`select id, name, parent_id, path from departments where id = $1`, [user.departmentId])
    : [];
  return {
    user,
    roles: roles.map((r) => ({ id: r.id, key: r.key, name: r.name, isAdmin: r.is_admin })),
    teams,
    department: department ? { id: department.id, name: department.name, parentId: department.parent_id, path: department.path } : null,
  };
}
