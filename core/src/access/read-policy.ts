import type { EntityDefinition } from "../definition/types.ts";
import type { Fragment } from "../migration/sql.ts";
import type { EntityAccess } from "./resolve-access.ts";
import { scopePredicate } from "./scope-predicate.ts";
import type { AccessSubject } from "./types.ts";

/**
 * What a caller may read, as the query compilers need it: which rows of an entity (a condition that
 * goes into the statement itself) and which of its fields. Every compiled read takes one, so scopes
 * apply to the root rows, to the rows a relation path joins, and to expanded records alike.
 */
export interface ReadPolicy {
  /** A condition on rows of `entity` under `alias`; undefined when every row is readable. */
  scope(entity: EntityDefinition, alias: string): Fragment | undefined;
  /** Whether the caller may read any record of `entity`. */
  canRead(entity: EntityDefinition): boolean;
  /** Keys of the fields of `entity` the caller may read; undefined when all are readable. System fields always are. */
  readable(entity: EntityDefinition): ReadonlySet<string> | undefined;
}

/**
 * The read policy of a subject, given its resolved access per entity (see `resolveAccess`).
 * @example createReadPolicy(rep, (e) => resolveAccess(rep.roles, e)).scope(account, "t") // "t"."ownerId" = ANY($1::uuid[])
 */
export function createReadPolicy(subject: AccessSubject, accessOf: (entity: EntityDefinition) => EntityAccess): ReadPolicy {
  return {
    scope(entity, alias) {
      const access = accessOf(entity);
      const reach = access.reach.read;
      return reach.includes("all") ? undefined : scopePredicate(reach, subject, alias, { unowned: readsPool(access, entity) });
    },
    canRead: (entity) => {
      const access = accessOf(entity);
      return access.scopes.read !== "none" || readsPool(access, entity);
    },
    readable(entity) {
      const readable = accessOf(entity).readable;
      return readable.size === entity.fields.length ? undefined : readable;
    },
  };
}

/** The field keys to select for `entity`: the requested ones, or every readable one (undefined: all). */
export function selectableFields(entity: EntityDefinition, policy: ReadPolicy | undefined, requested?: readonly string[]): readonly string[] | undefined {
  if (requested) return requested;
  const readable = policy?.readable(entity);
  return readable ? entity.fields.filter((f) => readable.has(f.key)).map((f) => f.key) : undefined;
}

/** Whether a caller with `access` sees the records of `entity`'s pool (nobody's records): the entity has a pool and a role grants `claim`. */
export function readsPool(access: Pick<EntityAccess, "admin" | "can">, entity: EntityDefinition): boolean {
  return entity.pool !== undefined && (access.admin || access.can.claim);
}
