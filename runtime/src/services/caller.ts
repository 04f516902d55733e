import {
  createReadPolicy,
  readsPool,
  scopeOwners,
  type OwnerScope,
  type AccessSubject,
  type EntityAccess,
  type EntityDefinition,
  type ReadPolicy,
  type ScopedAction,
} from "@crm/core";
import type { Actor } from "../audit/record-history.ts";

/**
 * Who is calling a record service, and what they may do: built once per request from the principal
 * (see `callerOf`). Services never look at the principal themselves, so a workflow, a plugin or an
 * import acts through exactly the same checks with its own actor.
 */
export interface Caller {
  subject: AccessSubject;
  /** Recorded as `createdBy`/`updatedBy` and the default owner of new records. */
  userId: string | null;
  /** Named in the audit history. */
  actor: Actor;
  requestId?: string | undefined;
  /** True when a role grants the admin permission: every record and field, no predicates. */
  admin: boolean;
  access(entity: EntityDefinition): EntityAccess;
  /** Undefined for admins (nothing to restrict). */
  policy: ReadPolicy | undefined;
}

export function createCaller(input: { subject: AccessSubject; actor: Actor; requestId?: string | undefined; access: (subject: AccessSubject, entity: EntityDefinition) => EntityAccess }): Caller {
  const { subject } = input;
  const admin = subject.roles.some((role) => role.permissions.admin === true);
  const access = (entity: EntityDefinition) => input.access(subject, entity);
  return {
    subject,
    userId: subject.userId,
    actor: input.actor,
    requestId: input.requestId,
    admin,
    access,
    policy: admin ? undefined : createReadPolicy(subject, access),
  };
}

/** The owners whose records an action reaches: `"all"`, or a list (empty: none). */
export function ownersFor(caller: Caller, entity: EntityDefinition, action: ScopedAction): "all" | string[] {
  if (caller.admin) return "all";
  const owners = scopeOwners(caller.access(entity).reach[action], caller.subject);
  return owners === "none" ? [] : owners;
}

/**
 * Whether `action` reaches a record owned by `owner` (null: nobody): its owner is in the action's
 * scope, or, for reading only, it is in the entity's pool and the caller may claim.
 */
export function reachesOwner(caller: Caller, entity: EntityDefinition, action: ScopedAction, owner: string | null): boolean {
  const owners = ownersFor(caller, entity, action);
  if (owners === "all") return true;
  return owner === null ? action === "read" && readsPool(caller.access(entity), entity) : owners.includes(owner);
}

/**
 * The records the caller reads, as an owner-restricted read needs it: undefined for every record,
 * else the owners reached and whether the entity's pool (unowned records) is visible to them.
 */
export function readScope(caller: Caller, entity: EntityDefinition): OwnerScope | undefined {
  const owners = ownersFor(caller, entity, "read");
  return owners === "all" ? undefined : { owners, unowned: readsPool(caller.access(entity), entity) };
}

/** Whether a read scope reaches no record at all. */
export const reachesNothing = (scope: OwnerScope | undefined): boolean => scope !== undefined && scope.owners.length === 0 && !scope.unowned;

/** A record JSON with only the fields the caller may read (system fields always stay). */
export function visibleRecord<T extends Record<string, unknown>>(record: T, entity: EntityDefinition, caller: Caller): T {
  const readable = caller.policy?.readable(entity);
  if (!readable) return record;
  const hidden = new Set(entity.fields.filter((f) => !readable.has(f.key)).map((f) => f.key));
  return Object.fromEntries(Object.entries(record).filter(([key]) => !hidden.has(key))) as T;
}
