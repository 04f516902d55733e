import type { Issue } from "@crm/core";
import type { Queryable } from "../db/database.ts";
import { ValidationFailed } from "../errors.ts";
import { EmailTaken, LastAdmin, ManagerCycle } from "./auth-errors.ts";

export interface UserReferences {
  departmentId?: string | null;
  managerId?: string | null;
  roleIds?: string[];
  teamIds?: string[];
}

async function missing(q: Queryable, table: "roles" | "teams", ids: string[], pointer: string): Promise<Issue[]> {
  if (!ids.length) return [];
  const found = new Set((await q.query<{ id: string }>(`select id::text as id from ${table} where id = any($1::uuid[])`, [ids])).map((r) => r.id));
  return ids.flatMap((id, i) => (found.has(id) ? [] : [{ code: "INVALID_REFERENCE", pointer: `${pointer}/${i}`, message: `There is no ${table.slice(0, -1)} with id "${id}".` }]));
}

/** Every department, manager, role and team a user input names must exist: 422 with pointers otherwise. */
export async function checkUserReferences(q: Queryable, input: UserReferences): Promise<void> {
  const issues: Issue[] = [];
  if (input.departmentId && !(await q.query(`select 1 from departments where id = $1`, [input.departmentId])).length) {
    issues.push({ code: "INVALID_REFERENCE", pointer: "/departmentId", message: `There is no department with id "${input.departmentId}".` });
  }
  if (input.managerId && !(await q.query(`select 1 from users where id = $1`, [input.managerId])).length) {
    issues.push({ code: "INVALID_REFERENCE", pointer: "/managerId", message: `There is no user with id "${input.managerId}".` });
  }
  issues.push(...(await missing(q, "roles", input.roleIds ?? [], "/roleIds")), ...(await missing(q, "teams", input.teamIds ?? [], "/teamIds")));
  if (issues.length) throw ValidationFailed("The user refers to things that do not exist; see issues.", { issues });
}

/** Refuse an email another user has, whatever its case (409 with the pointer). */
export async function checkEmailFree(q: Queryable, email: string, exceptUserId?: string): Promise<void> {
  const rows = await q.query(`select 1 from users where lower(email) = lower($1) and ($2::uuid is null or id <> $2::uuid)`, [email, exceptUserId ?? null]);
  if (rows.length) throw EmailTaken(`Another user already has the email "${email}".`, { issues: [{ code: "EMAIL_TAKEN", pointer: "/email", message: "This email is taken." }] });
}

/** Refuse a manager chain that comes back to the user. */
export async function checkManagerChain(q: Queryable, userId: string, managerId: string): Promise<void> {
  const [row] = await q.query<{ cycle: boolean }>(
    `with recursive chain(id, depth) as (select $1::uuid, 0 union all select u.manager_id, c.depth + 1 from users u join chain c on u.id = c.id where u.manager_id is not null and c.depth < 1000)
     select exists(select 1 from chain where id = $2::uuid) as cycle`,
    [managerId, userId],
  );
  if (row?.cycle) throw ManagerCycle("The manager reports, directly or through others, to this user.", { issues: [{ code: "MANAGER_CYCLE", pointer: "/managerId", message: "This would make the user their own manager." }] });
}

/** After a change, inside its transaction: at least one active user must still hold an admin role. */
export async function checkAdminRemains(q: Queryable): Promise<void> {
  const [row] = await q.query<{ ok: boolean }>(
    `select exists(select 1 from users u join user_roles ur on ur.user_id = u.id join roles r on r.id = ur.role_id where u.active and r.is_admin) as ok`,
  );
  if (!row?.ok) throw LastAdmin("This change would leave no active user with an administrator role.");
}
