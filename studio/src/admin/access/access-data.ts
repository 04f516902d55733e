import { ref, shallowRef } from "vue";
import { ApiError } from "../../api/index.ts";
import { accessApi, designApi, type AdminRole, type AdminTeam, type AdminUser, type DepartmentNode, type MetaEntity } from "../../api/admin.ts";

/** A department with its depth, for indented pickers. */
export interface FlatDepartment {
  id: string;
  name: string;
  depth: number;
}

export function flattenDepartments(nodes: readonly DepartmentNode[], depth = 0): FlatDepartment[] {
  return nodes.flatMap((n) => [{ id: n.id, name: n.name, depth }, ...flattenDepartments(n.children ?? [], depth + 1)]);
}

/** `"  ".repeat(depth) + name`: a department in a native select, indented by its depth. */
export const indented = (d: FlatDepartment) => `${"\u00a0\u00a0".repeat(d.depth)}${d.name}`;

/**
 * What the access screens share: users, teams, departments (tree and flat) and roles, loaded
 * together and reloaded after a change; `run` turns a failed request into `failure` (and its issues).
 */
export function useAccessData() {
  const users = shallowRef<AdminUser[]>([]);
  const teams = shallowRef<AdminTeam[]>([]);
  const tree = shallowRef<DepartmentNode[]>([]);
  const departments = shallowRef<FlatDepartment[]>([]);
  const roles = shallowRef<AdminRole[]>([]);
  const failure = ref("");
  const issues = shallowRef<Array<{ pointer: string; message: string }>>([]);

  async function reload(): Promise<void> {
    const [u, t, d, r] = await Promise.all([accessApi.users(), accessApi.teams(), accessApi.departments(), accessApi.roles()]);
    users.value = u;
    teams.value = t;
    tree.value = d;
    departments.value = flattenDepartments(d);
    roles.value = r;
  }

  async function run<T>(work: () => Promise<T>): Promise<T | undefined> {
    failure.value = "";
    issues.value = [];
    try {
      const result = await work();
      await reload();
      return result;
    } catch (error) {
      failure.value = error instanceof Error ? error.message : String(error);
      if (error instanceof ApiError) issues.value = error.problem.issues ?? [];
      return undefined;
    }
  }

  /** Loads everything, with the entity definitions too (the role matrix and the explanation name entities); failures go to `failure`. */
  const entities = shallowRef<MetaEntity[]>([]);
  async function loadWithEntities(): Promise<void> {
    try {
      await reload();
      entities.value = await designApi.entities();
    } catch (error) {
      failure.value = String(error);
    }
  }

  const issueAt = (pointer: string) => issues.value.find((i) => i.pointer === pointer)?.message;
  return { users, teams, tree, departments, roles, entities, failure, issues, issueAt, reload, loadWithEntities, run };
}
