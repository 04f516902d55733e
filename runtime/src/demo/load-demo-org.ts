import type { Queryable } from "../db/database.ts";
import { hashPassword } from "../auth/password.ts";
import { DEMO_DEPARTMENTS, DEMO_TEAMS, DEMO_USERS } from "./demo-org.ts";

/**
 * Create the demo organisation (departments, users with their shipped roles, the team) unless it
 * exists; every demo user signs in with `password`. Returns how many users were created.
 */
export async function loadDemoOrg(tx: Queryable, password: string): Promise<number> {
  for (const department of DEMO_DEPARTMENTS) {
    const parent = department.parentId ? DEMO_DEPARTMENTS.find((d) => d.id === department.parentId) : undefined;
    const path = parent ? `/${parent.id}/${department.id}/` : `/${department.id}/`;
    await tx.query(`insert into departments (id, name, parent_id, path) values ($1, $2, $3, $4) on conflict (id) do nothing`, [department.id, department.name, department.parentId, path]);
  }
  const hash = await hashPassword(password);
  let created = 0;
  for (const user of DEMO_USERS) {
    const rows = await tx.query(
      `insert into users (id, email, name, department_id, password_hash) values ($1, $2, $3, $4, $5) on conflict do nothing returning id`,
      [user.id, user.email, user.name, user.departmentId, hash],
    );
    created += rows.length;
    if (rows.length === 0) continue;
    await tx.query(`insert into user_roles (user_id, role_id) select $1, id from roles where key = $2 on conflict do nothing`, [user.id, user.role]);
  }
  for (const user of DEMO_USERS) if (user.managerId) await tx.query(`update users set manager_id = $2 where id = $1 and manager_id is null`, [user.id, user.managerId]);
  for (const team of DEMO_TEAMS) {
    await tx.query(`insert into teams (id, name) values ($1, $2) on conflict (id) do nothing`, [team.id, team.name]);
    for (const member of team.memberIds) await tx.query(`insert into team_members (team_id, user_id) values ($1, $2) on conflict do nothing`, [team.id, member]);
  }
  return created;
}
