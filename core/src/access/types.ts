/**
 * Access control model. Roles grant, per entity (by stable entity id), actions with a record scope and
 * field-level read/write; a user holding several roles gets their union (the most permissive grant of
 * each action and field wins). Anything not granted is denied: a new entity is invisible until a role
 * grants it.
 */

/** Which records an action reaches, from narrowest to widest. */
export const SCOPES = ["none", "own", "team", "department", "subtree", "all"] as const;
export type Scope = (typeof SCOPES)[number];

/** Actions with a scope (they touch existing records). */
export const SCOPED_ACTIONS = ["read", "update", "delete"] as const;
export type ScopedAction = (typeof SCOPED_ACTIONS)[number];

/** Actions without a scope (they do not pick existing records, or act on the read scope). */
export const PLAIN_ACTIONS = ["create", "import", "export"] as const;
export type PlainAction = (typeof PLAIN_ACTIONS)[number];

export type EntityAction = ScopedAction | PlainAction;

/** A field's access under a role: hidden, read only, or read and write. */
export const FIELD_ACCESS = ["none", "read", "write"] as const;
export type FieldAccess = (typeof FIELD_ACCESS)[number];

/** What one role grants on one entity. Absent actions are denied; absent fields follow the entity's read/update. */
export interface EntityGrant {
  read?: Scope;
  update?: Scope;
  delete?: Scope;
  create?: boolean;
  import?: boolean;
  export?: boolean;
  /** Transfer ownership (change `ownerId`) of records within the update scope. */
  transfer?: boolean;
  /**
   * See the entity's pool (records nobody owns, when the entity has a `pool`) and claim them: a claim
   * makes the caller the owner, within the pool's daily quota and cap on records held.
   */
  claim?: boolean;
  /** Per field id: restrict below the default, which is `write` (or `read` when the role cannot update). */
  fields?: Record<string, FieldAccess>;
}

/** The permissions document of a role (stored as JSON on the role). */
export interface RolePermissions {
  /** Metadata, users, roles and every record: the admin permission. */
  admin?: boolean;
  /** Share saved list views with every user (and edit or delete shared ones); admins may too. */
  shareViews?: boolean;
  /** Per entity id. */
  entities?: Record<string, EntityGrant>;
}

export interface Role {
  id: string;
  key: string;
  permissions: RolePermissions;
}

/** The caller, as the access rules see it: who they are and whose records their scopes reach. */
export interface AccessSubject {
  userId: string | null;
  roles: Role[];
  /** Users who share a team with the caller (the caller included). */
  teamUserIds: string[];
  /** Users of the caller's department (the caller included). */
  departmentUserIds: string[];
  /** Users of the caller's department and every department below it. */
  subtreeUserIds: string[];
}

/** Why an action is allowed or not: the deciding role and rule, for "explain access". */
export interface Decision {
  allowed: boolean;
  scope?: Scope;
  /** Key of the role whose grant decided (the widest one), absent when no role grants it. */
  role?: string;
  rule: string;
}
