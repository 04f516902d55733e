import type { EntityGrant, FieldAccess, RolePermissions, Scope, ScopedAction } from "@crm/core";

/** Flags of a grant without a scope, in the matrix's column order. */
export const GRANT_FLAGS = ["create", "import", "export", "transfer", "claim"] as const;
export type GrantFlag = (typeof GRANT_FLAGS)[number];

/** The grant of `entityId` (by id, as roles store them), or an empty one. */
export function grantOf(permissions: RolePermissions, entityId: string): EntityGrant {
  return permissions.entities?.[entityId] ?? {};
}

/** `permissions` with one grant changed; a grant left with nothing (all none/false, no field rules) is dropped. */
function withGrant(permissions: RolePermissions, entityId: string, change: (grant: EntityGrant) => EntityGrant): RolePermissions {
  const entities = { ...(permissions.entities ?? {}) };
  const next = change({ ...grantOf(permissions, entityId) });
  if (isEmpty(next)) delete entities[entityId];
  else entities[entityId] = next;
  return { ...permissions, entities };
}

function isEmpty(grant: EntityGrant): boolean {
  return Object.entries(grant).every(([name, value]) => (name === "fields" ? Object.keys(value as object).length === 0 : value === "none" || value === false || value === undefined));
}

export function setScope(permissions: RolePermissions, entityId: string, action: ScopedAction, scope: Scope): RolePermissions {
  return withGrant(permissions, entityId, (grant) => {
    if (scope === "none") delete grant[action];
    else grant[action] = scope;
    return grant;
  });
}

export function setFlag(permissions: RolePermissions, entityId: string, flag: GrantFlag, on: boolean): RolePermissions {
  return withGrant(permissions, entityId, (grant) => {
    if (on) grant[flag] = true;
    else delete grant[flag];
    return grant;
  });
}

/** A field rule by field id; `""` removes it (the field follows the entity's read and update). */
export function setFieldRule(permissions: RolePermissions, entityId: string, fieldId: string, access: FieldAccess | ""): RolePermissions {
  return withGrant(permissions, entityId, (grant) => {
    const fields = { ...(grant.fields ?? {}) };
    if (access === "") delete fields[fieldId];
    else fields[fieldId] = access;
    if (Object.keys(fields).length) grant.fields = fields;
    else delete grant.fields;
    return grant;
  });
}
