import { ADMIN_AUDIT_ACTIONS } from "../auth/admin-audit.ts";
import { ADMIN_INPUTS, adminSchemas, PASSWORD, requiring } from "./admin-schemas.ts";
import { TOKEN_INPUT } from "./auth-paths.ts";
import type { OpenApiExtension } from "./create-openapi-document.ts";
import { body, created, idParameter, itemsOf, noContent, ok, operations, UUID } from "./path-helpers.ts";
import { adminOnly } from "./security.ts";
import { errorResponses, type ErrorStatus } from "./shared-components.ts";
import { ref, type Operation, type PathItem, type SchemaObject } from "./types.ts";

export const ADMIN_TAG = "Administration";
const adminOp = operations(ADMIN_TAG);

/** An administrator-only operation: 401 and 403 `ADMIN_REQUIRED` besides its own errors. */
function op(operationId: string, summary: string, rest: Omit<Operation, "operationId" | "summary" | "tags">, errors: ErrorStatus[]): Operation {
  return adminOp(operationId, summary, { ...rest, responses: { ...rest.responses, ...adminOnly(), ...errorResponses(...errors, 500) } });
}

const schema = (name: string) => ref("schemas", name);
const query = (name: string, description: string, value: SchemaObject) => ({ name, in: "query", description, schema: value });
const limit = (fallback: number) => query("limit", "Page size.", { type: "integer", minimum: 1, maximum: 500, default: fallback });
const id = (what: string) => idParameter("id", `The ${what}'s id.`);

/**
 * CRUD of one kind of thing under `/api/admin/<plural>`: list, create, get, patch and (optionally) delete.
 * `deleteErrors` undefined: no delete (users are deactivated, never deleted).
 */
function crud(plural: string, name: string, what: string, input: SchemaObject, required: string[], deleteErrors?: ErrorStatus[], listSchema = schema(name), listParameters: SchemaObject[] = []): Record<string, PathItem> {
  const base = `/api/admin/${plural}`;
  const pascal = plural.charAt(0).toUpperCase() + plural.slice(1);
  const single = pascal.replace(/ies$/, "y").replace(/s$/, "");
  const item: PathItem = {
    get: op(`adminGet${single}`, `Get a ${what}`, { parameters: [id(what)], responses: ok(`The ${what}.`, schema(name)) }, [404]),
    patch: op(`adminUpdate${single}`, `Change a ${what}`, { parameters: [id(what)], requestBody: body(input), responses: ok(`The changed ${what}.`, schema(name)) }, [400, 404, 409, 415, 422]),
  };
  if (deleteErrors) item.delete = op(`adminDelete${single}`, `Delete a ${what}`, { parameters: [id(what)], responses: noContent("Deleted.") }, [404, ...deleteErrors]);
  return {
    [base]: {
      get: op(`adminList${pascal}`, `List ${plural}`, { parameters: listParameters, responses: ok(`Every ${what}.`, itemsOf(listSchema)) }, listParameters.length ? [400] : []),
      post: op(`adminCreate${single}`, `Create a ${what}`, { requestBody: body(requiring(input, required)), responses: created(`The new ${what}.`, schema(name)) }, [400, 409, 415, 422]),
    },
    [`${base}/{id}`]: item,
  };
}

function userPaths(): Record<string, PathItem> {
  const user = id("user");
  const createInput = { ...ADMIN_INPUTS.user, properties: { ...ADMIN_INPUTS.user.properties, password: PASSWORD } };
  const paths = crud("users", "UserAccount", "user", ADMIN_INPUTS.user, ["email", "name"], undefined, schema("UserAccount"), [
    query("active", "Only active (`true`) or inactive (`false`) users.", { type: "boolean" }),
    limit(100),
    query("offset", "Users to skip.", { type: "integer", minimum: 0, default: 0 }),
  ]);
  paths["/api/admin/users"]!.post = op("adminCreateUser", "Create a user", {
    description: "Users are never deleted (deactivate them with `active: false`), so records and history keep pointing at them.",
    requestBody: body(requiring(createInput, ["email", "name"])),
    responses: created("The new user; with `password` when it was generated (shown only now).", { allOf: [schema("UserAccount")], type: "object", properties: { password: { type: "string" } } }),
  }, [400, 409, 415, 422]);
  return {
    ...paths,
    "/api/admin/users/{id}/password": {
      post: op("adminResetPassword", "Reset a user's password", {
        parameters: [user],
        requestBody: body({ type: "object", additionalProperties: false, properties: { password: PASSWORD } }),
        responses: { ...noContent("Set to the password sent."), ...ok("Generated: the new password, shown only now.", { type: "object", required: ["password"], properties: { password: { type: "string" } } }) },
      }, [400, 404, 415, 422]),
    },
    "/api/admin/users/{id}/sessions": {
      get: op("adminListUserSessions", "A user's live sessions", { parameters: [user], responses: ok("Newest first.", itemsOf(schema("AdminSession"))) }, [404]),
      delete: op("adminRevokeUserSessions", "Sign a user out everywhere", { parameters: [user], responses: noContent("Every live session revoked.") }, [404]),
    },
  };
}

function teamMemberPaths(): Record<string, PathItem> {
  const team = id("team");
  return {
    "/api/admin/teams/{id}/members": {
      post: op("adminAddTeamMember", "Add a member", { parameters: [team], requestBody: body({ type: "object", required: ["userId"], additionalProperties: false, properties: { userId: UUID } }), responses: ok("The team.", schema("AdminTeam")) }, [400, 404, 415, 422]),
    },
    "/api/admin/teams/{id}/members/{userId}": {
      delete: op("adminRemoveTeamMember", "Remove a member", { parameters: [team, idParameter("userId", "The member's user id.")], responses: noContent("Removed.") }, [404]),
    },
  };
}

function accessPaths(): Record<string, PathItem> {
  const sessionId = idParameter("id", "The session's id.", { type: "string", pattern: "^[0-9a-f]{64}$" });
  const token = id("token");
  return {
    "/api/admin/sessions": {
      get: op("adminListSessions", "Live sessions", { parameters: [query("userId", "Only this user's.", UUID)], responses: ok("Newest first, at most 500.", itemsOf(schema("AdminSession"))) }, [400]),
    },
    "/api/admin/sessions/{id}": {
      delete: op("adminRevokeSession", "Revoke a session", { parameters: [sessionId], responses: noContent("Revoked.") }, [404]),
    },
    "/api/admin/tokens": {
      get: op("adminListTokens", "Every live API token", { parameters: [query("roleTokens", "`true`: role tokens only; `false`: users' tokens only.", { type: "boolean" })], responses: ok("Without secrets.", itemsOf(schema("ApiToken"))) }, [400]),
      post: op("adminCreateToken", "Issue a role token", {
        description: "For an integration: the token acts with this one role and for no user (records it creates have no owner).",
        requestBody: body(TOKEN_INPUT.role),
        responses: created("The token, with its secret (shown only now).", schema("NewApiToken")),
      }, [400, 415, 422]),
    },
    "/api/admin/tokens/{id}": {
      get: op("adminGetToken", "Get an API token", { parameters: [token], responses: ok("The token, without its secret.", schema("ApiToken")) }, [404]),
      delete: op("adminRevokeToken", "Revoke an API token", { parameters: [token], responses: noContent("Revoked.") }, [404]),
    },
    "/api/admin/audit": {
      get: op("adminListAudit", "Admin audit log", {
        description: "Sign-ins, user, role, team, department, token and metadata changes, newest first. Record changes are in each record's history instead.",
        parameters: [
          query("action", "Only this action.", { enum: [...ADMIN_AUDIT_ACTIONS] }),
          query("user", "Only entries where this user acted or was the subject.", UUID),
          query("before", "Only entries older than this id.", { type: "integer", minimum: 1 }),
          limit(100),
        ],
        responses: ok("A page of entries.", { type: "object", required: ["items"], properties: { items: { type: "array", items: schema("AdminAuditEntry") }, next: { type: "string", description: "URL of the next page; absent on the last." } } }),
      }, [400]),
    },
  };
}

/** The admin API (`/api/admin/*`, http/admin/*.ts): administrators only. */
export function adminExtension(): OpenApiExtension {
  return {
    tags: [{ name: ADMIN_TAG, description: "Users, departments, teams, roles, sessions, API tokens and the admin audit log. Administrators only." }],
    schemas: adminSchemas(),
    paths: {
      ...userPaths(),
      ...crud("departments", "AdminDepartment", "department", ADMIN_INPUTS.department, ["name"], [409], schema("AdminDepartmentNode")),
      ...crud("teams", "AdminTeam", "team", ADMIN_INPUTS.team, ["name"], []),
      ...teamMemberPaths(),
      ...crud("roles", "AdminRole", "role", ADMIN_INPUTS.role, ["key", "name"], [409]),
      ...accessPaths(),
    },
  };
}
