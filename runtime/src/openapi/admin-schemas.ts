import { FIELD_ACCESS, SCOPES } from "@crm/core";
import { ADMIN_AUDIT_ACTIONS } from "../auth/admin-audit.ts";
import { PASSWORD_MAX, PASSWORD_MIN } from "../auth/password.ts";
import { NULLABLE_UUID, TIMESTAMP, UUID } from "./path-helpers.ts";
import { ref, type SchemaObject } from "./types.ts";

const text = (maxLength: number): SchemaObject => ({ type: "string", minLength: 1, maxLength });
const ids: SchemaObject = { type: "array", items: UUID };
const stamps = { createdAt: TIMESTAMP, updatedAt: TIMESTAMP };

export const PASSWORD: SchemaObject = { type: "string", minLength: PASSWORD_MIN, maxLength: PASSWORD_MAX, description: "Left out: one is generated and returned once." };

/** Request bodies of the admin API (the specs in http/admin/*-routes.ts); PATCH takes any subset. */
export const ADMIN_INPUTS = {
  user: {
    type: "object",
    additionalProperties: false,
    properties: {
      email: { type: "string", format: "email", maxLength: 254 },
      name: text(200),
      locale: { type: "string", maxLength: 35, pattern: "^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$", examples: ["en", "de-CH"] },
      active: { type: "boolean", description: "False deactivates: no sign-in, sessions and tokens stop working." },
      departmentId: NULLABLE_UUID,
      managerId: NULLABLE_UUID,
      roleIds: ids,
      teamIds: ids,
    },
  },
  department: { type: "object", additionalProperties: false, properties: { name: text(200), parentId: { ...NULLABLE_UUID, description: "Moving a department moves its whole subtree." } } },
  team: { type: "object", additionalProperties: false, properties: { name: text(200), memberIds: { ...ids, description: "Replaces the members." } } },
  role: {
    type: "object",
    additionalProperties: false,
    properties: {
      key: { type: "string", maxLength: 63, pattern: "^[a-z][a-z0-9_]*$" },
      name: text(200),
      description: { type: ["string", "null"], maxLength: 2000 },
      isAdmin: { type: "boolean" },
      permissions: ref("schemas", "RolePermissions"),
    },
  },
} satisfies Record<string, SchemaObject>;

/** `input` with `required` for a create. */
export function requiring(input: SchemaObject, required: string[]): SchemaObject {
  return { ...input, required };
}

/** Response schemas of the admin API (auth/*-store.ts views). */
export function adminSchemas(): Record<string, SchemaObject> {
  const department = { id: UUID, name: { type: "string" }, parentId: NULLABLE_UUID, path: { type: "string", description: "Materialised path of ids from the root." }, ...stamps };
  return {
    EntityGrant: {
      title: "Grant on one entity",
      description: "Absent actions are denied; absent fields follow the entity's read/update.",
      type: "object",
      properties: {
        read: { enum: [...SCOPES] },
        update: { enum: [...SCOPES] },
        delete: { enum: [...SCOPES] },
        create: { type: "boolean" },
        import: { type: "boolean" },
        export: { type: "boolean" },
        transfer: { type: "boolean", description: "Change `ownerId` of records within the update scope." },
        claim: { type: "boolean", description: "See the entity's pool (records nobody owns) and claim them, when the entity has a pool." },
        fields: { type: "object", description: "Per field id.", additionalProperties: { enum: [...FIELD_ACCESS] } },
      },
    },
    RolePermissions: {
      title: "Role permissions",
      type: "object",
      properties: {
        admin: { type: "boolean", description: "Metadata, users, roles and every record." },
        shareViews: { type: "boolean", description: "Share saved list views with every user, and edit or delete shared ones (admins may too)." },
        entities: { type: "object", description: "Per entity id.", additionalProperties: ref("schemas", "EntityGrant") },
      },
    },
    AdminRole: {
      title: "Role",
      type: "object",
      required: ["id", "key", "name", "description", "isAdmin", "permissions", "createdAt", "updatedAt"],
      properties: { id: UUID, key: { type: "string" }, name: { type: "string" }, description: { type: ["string", "null"] }, isAdmin: { type: "boolean" }, permissions: ref("schemas", "RolePermissions"), ...stamps },
    },
    AdminDepartment: { title: "Department", type: "object", required: Object.keys(department), properties: department },
    AdminDepartmentNode: {
      title: "Department with its sub-departments",
      type: "object",
      required: [...Object.keys(department), "children"],
      properties: { ...department, children: { type: "array", items: ref("schemas", "AdminDepartmentNode") } },
    },
    AdminTeam: { title: "Team", type: "object", required: ["id", "name", "memberIds", "createdAt", "updatedAt"], properties: { id: UUID, name: { type: "string" }, memberIds: ids, ...stamps } },
    AdminSession: {
      title: "Session",
      type: "object",
      required: ["id", "userId", "createdAt", "lastSeenAt", "expiresAt", "ip", "userAgent"],
      properties: { id: { type: "string", pattern: "^[0-9a-f]{64}$" }, userId: UUID, createdAt: TIMESTAMP, lastSeenAt: TIMESTAMP, expiresAt: TIMESTAMP, ip: { type: ["string", "null"] }, userAgent: { type: ["string", "null"] } },
    },
    AdminAuditEntry: {
      title: "Admin audit entry",
      type: "object",
      required: ["id", "at", "actorUserId", "actorTokenId", "action", "subject", "details", "ip"],
      properties: {
        id: { type: "integer", minimum: 1 },
        at: TIMESTAMP,
        actorUserId: NULLABLE_UUID,
        actorTokenId: NULLABLE_UUID,
        action: { enum: [...ADMIN_AUDIT_ACTIONS] },
        subject: { type: ["string", "null"], description: "What the action was about: a user, role, entity… id." },
        details: { type: "object" },
        ip: { type: ["string", "null"] },
      },
    },
  };
}
