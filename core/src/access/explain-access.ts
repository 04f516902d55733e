import type { EntityDefinition } from "../definition/types.ts";
import { readsPool } from "./read-policy.ts";
import { GRANTED_ACTIONS, resolveAccess } from "./resolve-access.ts";
import { scopeOwners } from "./scope-predicate.ts";
import { SCOPED_ACTIONS, type AccessSubject, type Decision, type EntityAction } from "./types.ts";

export interface AccessExplanation {
  entity: string;
  recordOwner?: string | null;
  actions: Record<EntityAction | "transfer" | "claim", Decision & { reachesRecord?: boolean }>;
  fields: Record<string, { access: "none" | "read" | "write"; role?: string }>;
}

/**
 * Answer "why can (or can't) this person do X with this record?": per action, allowed or not, the
 * deciding role and rule, and, given the record's owner, whether the scope reaches that record.
 * @example explainAccess(rep, account, { ownerId: rep.userId }).actions.read.allowed // true
 */
export function explainAccess(subject: AccessSubject, entity: EntityDefinition, record?: { ownerId: string | null }): AccessExplanation {
  const access = resolveAccess(subject.roles, entity);
  const actions = {} as AccessExplanation["actions"];
  for (const action of SCOPED_ACTIONS) {
    const decision = access.decisions[action];
    if (!record) {
      actions[action] = decision;
      continue;
    }
    const owners = scopeOwners(access.reach[action], subject);
    const reaches = owners === "all" || (owners !== "none" && record.ownerId !== null && owners.includes(record.ownerId));
    if (action === "read" && !reaches && record.ownerId === null && readsPool(access, entity)) {
      actions[action] = { allowed: true, reachesRecord: true, ...(access.decisions.claim.role ? { role: access.decisions.claim.role } : {}), rule: "claim granted: the record is in the pool (nobody owns it)" };
      continue;
    }
    actions[action] = {
      ...decision,
      allowed: decision.allowed && reaches,
      reachesRecord: reaches,
      rule: decision.allowed && !reaches ? `${decision.rule}, which does not reach a record owned by ${record.ownerId ?? "nobody"}` : decision.rule,
    };
  }
  for (const action of GRANTED_ACTIONS) actions[action] = access.decisions[action];
  if (!entity.pool) actions.claim = { allowed: false, rule: `${entity.key} has no pool` };
  else if (record && record.ownerId !== null && actions.claim.allowed) actions.claim = { ...actions.claim, allowed: false, reachesRecord: false, rule: "the record has an owner; only records in the pool can be claimed" };
  return { entity: entity.key, ...(record ? { recordOwner: record.ownerId } : {}), actions, fields: access.fieldDecisions };
}
