import { randomUUID } from "node:crypto";
import type { Queryable } from "../db/database.ts";
import { ValidationFailed } from "../errors.ts";
import { type AuditActor, recordAdminAudit } from "./admin-audit.ts";
import { DepartmentCycle, DepartmentInUse, DepartmentNotFound } from "./auth-errors.ts";

/**
 * A department; `path` is `/<root id>/…/<own id>/`, so the subtree of `d` (itself included) is
 * `path like d.path || '%'`, one indexed range scan (text_pattern_ops).
 */
export interface Department {
  id: string;
  name: string;
  parentId: string | null;
  path: string;
  createdAt: Date;
  updatedAt: Date;
}

export type DepartmentNode = Department & { children: DepartmentNode[] };

type Row = { id: string; name: string; parent_id: string | null; path: string; created_at: Date; updated_at: Date };
const COLUMNS = "id, name, parent_id, path, created_at, updated_at";
const department = (r: Row): Department => ({ id: r.id, name: r.name, parentId: r.parent_id, path: r.path, createdAt: r.created_at, updatedAt: r.updated_at });

/** Tree changes take turns across processes, so two concurrent moves cannot build a cycle together. */
const lockTree = (tx: Queryable) => tx.query(`select pg_advisory_xact_lock(7246020)`);

export async function findDepartment(q: Queryable, id: string): Promise<Department | undefined> {
  const [row] = await q.query<Row>(`select ${COLUMNS} from departments where id = $1`, [id]);
  return row && department(row);
}

/** Every department as a forest, children sorted by name. */
export async function loadDepartmentTree(q: Queryable): Promise<DepartmentNode[]> {
  const rows = await q.query<Row>(`select ${COLUMNS} from departments order by name, id`);
  const nodes = new Map(rows.map((r) => [r.id, { ...department(r), children: [] as DepartmentNode[] }]));
  const roots: DepartmentNode[] = [];
  for (const node of nodes.values()) (node.parentId ? nodes.get(node.parentId)!.children : roots).push(node);
  return roots;
}

async function parentPath(tx: Queryable, parentId: string | null | undefined): Promise<string> {
  if (!parentId) return "/";
  const parent = await findDepartment(tx, parentId);
  if (!parent) throw ValidationFailed("The parent department does not exist.", { issues: [{ code: "INVALID_REFERENCE", pointer: "/parentId", message: `There is no department with id "${parentId}".` }] });
  return parent.path;
}

export async function createDepartment(tx: Queryable, input: { name: string; parentId?: string | null }, actor: AuditActor): Promise<Department> {
  await lockTree(tx);
  const id = randomUUID();
  const path = `${await parentPath(tx, input.parentId)}${id}/`;
  const [row] = await tx.query<Row>(`insert into departments (id, name, parent_id, path) values ($1, $2, $3, $4) returning ${COLUMNS}`, [id, input.name, input.parentId ?? null, path]);
  await recordAdminAudit(tx, actor, "department_created", id, { name: input.name, parentId: input.parentId ?? null });
  return department(row!);
}

/** Rename and/or move a department; a move rewrites the paths of its whole subtree in one statement. */
export async function updateDepartment(tx: Queryable, id: string, patch: { name?: string; parentId?: string | null }, actor: AuditActor): Promise<Department> {
  await lockTree(tx);
  const current = await findDepartment(tx, id);
  if (!current) throw DepartmentNotFound(`There is no department with id "${id}".`);
  if (patch.parentId !== undefined && patch.parentId !== current.parentId) {
    const newParentPath = await parentPath(tx, patch.parentId);
    if (newParentPath.startsWith(current.path)) {
      throw DepartmentCycle("The new parent is the department itself or one of its sub-departments.", { issues: [{ code: "DEPARTMENT_CYCLE", pointer: "/parentId", message: "Choose a parent outside this department's subtree." }] });
    }
    const newPath = `${newParentPath}${id}/`;
    await tx.query(`update departments set parent_id = $2 where id = $1`, [id, patch.parentId]);
    await tx.query(`update departments set path = $2::text || substr(path, length($1::text) + 1), updated_at = now() where path like $1::text || '%'`, [current.path, newPath]);
  }
  if (patch.name !== undefined) await tx.query(`update departments set name = $2, updated_at = now() where id = $1`, [id, patch.name]);
  await recordAdminAudit(tx, actor, "department_changed", id, { ...patch, ...(patch.parentId !== undefined ? { previousParentId: current.parentId } : {}) });
  return (await findDepartment(tx, id))!;
}

/** Only an empty department (no sub-departments, no users) can go. */
export async function deleteDepartment(tx: Queryable, id: string, actor: AuditActor): Promise<void> {
  await lockTree(tx);
  const current = await findDepartment(tx, id);
  if (!current) throw DepartmentNotFound(`There is no department with id "${id}".`);
  const [use] = await tx.query<{ children: number; users: number }>(
    `select (select count(*) from departments where parent_id = $1)::int as children, (select count(*) from users where department_id = $1)::int as users`,
    [id],
  );
  if (use!.children || use!.users) throw DepartmentInUse(`The department has ${use!.children} sub-department(s) and ${use!.users} user(s); move them first.`);
  await tx.query(`delete from departments where id = $1`, [id]);
  await recordAdminAudit(tx, actor, "department_deleted", id, { name: current.name });
}
