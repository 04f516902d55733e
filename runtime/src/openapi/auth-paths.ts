import { FIELD_ACCESS, PLAIN_ACTIONS, SCOPED_ACTIONS, SCOPES } from "@crm/core";
import type { OpenApiExtension } from "./create-openapi-document.ts";
import { body, created, idParameter, itemsOf, noContent, NULLABLE_TIMESTAMP, NULLABLE_UUID, ok, operations, TIMESTAMP, UUID } from "./path-helpers.ts";
import { PUBLIC } from "./security.ts";
import { errorResponses, FORBIDDEN } from "./shared-components.ts";
import { ref, type SchemaObject } from "./types.ts";

export const AUTH_TAG = "Authentication";
export const ACCESS_TAG = "Access";
const authOp = operations(AUTH_TAG);
const accessOp = operations(ACCESS_TAG);
const SESSION_WRITE = [{ sessionCookie: [], csrfToken: [] }];
const forbidden = (description: string) => ({ "403": { description, content: { "application/problem+json": { schema: ref("schemas", "Problem") } } } });
const USER_REQUIRED = forbidden("`USER_REQUIRED`: a role token acts for no user.");

const scope: SchemaObject = { enum: [...SCOPES] };
const decision: SchemaObject = {
  title: "Access decision",
  type: "object",
  required: ["allowed", "rule"],
  properties: {
    allowed: { type: "boolean" },
    scope,
    role: { type: "string", description: "Key of the role whose grant decided; absent when no role grants it." },
    rule: { type: "string", description: "Why, in words." },
    reachesRecord: { type: "boolean", description: "With `id`: whether the scope reaches that record's owner." },
  },
};

/** Schemas of a user, their tokens and permissions (auth/user-view.ts, token-store.ts, access-routes.ts). */
function authSchemas(): Record<string, SchemaObject> {
  const token: Record<string, SchemaObject> = {
    id: UUID,
    name: { type: "string" },
    prefix: { type: "string", description: "The token's first characters, to recognise it." },
    userId: { ...NULLABLE_UUID, description: "The user it acts for; null for a role token." },
    roleId: { ...NULLABLE_UUID, description: "The one role of a role token; null for a user's token." },
    createdBy: NULLABLE_UUID,
    createdAt: TIMESTAMP,
    expiresAt: NULLABLE_TIMESTAMP,
    lastUsedAt: NULLABLE_TIMESTAMP,
    revokedAt: NULLABLE_TIMESTAMP,
  };
  const scoped = Object.fromEntries(SCOPED_ACTIONS.map((action) => [action, scope]));
  const plain = Object.fromEntries([...PLAIN_ACTIONS, "transfer", "claim"].map((action) => [action, { type: "boolean" }]));
  return {
    UserAccount: {
      title: "User",
      type: "object",
      required: ["id", "email", "name", "locale", "active", "departmentId", "managerId", "roleIds", "teamIds", "createdAt", "updatedAt", "lastLoginAt"],
      properties: {
        id: UUID,
        email: { type: "string", format: "email" },
        name: { type: "string" },
        locale: { type: "string", examples: ["en"] },
        active: { type: "boolean", description: "Inactive users cannot sign in and their tokens stop working; users are never deleted." },
        departmentId: NULLABLE_UUID,
        managerId: NULLABLE_UUID,
        roleIds: { type: "array", items: UUID },
        teamIds: { type: "array", items: UUID },
        createdAt: TIMESTAMP,
        updatedAt: TIMESTAMP,
        lastLoginAt: NULLABLE_TIMESTAMP,
      },
    },
    CurrentUser: {
      title: "Signed-in user",
      type: "object",
      required: ["user", "roles", "teams", "department"],
      properties: {
        user: ref("schemas", "UserAccount"),
        roles: { type: "array", items: { type: "object", required: ["id", "key", "name", "isAdmin"], properties: { id: UUID, key: { type: "string" }, name: { type: "string" }, isAdmin: { type: "boolean" } } } },
        teams: { type: "array", items: { type: "object", required: ["id", "name"], properties: { id: UUID, name: { type: "string" } } } },
        department: {
          type: ["object", "null"],
          required: ["id", "name", "parentId", "path"],
          properties: { id: UUID, name: { type: "string" }, parentId: NULLABLE_UUID, path: { type: "string" } },
        },
      },
    },
    ApiToken: { title: "API token", description: "The secret itself is shown once, on creation.", type: "object", required: Object.keys(token), properties: token },
    NewApiToken: {
      title: "New API token",
      type: "object",
      required: [...Object.keys(token), "token"],
      properties: { ...token, token: { type: "string", description: "Send as `Authorization: Bearer <token>`. Shown only now.", examples: ["crm_0a1b2c3d_…"] } },
    },
    EntityPermissions: {
      title: "Permissions on one entity",
      type: "object",
      required: [...SCOPED_ACTIONS, ...PLAIN_ACTIONS, "transfer", "claim", "fields"],
      properties: { ...scoped, ...plain, fields: { type: "object", description: "Per field key.", additionalProperties: { enum: [...FIELD_ACCESS] } } },
    },
    ReadableEntity: {
      title: "A definition the caller may read",
      type: "object",
      required: ["version", "definition"],
      additionalProperties: false,
      properties: { version: { type: "integer", minimum: 1 }, definition: ref("schemas", "EntityDefinition") },
    },
    MyPermissions: {
      title: "The caller's permissions",
      type: "object",
      required: ["userId", "admin", "entities"],
      properties: {
        userId: { ...NULLABLE_UUID, description: "Null for a role token." },
        admin: { type: "boolean" },
        entities: { type: "object", description: "Per entity key; entities the caller cannot read are absent.", additionalProperties: ref("schemas", "EntityPermissions") },
      },
    },
    AccessDecision: decision,
    AccessExplanation: {
      title: "Access explanation",
      type: "object",
      required: ["entity", "actions", "fields"],
      properties: {
        entity: { type: "string", description: "The entity key." },
        recordOwner: { ...NULLABLE_UUID, description: "With `id`: the record's owner." },
        actions: {
          type: "object",
          required: [...SCOPED_ACTIONS, ...PLAIN_ACTIONS, "transfer", "claim"],
          properties: Object.fromEntries([...SCOPED_ACTIONS, ...PLAIN_ACTIONS, "transfer", "claim"].map((a) => [a, ref("schemas", "AccessDecision")])),
        },
        fields: {
          type: "object",
          description: "Per field key: the access and the deciding role.",
          additionalProperties: { type: "object", required: ["access"], properties: { access: { enum: [...FIELD_ACCESS] }, role: { type: "string" } } },
        },
      },
    },
  };
}

const tokenInput = (forRole: boolean): SchemaObject => ({
  type: "object",
  required: forRole ? ["name", "roleId"] : ["name"],
  additionalProperties: false,
  properties: {
    name: { type: "string", minLength: 1, maxLength: 100 },
    ...(forRole ? { roleId: UUID } : {}),
    expiresAt: { ...NULLABLE_TIMESTAMP, description: "In the future; null or absent for no expiry." },
  },
});

/** Token request bodies, shared with the admin API's role tokens. */
export const TOKEN_INPUT = { user: tokenInput(false), role: tokenInput(true) };

/** Sign-in, the signed-in user and their tokens (`auth-routes.ts`), and permissions (`access-routes.ts`). */
export function authExtension(): OpenApiExtension {
  const tokenId = idParameter("id", "The token's id.");
  return {
    tags: [
      { name: AUTH_TAG, description: "Sign-in with a browser session (cookie + CSRF token), the signed-in user, and their own API tokens." },
      { name: ACCESS_TAG, description: "What the caller may do, and why someone may or may not do something." },
    ],
    schemas: authSchemas(),
    paths: {
      "/api/auth/login": {
        post: authOp("authLogin", "Sign in", {
          description: "Sets the `crm_session` (HttpOnly) and `crm_csrf` cookies; echo `crm_csrf` in `x-csrf-token` with every write. Only from this site's own pages (a cross-site `Origin` is 403 `CROSS_SITE_REQUEST`).",
          security: PUBLIC,
          requestBody: body({ type: "object", required: ["email", "password"], additionalProperties: false, properties: { email: { type: "string", maxLength: 320 }, password: { type: "string", maxLength: 4096 } } }),
          responses: {
            ...ok("Signed in.", { type: "object", required: ["user"], properties: { user: ref("schemas", "UserAccount") } }, { headers: { "Set-Cookie": { description: "`crm_session` and `crm_csrf`.", schema: { type: "string" } } } }),
            ...errorResponses(400, 401, 415, 422, 429, 500),
            ...forbidden("`CROSS_SITE_REQUEST`: sign-in from another site's page."),
          },
        }),
      },
      "/api/auth/logout": {
        post: authOp("authLogout", "Sign out", {
          description: "Ends the session and clears its cookies; without a session it just clears them.",
          security: [...SESSION_WRITE, {}],
          responses: { ...noContent("Signed out."), ...forbidden("`CSRF_TOKEN_INVALID`: a session's sign-out without its `x-csrf-token`."), ...errorResponses(500) },
        }),
      },
      "/api/me": {
        get: authOp("authMe", "The signed-in user", {
          description: "With their roles, teams and department. For a session or the user's own token.",
          responses: { ...ok("The user.", ref("schemas", "CurrentUser")), ...USER_REQUIRED, ...errorResponses(500) },
        }),
      },
      "/api/users": {
        get: authOp("authUserDirectory", "The user directory", {
          description: "Every user's id, name, email and whether they are active, by name: who owns or is assigned a record. For any signed-in user (a session or a user's token); no roles or teams.",
          responses: {
            ...ok("The users.", itemsOf({ type: "object", required: ["id", "name", "email", "active"], properties: { id: { type: "string", format: "uuid" }, name: { type: "string" }, email: { type: "string" }, active: { type: "boolean" } } }), { headers: { "Cache-Control": { schema: { type: "string" } } } }),
            ...USER_REQUIRED,
            ...errorResponses(500),
          },
        }),
      },
      "/api/me/tokens": {
        get: authOp("authListTokens", "My API tokens", { responses: { ...ok("Live and past tokens, without secrets.", itemsOf(ref("schemas", "ApiToken"))), ...USER_REQUIRED, ...errorResponses(500) } }),
        post: authOp("authCreateToken", "Create an API token", {
          description: "Only from a browser session: a token cannot mint more tokens. The token acts with the user's roles.",
          security: SESSION_WRITE,
          requestBody: body(TOKEN_INPUT.user),
          responses: { ...created("The token, with its secret (shown only now).", ref("schemas", "NewApiToken")), ...forbidden("`SESSION_REQUIRED` (a token cannot create tokens) or `CSRF_TOKEN_INVALID`."), ...errorResponses(400, 415, 422, 500) },
        }),
      },
      "/api/me/tokens/{id}": {
        delete: authOp("authRevokeToken", "Revoke one of my API tokens", { parameters: [tokenId], responses: { ...noContent("Revoked."), ...USER_REQUIRED, ...errorResponses(404, 500) } }),
      },
      "/api/me/permissions": {
        get: accessOp("accessMyPermissions", "What I may do", {
          description: "Per readable entity: scopes of read, update and delete, the plain actions, and each field's access. The same rules the API enforces.",
          responses: { ...ok("The caller's permissions.", ref("schemas", "MyPermissions"), { headers: { "Cache-Control": { schema: { const: "no-store" } } } }), ...errorResponses(500) },
        }),
      },
      "/api/me/entities": {
        get: accessOp("accessMyEntities", "The entities I may read", {
          description: "The live definition of every entity the caller may read, with only the fields they may read (its `uniques` and `indexes` may still name others), and its version. What the studio builds its screens from; the metadata API is for administrators.",
          responses: { ...ok("The readable definitions.", itemsOf(ref("schemas", "ReadableEntity")), { headers: { "Cache-Control": { schema: { const: "no-store" } } } }), ...errorResponses(500) },
        }),
      },
      "/api/access/explain": {
        get: accessOp("accessExplain", "Explain a user's access", {
          description: "Administrators only. Why `user` may or may not do each action on `entity`, and, with `id`, whether each scope reaches that record. Always fresh from the database.",
          parameters: [
            { name: "user", in: "query", required: true, description: "The user's id.", schema: UUID },
            { name: "entity", in: "query", required: true, description: "The entity key.", schema: { type: "string" } },
            { name: "id", in: "query", description: "A record id.", schema: UUID },
          ],
          responses: { ...ok("The explanation.", ref("schemas", "AccessExplanation")), "403": FORBIDDEN.admin, ...errorResponses(400, 404, 500) },
        }),
      },
    },
  };
}
