import type { OpenApiExtension } from "./create-openapi-document.ts";
import { adminOnly } from "./security.ts";
import { errorResponses } from "./shared-components.ts";
import { ref, type Operation, type SchemaObject } from "./types.ts";

const TAG = "Webhooks";
const json = (schema: SchemaObject) => ({ "application/json": { schema } });
const id = { name: "id", in: "path", required: true, schema: { type: "string", format: "uuid" } };
const webhook = ref("schemas", "Webhook");
const delivery = ref("schemas", "WebhookDelivery");

/** Webhooks are for administrators. */
function op(operationId: string, summary: string, rest: Omit<Operation, "operationId" | "summary" | "tags">): Operation {
  return { operationId, summary, tags: [TAG], ...rest, responses: { ...rest.responses, ...adminOnly() } };
}

const input = (required: string[]): SchemaObject => ({
  type: "object",
  required,
  additionalProperties: false,
  properties: {
    entity: { type: "string", description: "Key of the entity whose records are watched." },
    events: { type: "array", minItems: 1, items: { type: "string" }, description: "Record events to deliver: `created`, `updated`, `deleted`." },
    url: { type: "string", format: "uri", description: "Where deliveries are POSTed." },
    description: { type: ["string", "null"] },
    active: { type: "boolean", default: true },
  },
});

/**
 * The webhook administration API (`/api/webhooks`), described generically: registration, secrets,
 * deliveries. Operation ids start with `webhook`, never a record verb, so they cannot collide.
 */
export function webhookExtension(): OpenApiExtension {
  return {
    tags: [{ name: TAG, description: "Signed HTTP callbacks on record changes, with a delivery log and retries." }],
    schemas: {
      Webhook: {
        title: "Webhook",
        description: "A registration. `secret` (for verifying signatures) is shown on creation, reads of one webhook and rotation, never in lists.",
        type: "object",
        required: ["id", "entity", "events", "url"],
        properties: { id: { type: "string", format: "uuid" }, ...(input([])["properties"] as object), secret: { type: "string" } },
      },
      WebhookDelivery: {
        title: "Webhook delivery",
        description: "One attempt log entry: status `pending`, `delivered`, `failed` or `dead`.",
        type: "object",
        required: ["id"],
        properties: { id: { type: "string", format: "uuid" }, status: { type: "string" } },
      },
    },
    paths: {
      "/api/webhooks": {
        get: op("webhookList", "List webhooks", { responses: { "200": { description: "Every webhook (without secrets).", content: json({ type: "object", properties: { items: { type: "array", items: webhook } } }) }, ...errorResponses(500) } }),
        post: op("webhookCreate", "Register a webhook", {
          requestBody: { required: true, content: json(input(["entity", "events", "url"])) },
          responses: { "201": { description: "Registered, with its secret.", headers: { Location: ref("headers", "Location") }, content: json(webhook) }, ...errorResponses(400, 415, 422, 500) },
        }),
      },
      "/api/webhooks/{id}": {
        get: op("webhookGet", "Get a webhook", { parameters: [id], responses: { "200": { description: "The webhook, with its secret.", content: json(webhook) }, ...errorResponses(404, 500) } }),
        patch: op("webhookUpdate", "Change a webhook", {
          parameters: [id],
          requestBody: { required: true, content: json(input([])) },
          responses: { "200": { description: "The changed webhook.", content: json(webhook) }, ...errorResponses(400, 404, 415, 422, 500) },
        }),
        delete: op("webhookDelete", "Delete a webhook", { parameters: [id], responses: { "204": { description: "Deleted." }, ...errorResponses(404, 500) } }),
      },
      "/api/webhooks/{id}/rotate-secret": {
        post: op("webhookRotateSecret", "Rotate the signing secret", { parameters: [id], responses: { "200": { description: "The webhook with its new secret.", content: json(webhook) }, ...errorResponses(404, 500) } }),
      },
      "/api/webhooks/{id}/deliveries": {
        get: op("webhookListDeliveries", "Delivery log", {
          parameters: [
            id,
            { name: "status", in: "query", schema: { enum: ["pending", "delivered", "failed", "dead"] } },
            { name: "limit", in: "query", schema: { type: "integer", minimum: 1, maximum: 500, default: 50 } },
          ],
          responses: { "200": { description: "Newest first.", content: json({ type: "object", properties: { items: { type: "array", items: delivery } } }) }, ...errorResponses(400, 404, 500) },
        }),
      },
      "/api/webhooks/deliveries/{id}/retry": {
        post: op("webhookRetryDelivery", "Retry a failed delivery", { parameters: [id], responses: { "200": { description: "The delivery, queued again.", content: json(delivery) }, ...errorResponses(404, 409, 500) } }),
      },
    },
  };
}
