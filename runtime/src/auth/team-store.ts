import type { Queryable } from "../db/database.ts";
import { ValidationFailed } from "../errors.ts";
import { type AuditActor, recordAdminAudit } from "./admin-audit.ts";
import { TeamNotFound, UserNotFound } from "./auth-errors.ts";

export interface Team {
  id: string;
  name: string;
  memberIds: string[];
  createdAt: Date;
  updatedAt: Date;
}

type Row = { id: string; name: string; member_ids: string[]; created_at: Date; updated_at: Date };
const SELECT = `select t.id, t.name, t.created_at, t.updated_at, array(select m.user_id::text from team_members m where m.team_id = t.id order by 1) as member_ids from teams t`;
const team = (r: Row): Team => ({ id: r.id, name: r.name, memberIds: r.member_ids, createdAt: r.created_at, updatedAt: r.updated_at });

export async function listTeams(q: Queryable): Promise<Team[]> {
  return (await q.query<Row>(`${SELECT} order by t.name, t.id`)).map(team);
}

export async function findTeam(q: Queryable, id: string): Promise<Team | undefined> {
  const [row] = await q.query<Row>(`${SELECT} where t.id = $1`, [id]);
  return row && team(row);
}

async function setMembers(tx: Queryable, teamId: string, memberIds: string[]) {
  const found = new Set((await tx.query<{ id: string }>(`select id::text as id from users where id = any($1::uuid[])`, [memberIds])).map((r) => r.id));
  const issues = memberIds.flatMap((id, i) => (found.has(id) ? [] : [{ code: "INVALID_REFERENCE", pointer: `/memberIds/${i}`, message: `There is no user with id "${id}".` }]));
  if (issues.length) throw ValidationFailed("Some members do not exist; see issues.", { issues });
  await tx.query(`delete from team_members where team_id = $1 and user_id <> all($2::uuid[])`, [teamId, memberIds]);
  await tx.query(`insert into team_members (team_id, user_id) select $1, unnest($2::uuid[]) on conflict do nothing`, [teamId, memberIds]);
}

export async function createTeam(tx: Queryable, input: { name: string; memberIds?: string[] }, actor: AuditActor): Promise<Team> {
  const [row] = await tx.query<{ id: string }>(`insert into teams (name) values ($1) returning id`, [input.name]);
  if (input.memberIds) await setMembers(tx, row!.id, input.memberIds);
  await recordAdminAudit(tx, actor, "team_created", row!.id, { name: input.name, memberIds: input.memberIds ?? [] });
  return (await findTeam(tx, row!.id))!;
}

/** Rename and/or replace the members. */
export async function updateTeam(tx: Queryable, id: string, patch: { name?: string; memberIds?: string[] }, actor: AuditActor): Promise<Team> {
  const rows = await tx.query(`update teams set name = coalesce($2, name), updated_at = now() where id = $1 returning id`, [id, patch.name ?? null]);
  if (!rows.length) throw TeamNotFound(`There is no team with id "${id}".`);
  if (patch.memberIds) await setMembers(tx, id, patch.memberIds);
  await recordAdminAudit(tx, actor, "team_changed", id, patch);
  return (await findTeam(tx, id))!;
}

export async function deleteTeam(tx: Queryable, id: string, actor: AuditActor): Promise<void> {
  const [row] = await tx.query<{ name: string }>(`delete from teams where id = $1 returning name`, [id]);
  if (!row) throw TeamNotFound(`There is no team with id "${id}".`);
  await recordAdminAudit(tx, actor, "team_deleted", id, { name: row.name });
}

export async function addTeamMember(tx: Queryable, teamId: string, userId: string, actor: AuditActor): Promise<Team> {
  if (!(await findTeam(tx, teamId))) throw TeamNotFound(`There is no team with id "${teamId}".`);
  if (!(await tx.query(`select 1 from users where id = $1`, [userId])).length) {
    throw ValidationFailed("The user does not exist.", { issues: [{ code: "INVALID_REFERENCE", pointer: "/userId", message: `There is no user with id "${userId}".` }] });
  }
  const added = await tx.query(`insert into team_members (team_id, user_id) values ($1, $2) on conflict do nothing returning user_id`, [teamId, userId]);
  if (added.length) await recordAdminAudit(tx, actor, "team_member_added", teamId, { userId });
  return (await findTeam(tx, teamId))!;
}

export async function removeTeamMember(tx: Queryable, teamId: string, userId: string, actor: AuditActor): Promise<void> {
  if (!(await findTeam(tx, teamId))) throw TeamNotFound(`There is no team with id "${teamId}".`);
  const removed = await tx.query(`delete from team_members where team_id = $1 and user_id = $2 returning user_id`, [teamId, userId]);
  if (!removed.length) throw UserNotFound(`The user "${userId}" is not a member of this team.`);
  await recordAdminAudit(tx, actor, "team_member_removed", teamId, { userId });
}
