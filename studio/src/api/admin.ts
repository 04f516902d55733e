import type { EntityDefinition, PluginManifest, RolePermissions, UserView } from "@crm/core";
import { request } from "./http.ts";

/** A live entity as the metadata API returns it (ETag = version). */
export interface MetaEntity {
  id: string;
  key: string;
  version: number;
  status: string;
  updatedAt?: string;
  definition: EntityDefinition;
}

/** One step of a migration plan, measured on the live data (what the preview and an apply report). */
export interface MigrationStepReport {
  id: string;
  kind: string;
  class: "additive" | "lossless" | "lossy";
  description: string;
  pointer: string;
  sql: string[];
  impacts: Array<{ count: number; message: string; blocks: boolean }>;
  requiresConfirmation: boolean;
}

export interface MigrationPreview {
  entityId: string;
  entityKey: string;
  currentVersion: number | null;
  stale: boolean;
  steps: MigrationStepReport[];
  requiresConfirmation: string[];
  blocked: boolean;
}

export interface ChangeResult {
  entity: MetaEntity;
  planId: string | null;
  steps: MigrationStepReport[];
}

/** A field removed from a definition, parked with its data until restored or purged. */
export interface TrashedField {
  entityId: string;
  field: EntityDefinition["fields"][number];
  columns: string[];
  [property: string]: unknown;
}

export type Conversions = Record<string, { valueMap?: Record<string, string | null> }>;

const entityPath = (key: string) => `/api/meta/entities/${encodeURIComponent(key)}`;

/** Administrators only: entity definitions, their migration preview and apply, and the field trash. */
export const designApi = {
  async entities(): Promise<MetaEntity[]> {
    return (await request<{ items: MetaEntity[] }>("GET", "/api/meta/entities")).data.items;
  },
  async entity(key: string): Promise<MetaEntity> {
    return (await request<MetaEntity>("GET", entityPath(key))).data;
  },
  /** What applying `definition` would do, measured on live data; nothing changes. A new key previews a create. */
  async preview(key: string, definition: EntityDefinition, baseVersion?: number, conversions?: Conversions): Promise<MigrationPreview> {
    return (await request<MigrationPreview>("POST", `${entityPath(key)}/preview`, { body: { definition, baseVersion, conversions } })).data;
  },
  async create(definition: EntityDefinition, confirm: string[] = []): Promise<ChangeResult> {
    return (await request<ChangeResult>("POST", "/api/meta/entities", { body: { definition, confirm } })).data;
  },
  /** 409 when `baseVersion` is no longer current; lossy steps need their ids in `confirm`. */
  async update(key: string, definition: EntityDefinition, baseVersion: number, confirm: string[] = [], conversions?: Conversions): Promise<ChangeResult> {
    return (await request<ChangeResult>("PUT", entityPath(key), { body: { definition, baseVersion, confirm, conversions } })).data;
  },
  async trash(key: string): Promise<TrashedField[]> {
    return (await request<{ fields: TrashedField[] }>("GET", `${entityPath(key)}/trash`)).data.fields;
  },
  async restoreField(key: string, fieldId: string, baseVersion: number): Promise<ChangeResult> {
    return (await request<ChangeResult>("POST", `${entityPath(key)}/trash/${encodeURIComponent(fieldId)}/restore`, { query: { baseVersion } })).data;
  },
};

/** A user as administrators see them (the API's user view; timestamps as ISO strings). */
export type AdminUser = UserView;

/** What creating or changing a user sends; a create without `password` gets a generated one back (once). */
export interface UserInput {
  email?: string;
  name?: string;
  locale?: string;
  active?: boolean;
  departmentId?: string | null;
  managerId?: string | null;
  roleIds?: string[];
  teamIds?: string[];
  password?: string;
}

export interface AdminTeam {
  id: string;
  name: string;
  memberIds: string[];
}

export interface DepartmentNode {
  id: string;
  name: string;
  parentId: string | null;
  children: DepartmentNode[];
}

export interface AdminRole {
  id: string;
  key: string;
  name: string;
  description: string | null;
  isAdmin: boolean;
  permissions: RolePermissions;
}

export interface AccessDecision {
  allowed: boolean;
  role?: string;
  rule?: string;
  scope?: string;
  reachesRecord?: boolean;
}

export interface AccessExplanation {
  entity: string;
  recordOwner?: string | null;
  actions: Record<string, AccessDecision>;
  fields: Record<string, { access: "none" | "read" | "write"; role?: string }>;
}

const admin = (path: string) => `/api/admin/${path}`;

/** Administrators only: users, teams, the department tree, roles and the access explanation. */
export const accessApi = {
  async users(): Promise<AdminUser[]> {
    return (await request<{ items: AdminUser[] }>("GET", admin("users"), { query: { limit: 500 } })).data.items;
  },
  async createUser(input: UserInput): Promise<AdminUser & { password?: string }> {
    return (await request<AdminUser & { password?: string }>("POST", admin("users"), { body: input })).data;
  },
  async updateUser(id: string, input: UserInput): Promise<AdminUser> {
    return (await request<AdminUser>("PATCH", admin(`users/${encodeURIComponent(id)}`), { body: input })).data;
  },
  async teams(): Promise<AdminTeam[]> {
    return (await request<{ items: AdminTeam[] }>("GET", admin("teams"))).data.items;
  },
  async createTeam(name: string, memberIds: string[]): Promise<AdminTeam> {
    return (await request<AdminTeam>("POST", admin("teams"), { body: { name, memberIds } })).data;
  },
  async updateTeam(id: string, changes: { name?: string; memberIds?: string[] }): Promise<AdminTeam> {
    return (await request<AdminTeam>("PATCH", admin(`teams/${encodeURIComponent(id)}`), { body: changes })).data;
  },
  async departments(): Promise<DepartmentNode[]> {
    return (await request<{ items: DepartmentNode[] }>("GET", admin("departments"))).data.items;
  },
  async createDepartment(name: string, parentId: string | null): Promise<DepartmentNode> {
    return (await request<DepartmentNode>("POST", admin("departments"), { body: { name, parentId } })).data;
  },
  async updateDepartment(id: string, changes: { name?: string; parentId?: string | null }): Promise<DepartmentNode> {
    return (await request<DepartmentNode>("PATCH", admin(`departments/${encodeURIComponent(id)}`), { body: changes })).data;
  },
  async roles(): Promise<AdminRole[]> {
    return (await request<{ items: AdminRole[] }>("GET", admin("roles"))).data.items;
  },
  async createRole(input: { key: string; name: string; description?: string; permissions: RolePermissions }): Promise<AdminRole> {
    return (await request<AdminRole>("POST", admin("roles"), { body: input })).data;
  },
  async updateRole(id: string, changes: { name?: string; description?: string; permissions?: RolePermissions }): Promise<AdminRole> {
    return (await request<AdminRole>("PATCH", admin(`roles/${encodeURIComponent(id)}`), { body: changes })).data;
  },
  /** Per action: allowed or not and the deciding role and rule; with a record id, whether the scope reaches it. */
  async explain(user: string, entity: string, id?: string): Promise<AccessExplanation> {
    return (await request<AccessExplanation>("GET", "/api/access/explain", { query: { user, entity, id: id || undefined } })).data;
  },
};

export interface AdminPlugin {
  id: string;
  version: string;
  activeVersion: string;
  enabled: boolean;
  disabledReason: string | null;
  settings: Record<string, unknown>;
  manifest: PluginManifest;
  versions: Array<{ version: string; installedAt: string; installedBy: string | null }>;
  installedAt: string;
  updatedAt: string;
}

export interface PluginInvocation {
  id: number;
  version: string;
  kind: string;
  name: string;
  entity: string | null;
  recordIds: string[] | null;
  userId: string | null;
  outcome: string;
  error: unknown;
  durationMs: number;
  cpuMs: number;
  usage: Record<string, number> | null;
  at: string;
}

const plugin = (id: string, rest = "") => `/api/admin/plugins/${encodeURIComponent(id)}${rest}`;

/** Administrators only: installed plugins, their settings, enabling and invocations. */
export const pluginsApi = {
  async list(): Promise<AdminPlugin[]> {
    return (await request<{ items: AdminPlugin[] }>("GET", "/api/admin/plugins")).data.items;
  },
  /** Install or upgrade: the manifest and the built bundle's code (422 with pointers under /manifest or /settings). */
  async install(manifest: unknown, code: string): Promise<AdminPlugin> {
    return (await request<AdminPlugin>("POST", "/api/admin/plugins", { body: { manifest, code } })).data;
  },
  async setEnabled(id: string, enabled: boolean): Promise<AdminPlugin> {
    return (await request<AdminPlugin>("POST", plugin(id, enabled ? "/enable" : "/disable"), enabled ? {} : { body: {} })).data;
  },
  async saveSettings(id: string, settings: Record<string, unknown>): Promise<AdminPlugin> {
    return (await request<AdminPlugin>("PUT", plugin(id, "/settings"), { body: settings })).data;
  },
  async invocations(id: string, limit = 50): Promise<PluginInvocation[]> {
    return (await request<{ items: PluginInvocation[] }>("GET", plugin(id, "/invocations"), { query: { limit } })).data.items;
  },
};
