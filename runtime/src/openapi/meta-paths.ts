import { changeRequestSchema } from "./meta-schemas.ts";
import { adminOnly, PUBLIC } from "./security.ts";
import { errorResponses } from "./shared-components.ts";
import { ref, type Operation, type PathItem, type SchemaObject } from "./types.ts";

export const META_TAG = "Metadata";
export const SYSTEM_TAG = "System";

const json = (schema: SchemaObject) => ({ "application/json": { schema } });
const ok = (description: string, schema: SchemaObject, extra: SchemaObject = {}) => ({ "200": { description, content: json(schema), ...extra } });
const object = (properties: Record<string, SchemaObject>): SchemaObject => ({ type: "object", properties });
const list = (schema: SchemaObject): SchemaObject => ({ type: "array", items: schema });

const key = { name: "key", in: "path", required: true, description: "The entity's key.", schema: { type: "string" } };
const entityId = { name: "entityId", in: "path", required: true, description: "The entity's stable id.", schema: { type: "string" } };
const fieldId = { name: "fieldId", in: "path", required: true, description: "The field's stable id.", schema: { type: "string" } };
const baseVersion = (required: boolean) => ({
  name: "baseVersion",
  in: "query",
  required,
  description: "The version the caller read; a different current version is refused with 409.",
  schema: { type: "integer", minimum: 1 },
});
const confirm = { name: "confirm", in: "query", description: "Ids of the lossy steps to confirm (repeat the parameter).", schema: list({ type: "string" }), style: "form", explode: true };
const changeBody = (schema: SchemaObject) => ({ required: true, content: json(schema) });

const WRITE_ERRORS = errorResponses(400, 404, 409, 415, 422, 423, 500);
const CHANGE = ref("schemas", "ChangeResult");
const TRASH = object({ entities: list(ref("schemas", "MetaEntity")), fields: list(object({ entityId: { type: "string" }, field: ref("schemas", "FieldDefinition"), columns: list({ type: "string" }), parkedAt: { type: "string", format: "date-time" } })) });

/** Metadata operations are for administrators; the system ones (health, this document) for anyone. */
function op(operationId: string, summary: string, rest: Omit<Operation, "operationId" | "summary" | "tags">, tag = META_TAG): Operation {
  if (tag === SYSTEM_TAG) return { operationId, summary, tags: [tag], security: PUBLIC, ...rest };
  return { operationId, summary, tags: [tag], ...rest, responses: { ...rest.responses, ...adminOnly() } };
}

/**
 * `/api/health`, the documentation itself, and the metadata API of README's table. Operation ids
 * never start with a record verb followed by a capital (`listAccount`), so they cannot collide with
 * the ids of any entity's record operations.
 */
export function metaPaths(): Record<string, PathItem> {
  return {
    "/api/health": {
      get: op("health", "Health", { responses: { ...ok("The server and its database answer.", ref("schemas", "Health")), ...errorResponses(500) } }, SYSTEM_TAG),
    },
    "/api/openapi.json": {
      get: op("openApiDocument", "This OpenAPI document", {
        description: "Generated from the live entity definitions; regenerated after every schema change.",
        responses: { ...ok("OpenAPI 3.1 document.", { type: "object" }), "304": { description: "Not modified since the `ETag` sent in `If-None-Match`." } },
      }, SYSTEM_TAG),
    },
    "/api/meta/entities": {
      get: op("metaListEntities", "List live entities", { responses: { ...ok("Every live entity with its version.", object({ items: list(ref("schemas", "MetaEntity")) })), ...errorResponses(500) } }),
      post: op("metaCreateEntities", "Create entities", {
        description: "`{ definition, confirm? }` for one entity, or `{ definitions: [...] }` for several that refer to each other (validated together, one transaction).",
        requestBody: changeBody({
          oneOf: [
            { type: "object", required: ["definition"], additionalProperties: false, properties: { definition: ref("schemas", "EntityDefinition"), confirm: list({ type: "string" }) } },
            { type: "object", required: ["definitions"], additionalProperties: false, properties: { definitions: list(ref("schemas", "EntityDefinition")) } },
          ],
        }),
        responses: { "201": { description: "Created; the tables exist.", content: json({ anyOf: [CHANGE, object({ items: list(CHANGE) })] }) }, ...WRITE_ERRORS },
      }),
    },
    "/api/meta/entities/{key}": {
      get: op("metaGetEntity", "Get one definition", {
        parameters: [key, { name: "version", in: "query", description: "An older version.", schema: { type: "integer", minimum: 1 } }],
        responses: { ...ok("The definition; `ETag` is its version.", ref("schemas", "MetaEntity"), { headers: { ETag: { schema: { type: "string" } } } }), ...errorResponses(400, 404, 500) },
      }),
      put: op("metaUpdateEntity", "Change a definition", {
        description: "Applied in one transaction; lossy steps need their ids in `confirm`; a table held by other work beyond the lock timeout gives 423.",
        parameters: [key],
        requestBody: changeBody(changeRequestSchema(true)),
        responses: { ...ok("The change, applied.", CHANGE), ...WRITE_ERRORS },
      }),
      delete: op("metaDeleteEntity", "Delete an entity (to the trash)", {
        description: "Soft delete: the table moves to the trash with its data.",
        parameters: [key, baseVersion(false)],
        responses: { ...ok("Deleted.", CHANGE), ...errorResponses(400, 404, 409, 422, 423, 500) },
      }),
    },
    "/api/meta/entities/{key}/versions": {
      get: op("metaListVersions", "Version history", {
        parameters: [key],
        responses: { ...ok("Versions and the migration plans applied.", object({ versions: list({ type: "object" }), plans: list({ type: "object" }) })), ...errorResponses(404, 500) },
      }),
    },
    "/api/meta/entities/{key}/preview": {
      post: op("metaPreviewChange", "Preview a change", {
        description: "The ordered steps, their SQL, class and impact counts measured on live data; nothing is changed.",
        parameters: [key],
        requestBody: changeBody(changeRequestSchema(false)),
        responses: { ...ok("The preview.", ref("schemas", "PreviewResult")), ...errorResponses(400, 404, 415, 422, 423, 500) },
      }),
    },
    "/api/meta/entities/{key}/trash": {
      get: op("metaListDeletedFields", "Deleted fields", { parameters: [key], responses: { ...ok("Fields removed from the definition, with their data kept.", TRASH), ...errorResponses(404, 500) } }),
    },
    "/api/meta/entities/{key}/trash/{fieldId}/restore": {
      post: op("metaRestoreField", "Restore a deleted field", { parameters: [key, fieldId, baseVersion(false)], responses: { ...ok("Restored with its data.", CHANGE), ...errorResponses(400, 404, 409, 422, 423, 500) } }),
    },
    "/api/meta/entities/{key}/trash/{fieldId}": {
      delete: op("metaPurgeField", "Purge a deleted field", { parameters: [key, fieldId, confirm], responses: { ...ok("Purged; its data is gone.", CHANGE), ...errorResponses(404, 422, 423, 500) } }),
    },
    "/api/meta/trash": {
      get: op("metaListDeletedEntities", "Deleted entities", { responses: { ...ok("Entities in the trash.", TRASH), ...errorResponses(500) } }),
    },
    "/api/meta/trash/{entityId}/restore": {
      post: op("metaRestoreEntity", "Restore a deleted entity", { parameters: [entityId], responses: { ...ok("Restored with its data.", CHANGE), ...errorResponses(404, 409, 422, 423, 500) } }),
    },
    "/api/meta/trash/{entityId}": {
      delete: op("metaPurgeEntity", "Purge a deleted entity", { parameters: [entityId, confirm], responses: { ...ok("Purged; its data is gone.", CHANGE), ...errorResponses(404, 422, 423, 500) } }),
    },
  };
}
