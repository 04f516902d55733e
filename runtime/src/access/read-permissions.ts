import { FIELD_ACCESS, SCOPES, type EntityGrant, type FieldAccess, type RolePermissions, type Scope } from "@crm/core";

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);
const isScope = (value: unknown): value is Scope => SCOPES.includes(value as Scope);
const isFieldAccess = (value: unknown): value is FieldAccess => FIELD_ACCESS.includes(value as FieldAccess);

function readGrant(raw: Record<string, unknown>): EntityGrant {
  const grant: EntityGrant = {};
  for (const action of ["read", "update", "delete"] as const) if (isScope(raw[action])) grant[action] = raw[action];
  for (const action of ["create", "import", "export", "transfer", "claim"] as const) if (raw[action] === true) grant[action] = true;
  if (isObject(raw.fields)) {
    const fields = Object.entries(raw.fields).filter((entry): entry is [string, FieldAccess] => isFieldAccess(entry[1]));
    if (fields.length) grant.fields = Object.fromEntries(fields);
  }
  return grant;
}

/**
 * A role's stored permissions as the access rules read them. Roles are stored as given, so anything
 * malformed (an unknown scope, a non-boolean action, a stray key) is dropped, which denies it: a typo
 * never grants more, and never breaks a request. `isAdmin` is the role's admin flag, which the admin
 * API's guard also goes by; either it or `permissions.admin` makes the role an admin role.
 * @example readPermissions({ entities: { account: { read: "team", create: "yes" } } }, false) // { entities: { account: { read: "team" } } }
 */
export function readPermissions(raw: unknown, isAdmin: boolean): RolePermissions {
  const source = isObject(raw) ? raw : {};
  const permissions: RolePermissions = {};
  if (isAdmin || source.admin === true) permissions.admin = true;
  if (source.shareViews === true) permissions.shareViews = true;
  if (isObject(source.entities)) {
    permissions.entities = Object.fromEntries(Object.entries(source.entities).flatMap(([id, grant]) => (isObject(grant) ? [[id, readGrant(grant)]] : [])));
  }
  return permissions;
}
