import { resolveAccess, type AccessSubject, type EntityAccess, type EntityDefinition, type Role } from "@crm/core";
import type { Principal } from "../auth/principal.ts";
import type { Database } from "../db/database.ts";
import { loadSubject, roleOf, type RoleRow } from "./load-subject.ts";

/** The NOTIFY channel on which changes to users, teams, departments or roles are announced to every process. */
export const ACCESS_CHANNEL = "crm_access_changed";

export interface AccessService {
  /** The caller as the access rules see it; anonymous → userId null, no roles, empty arrays. */
  subject(principal: Principal): Promise<AccessSubject>;
  /**
   * `resolveAccess(subject.roles, entity)`, memoised per role versions and definition object. The
   * result is shared between callers: read it, never change it.
   */
  entity(subject: AccessSubject, entity: EntityDefinition): EntityAccess;
  /** Forget cached subjects and roles; on PostgreSQL also NOTIFY crm_access_changed so other processes forget theirs. */
  changed(): Promise<void>;
  /** Forget cached subjects and roles in this process only: what a crm_access_changed notification does. */
  forget(): void;
}

export interface AccessServiceOptions {
  db: Database;
  /** Subscribe to crm_access_changed (default true); off for a service that must not hear other processes. */
  listen?: boolean;
  /** How many callers' subjects to keep (default 10 000); the oldest go first. */
  maxSubjects?: number;
}

const ANONYMOUS_SUBJECT: AccessSubject = Object.freeze({ userId: null, roles: [], teamUserIds: [], departmentUserIds: [], subtreeUserIds: [] });
/** Distinct role combinations remembered per entity definition before starting over. */
const MAX_COMBINATIONS = 1_000;

/**
 * The access rules' view of callers, cached: `subject()` costs one query on a miss and none on a hit,
 * and `entity()` resolves each combination of roles once per entity definition. Admin writes and
 * notifications from other processes empty the subject cache (`changed()`, `forget()`). Resolves once
 * it listens for those notifications.
 */
export async function createAccessService(options: AccessServiceOptions): Promise<AccessService> {
  const { db } = options;
  const maxSubjects = options.maxSubjects ?? 10_000;
  const subjects = new Map<string, Promise<AccessSubject>>();
  // One object per role version, so equal roles share `entity()` results across callers.
  const roles = new Map<string, { fingerprint: string; role: Role }>();
  const versions = new WeakMap<Role, number>();
  const combinations = new WeakMap<readonly Role[], string>();
  const resolved = new WeakMap<EntityDefinition, Map<string, EntityAccess>>();
  let nextVersion = 1;

  const versionOf = (role: Role): number => {
    let version = versions.get(role);
    if (version === undefined) versions.set(role, (version = nextVersion++));
    return version;
  };

  function internRole(row: RoleRow): Role {
    const fingerprint = JSON.stringify(row);
    const known = roles.get(row.id);
    if (known?.fingerprint === fingerprint) return known.role;
    const role = roleOf(row);
    roles.set(row.id, { fingerprint, role });
    return role;
  }

  function combinationOf(subjectRoles: readonly Role[]): string {
    let key = combinations.get(subjectRoles);
    if (key === undefined) {
      key = subjectRoles
        .map(versionOf)
        .sort((a, b) => a - b)
        .join(",");
      combinations.set(subjectRoles, key);
    }
    return key;
  }

  async function load(principal: Exclude<Principal, { kind: "anonymous" }>): Promise<AccessSubject> {
    const subject = await loadSubject(db, { userId: principal.userId, roleIds: principal.roleIds }, internRole);
    // A session outliving its user cannot happen (users are deactivated, not deleted); act for nobody if it does.
    return subject ?? ANONYMOUS_SUBJECT;
  }

  const service: AccessService = {
    subject(principal) {
      if (principal.kind === "anonymous") return Promise.resolve(ANONYMOUS_SUBJECT);
      const key = `${principal.userId ?? ""}|${[...principal.roleIds].sort().join(",")}`;
      const cached = subjects.get(key);
      if (cached) return cached;
      if (subjects.size >= maxSubjects) subjects.delete(subjects.keys().next().value!);
      // The promise is cached, so concurrent first requests share one query; a failure is not kept.
      const loading = load(principal);
      subjects.set(key, loading);
      loading.catch(() => {
        if (subjects.get(key) === loading) subjects.delete(key);
      });
      return loading;
    },

    entity(subject, entity) {
      let byRoles = resolved.get(entity);
      if (!byRoles) resolved.set(entity, (byRoles = new Map()));
      const key = combinationOf(subject.roles);
      let access = byRoles.get(key);
      if (!access) {
        if (byRoles.size >= MAX_COMBINATIONS) byRoles.clear();
        byRoles.set(key, (access = resolveAccess(subject.roles, entity)));
      }
      return access;
    },

    async changed() {
      service.forget();
      if (db.kind === "postgres") await db.query(`select pg_notify('${ACCESS_CHANNEL}', $1)`, [String(Date.now())]);
    },

    forget() {
      // A load still in flight answers only the requests that started before the change.
      subjects.clear();
      roles.clear();
    },
  };

  if (options.listen ?? true) await db.listen(ACCESS_CHANNEL, () => service.forget());
  return service;
}
