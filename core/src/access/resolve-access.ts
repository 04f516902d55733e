import type { EntityDefinition } from "../definition/types.ts";
import { FIELD_ACCESS, PLAIN_ACTIONS, SCOPED_ACTIONS, SCOPES, type Decision, type FieldAccess, type PlainAction, type Role, type Scope, type ScopedAction } from "./types.ts";

/** The union of a subject's roles on one entity: what the caller may do and see. */
export interface EntityAccess {
  admin: boolean;
  /** The widest scope any role grants per action (for display; not every scope contains the narrower ones). */
  scopes: Record<ScopedAction, Scope>;
  /**
   * Every scope granted per action (none left out): a record is reached when any of them reaches it.
   * A team can span departments, so `team` and `department` from two roles add up, where the widest
   * alone would lose records.
   */
  reach: Record<ScopedAction, Scope[]>;
  can: Record<PlainAction | "transfer" | "claim", boolean>;
  /** Field keys the caller may read / write. */
  readable: Set<string>;
  writable: Set<string>;
  /** Per action and per field: the decision and the role that made it. */
  decisions: Record<ScopedAction | PlainAction | "transfer" | "claim", Decision>;
  fieldDecisions: Record<string, { access: FieldAccess; role?: string }>;
}

/** Actions a role grants with `true`, no scope. */
export const GRANTED_ACTIONS = [...PLAIN_ACTIONS, "transfer", "claim"] as const;

const rank = <T extends string>(order: readonly T[], value: T): number => order.indexOf(value);

/**
 * Combine every role of the caller for one entity. Admin roles see and do everything. Otherwise each
 * scoped action takes the widest scope any role grants, each plain action is allowed if any role
 * allows it, and each field gets the most permissive access any role that can read the entity gives
 * it (a role restricts a field only for itself; another role may grant it); a role that may only
 * create still writes the fields it does not restrict.
 * @example resolveAccess([salesRep], account).scopes.read // "own"
 */
export function resolveAccess(roles: readonly Role[], entity: EntityDefinition): EntityAccess {
  const admin = roles.find((r) => r.permissions.admin === true);
  const scopes = { read: "none", update: "none", delete: "none" } as Record<ScopedAction, Scope>;
  const reach: Record<ScopedAction, Scope[]> = { read: [], update: [], delete: [] };
  const can = { create: false, import: false, export: false, transfer: false, claim: false };
  const decisions = {} as EntityAccess["decisions"];
  const fieldDecisions: EntityAccess["fieldDecisions"] = {};
  if (admin) {
    for (const action of SCOPED_ACTIONS) {
      scopes[action] = "all";
      reach[action] = ["all"];
      decisions[action] = { allowed: true, scope: "all", role: admin.key, rule: "admin role: every record" };
    }
    for (const action of GRANTED_ACTIONS) {
      can[action] = true;
      decisions[action] = { allowed: true, role: admin.key, rule: "admin role" };
    }
    for (const field of entity.fields) fieldDecisions[field.key] = { access: "write", role: admin.key };
  } else {
    for (const action of SCOPED_ACTIONS) {
      let decision: Decision = { allowed: false, scope: "none", rule: `no role grants ${action} on ${entity.key}` };
      for (const role of roles) {
        const scope = role.permissions.entities?.[entity.id]?.[action] ?? "none";
        if (scope !== "none" && !reach[action].includes(scope)) reach[action].push(scope);
        if (rank(SCOPES, scope) > rank(SCOPES, decision.scope ?? "none")) {
          decision = { allowed: true, scope, role: role.key, rule: `${action} scope "${scope}"` };
        }
      }
      scopes[action] = decision.scope ?? "none";
      decisions[action] = decision;
    }
    for (const action of GRANTED_ACTIONS) {
      const role = roles.find((r) => r.permissions.entities?.[entity.id]?.[action] === true);
      can[action] = Boolean(role);
      decisions[action] = role ? { allowed: true, role: role.key, rule: `${action} granted` } : { allowed: false, rule: `no role grants ${action} on ${entity.key}` };
    }
    for (const field of entity.fields) {
      let best: { access: FieldAccess; role?: string } = { access: "none" };
      for (const role of roles) {
        const grant = role.permissions.entities?.[entity.id];
        // A create-only role (a web form's intake, say) writes fields of records it cannot read back.
        if (!grant || ((grant.read ?? "none") === "none" && (grant.update ?? "none") === "none" && !grant.create && !grant.claim)) continue;
        const ceiling: FieldAccess = (grant.update ?? "none") !== "none" || grant.create ? "write" : "read";
        const restricted = grant.fields?.[field.id] ?? ceiling;
        // A role's field rule can only narrow what the role itself allows on the entity.
        const access = FIELD_ACCESS[Math.min(rank(FIELD_ACCESS, restricted), rank(FIELD_ACCESS, ceiling))]!;
        if (rank(FIELD_ACCESS, access) > rank(FIELD_ACCESS, best.access)) best = { access, role: role.key };
      }
      fieldDecisions[field.key] = best;
    }
  }
  const readable = new Set(entity.fields.filter((f) => fieldDecisions[f.key]!.access !== "none").map((f) => f.key));
  const writable = new Set(entity.fields.filter((f) => fieldDecisions[f.key]!.access === "write").map((f) => f.key));
  return { admin: Boolean(admin), scopes, reach, can, readable, writable, decisions, fieldDecisions };
}
