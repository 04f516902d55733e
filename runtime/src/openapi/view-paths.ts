import type { OpenApiExtension } from "./create-openapi-document.ts";
import { errorResponses, PROBLEM_TYPE } from "./shared-components.ts";
import { ref, type SchemaObject } from "./types.ts";

const TAG = "Saved views";
const json = (schema: SchemaObject) => ({ "application/json": { schema } });
const problem = (description: string) => ({ description, content: { [PROBLEM_TYPE]: { schema: ref("schemas", "Problem") } } });
const idParameter = { name: "id", in: "path", required: true, schema: { type: "string", format: "uuid" } };
const state: Record<string, SchemaObject> = {
  columns: { type: "array", maxItems: 50, items: { type: "string" }, description: "Field keys (and `createdAt`, `updatedAt`, `ownerId`) in column order." },
  sort: { type: ["string", "null"], examples: ["-amount,name"], description: "The list API's `sort`." },
  filter: { type: "array", maxItems: 20, items: { type: "string" }, examples: [["stage:in:(proposal,negotiation)", "or(amount:gte:1000,source:eq:web)"]], description: "The list API's `filter` parameters (ANDed), groups included." },
  q: { type: ["string", "null"], maxLength: 200, description: "Full-text search." },
  mode: { enum: ["list", "kanban"] },
};
const input: Record<string, SchemaObject> = {
  entity: { type: "string", description: "Key of an entity the caller may read." },
  name: { type: "string", minLength: 1, maxLength: 100, description: "Unique per owner and entity." },
  shared: { type: "boolean", description: "Every user who may read the entity sees it. Needs the admin or `shareViews` permission." },
  ...state,
};
const forUsers = "A user's (a role token has no views: 403).";

/** Saved list views: a user's own, and the shared ones. */
export function viewExtension(): OpenApiExtension {
  return {
    tags: [{ name: TAG, description: "An entity's list as a user saved it: columns, sort, filter, search, list or kanban. Private, or shared with everyone who may read the entity. Opening a view runs its filter through the list API under the viewer's own permissions." }],
    schemas: {
      SavedView: {
        title: "Saved view",
        type: "object",
        required: ["id", "entity", "name", "shared", "ownerId", "mine", "editable", "columns", "sort", "filter", "q", "mode", "createdAt", "updatedAt"],
        properties: {
          id: { type: "string", format: "uuid" },
          ...input,
          ownerId: { type: "string", format: "uuid" },
          mine: { type: "boolean", description: "The caller saved it." },
          editable: { type: "boolean", description: "The caller may change or delete it: their own private view, or a shared one with the `shareViews` permission." },
          createdAt: { type: "string", format: "date-time" },
          updatedAt: { type: "string", format: "date-time" },
        },
      },
      SavedViewCreate: { title: "New saved view", type: "object", required: ["entity", "name"], additionalProperties: false, properties: input },
      SavedViewUpdate: { title: "Saved view changes", type: "object", additionalProperties: false, properties: { name: input.name!, shared: input.shared!, ...state } },
    },
    paths: {
      "/api/views": {
        get: {
          operationId: "listSavedViews",
          summary: "My views and the shared ones",
          description: `Only views of entities the caller may read. ${forUsers}`,
          tags: [TAG],
          parameters: [{ name: "entity", in: "query", description: "Only this entity's views.", schema: { type: "string" } }],
          responses: { "200": { description: "Views, by entity, own before shared, by name.", content: json({ type: "object", required: ["items", "canShare"], properties: { items: { type: "array", items: ref("schemas", "SavedView") }, canShare: { type: "boolean", description: "Whether the caller may share views (admin or `shareViews`)." } } }) }, ...errorResponses(401, 403, 500) },
        },
        post: {
          operationId: "createSavedView",
          summary: "Save a view",
          description: `Columns, sort and filter are checked against the entity as the caller may read it. ${forUsers}`,
          tags: [TAG],
          requestBody: { required: true, content: json(ref("schemas", "SavedViewCreate")) },
          responses: {
            "201": { description: "Saved.", content: json(ref("schemas", "SavedView")) },
            ...errorResponses(400, 401, 403, 415, 422, 500),
            "409": problem("`VIEW_NAME_TAKEN`: the caller has a view of this name for the entity (pointer `/name`)."),
          },
        },
      },
      "/api/views/{id}": {
        get: {
          operationId: "getSavedView",
          summary: "One view",
          tags: [TAG],
          parameters: [idParameter],
          responses: { "200": { description: "The view.", content: json(ref("schemas", "SavedView")) }, ...errorResponses(401, 403, 404, 500) },
        },
        patch: {
          operationId: "updateSavedView",
          summary: "Rename, share or change a view",
          description: "The owner's private view, or a shared one with the admin or `shareViews` permission.",
          tags: [TAG],
          parameters: [idParameter],
          requestBody: { required: true, content: json(ref("schemas", "SavedViewUpdate")) },
          responses: {
            "200": { description: "The changed view.", content: json(ref("schemas", "SavedView")) },
            ...errorResponses(400, 401, 403, 404, 415, 422, 500),
            "409": problem("`VIEW_NAME_TAKEN`: the owner has a view of this name for the entity (pointer `/name`)."),
          },
        },
        delete: {
          operationId: "deleteSavedView",
          summary: "Delete a view",
          description: "The owner's private view, or a shared one with the admin or `shareViews` permission.",
          tags: [TAG],
          parameters: [idParameter],
          responses: { "204": { description: "Deleted." }, ...errorResponses(401, 403, 404, 500) },
        },
      },
    },
  };
}
