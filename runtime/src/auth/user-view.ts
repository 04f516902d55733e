import type { UserView as CoreUserView } from "@crm/core";
import type { Queryable } from "../db/database.ts";

/** A user as the API shows it (never the password hash), with the database's `Date`s. */
export type UserView = CoreUserView<Date>;

type Row = { id: string; email: string; name: string; locale: string; active: boolean; department_id: string | null; manager_id: string | null; role_ids: string[]; team_ids: string[]; created_at: Date; updated_at: Date; last_login_at: Date | null };

/** `select` of every UserView column from `users u`; append `where …`. */
export const SELECT_USERS = `select u.id, u.email, u.name, u.locale, u.active, u.department_id, u.manager_id, u.created_at, u.updated_at, u.last_login_at,
  array(select ur.role_id::text from user_roles ur where ur.user_id = u.id order by 1) as role_ids,
  array(select tm.team_id::text from team_members tm where tm.user_id = u.id order by 1) as team_ids
  from users u`;

export function userView(r: Row): UserView {
  return {
    id: r.id,
    email: r.email,
    name: r.name,
    locale: r.locale,
    active: r.active,
    departmentId: r.department_id,
    managerId: r.manager_id,
    roleIds: r.role_ids,
    teamIds: r.team_ids,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    lastLoginAt: r.last_login_at,
  };
}

export async function findUser(q: Queryable, id: string): Promise<UserView | undefined> {
  const [row] = await q.query<Row>(`${SELECT_USERS} where u.id = $1`, [id]);
  return row && userView(row);
}

export async function listUsers(q: Queryable, filter: { active?: boolean; limit: number; offset: number }): Promise<UserView[]> {
  const rows = await q.query<Row>(`${SELECT_USERS} where ($1::boolean is null or u.active = $1) order by lower(u.email) limit $2 offset $3`, [filter.active ?? null, filter.limit, filter.offset]);
  return rows.map(userView);
}
