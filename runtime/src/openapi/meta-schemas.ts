import { definitionSchemas } from "./definition-schemas.ts";
import { ref, type SchemaObject } from "./types.ts";

const entityRef = ref("schemas", "EntityDefinition");
const version = { type: "integer", minimum: 1 } as const;

/** Schemas of the metadata API's bodies (see meta-routes.ts and metadata-service.ts). */
export function metaSchemas(): Record<string, SchemaObject> {
  return {
    ...definitionSchemas(),
    Health: {
      type: "object",
      required: ["status", "database"],
      properties: { status: { const: "ok" }, database: { enum: ["pglite", "postgres"] } },
    },
    MetaEntity: {
      title: "Stored entity",
      type: "object",
      required: ["id", "key", "version", "status", "definition"],
      properties: {
        id: { type: "string" },
        key: { type: "string" },
        version,
        status: { enum: ["active", "deleted"] },
        updatedAt: { type: "string", format: "date-time" },
        definition: entityRef,
      },
    },
    StepReport: {
      title: "Migration step",
      type: "object",
      required: ["id", "kind", "class", "description", "sql", "impacts", "requiresConfirmation"],
      properties: {
        id: { type: "string", description: "Stable within the plan; list lossy ones in `confirm`." },
        kind: { type: "string" },
        class: { enum: ["additive", "lossless", "lossy"] },
        description: { type: "string" },
        pointer: { type: "string", description: "JSON Pointer into the definition." },
        sql: { type: "array", items: { type: "string" } },
        impacts: {
          type: "array",
          items: {
            type: "object",
            required: ["count", "message", "blocks"],
            properties: { count: { type: "integer", minimum: 0 }, message: { type: "string" }, blocks: { type: "boolean" } },
          },
        },
        requiresConfirmation: { type: "boolean" },
      },
    },
    ChangeResult: {
      title: "Applied change",
      type: "object",
      required: ["entity", "planId", "steps"],
      properties: {
        entity: {
          type: "object",
          required: ["id", "key", "version", "status", "definition"],
          properties: { id: { type: "string" }, key: { type: "string" }, version, status: { enum: ["active", "deleted"] }, definition: entityRef },
        },
        planId: { type: ["string", "null"] },
        steps: { type: "array", items: ref("schemas", "StepReport") },
      },
    },
    PreviewResult: {
      title: "Change preview",
      type: "object",
      required: ["entityId", "entityKey", "currentVersion", "stale", "steps", "requiresConfirmation", "blocked"],
      properties: {
        entityId: { type: "string" },
        entityKey: { type: "string" },
        currentVersion: { type: ["integer", "null"] },
        stale: { type: "boolean", description: "`baseVersion` is no longer the current version." },
        steps: { type: "array", items: ref("schemas", "StepReport") },
        requiresConfirmation: { type: "array", items: { type: "string" }, description: "Ids of lossy steps to list in `confirm`." },
        blocked: { type: "boolean", description: "Existing data prevents the change." },
      },
    },
  };
}

/** The body of a definition change (`PUT`, where `baseVersion` is required) or of its preview. */
export function changeRequestSchema(baseVersionRequired: boolean): SchemaObject {
  return {
    title: "Definition change",
    type: "object",
    required: baseVersionRequired ? ["definition", "baseVersion"] : ["definition"],
    additionalProperties: false,
    properties: {
      definition: entityRef,
      baseVersion: { ...version, description: "The version the change was made from; a different current version is refused with 409." },
      confirm: { type: "array", items: { type: "string" }, description: "Ids of the lossy steps the caller accepts." },
      conversions: {
        type: "object",
        description: "Per field id, how old values map to new option keys: `{ \"<fieldId>\": { \"valueMap\": { \"Hot\": \"hot\" } } }`.",
        additionalProperties: {
          type: "object",
          properties: { valueMap: { type: "object", additionalProperties: { type: ["string", "null"] } } },
        },
      },
    },
  };
}
