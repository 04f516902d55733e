import type { EntityDefinition } from "../definition/types.ts";
import { resolveAccess } from "./resolve-access.ts";
import { scopeOwners } from "./scope-predicate.ts";
import { PLAIN_ACTIONS, SCOPED_ACTIONS, type AccessSubject, type Decision, type EntityAction } from "./types.ts";

export interface AccessExplanation {
  entity: string;
  recordOwner?: string | null;
  actions: Record<EntityAction | "transfer", Decision & { reachesRecord?: boolean }>;
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
    actions[action] = {
      ...decision,
      allowed: decision.allowed && reaches,
      reachesRecord: reaches,
      rule: decision.allowed && !reaches ? `${decision.rule}, which does not reach a record owned by ${record.ownerId ?? "nobody"}` : decision.rule,
    };
  }
  for (const action of [...PLAIN_ACTIONS, "transfer"] as const) actions[action] = access.decisions[action];
  return { entity: entity.key, ...(record ? { recordOwner: record.ownerId } : {}), actions, fields: access.fieldDecisions };
}
