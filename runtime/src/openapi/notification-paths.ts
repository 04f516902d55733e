import type { OpenApiExtension } from "./create-openapi-document.ts";
import { adminOnly } from "./security.ts";
import { errorResponses } from "./shared-components.ts";
import { ref, type SchemaObject } from "./types.ts";

const TAG = "Notifications";
const json = (schema: SchemaObject) => ({ "application/json": { schema } });
const limit = (max: number, fallback: number) => ({ name: "limit", in: "query", description: `Items per page, 1 to ${max}.`, schema: { type: "integer", minimum: 1, maximum: max, default: fallback } });
const forUsers = "A user's own (a role token has no inbox: 403).";

/** The caller's in-app notifications and the administrators' view of the email outbox. */
export function notificationExtension(): OpenApiExtension {
  return {
    tags: [{ name: TAG, description: "In-app notifications sent by workflows and plugins, and the email outbox (sent through SMTP, or only recorded when none is configured)." }],
    schemas: {
      Notification: {
        title: "Notification",
        type: "object",
        required: ["id", "subject", "body", "link", "source", "createdAt", "readAt"],
        properties: {
          id: { type: "string", format: "uuid" },
          subject: { type: "string" },
          body: { type: ["string", "null"] },
          link: { oneOf: [{ type: "null" }, { type: "object", required: ["entity", "recordId"], properties: { entity: { type: "string" }, recordId: { type: "string", format: "uuid" } } }], description: "The record it is about." },
          source: { type: "object", required: ["kind", "id"], properties: { kind: { type: "string", examples: ["workflow"] }, id: { type: ["string", "null"] } } },
          createdAt: { type: "string", format: "date-time" },
          readAt: { type: ["string", "null"], format: "date-time" },
        },
      },
      OutboundEmail: {
        title: "Outbound email",
        type: "object",
        required: ["id", "to", "subject", "body", "status", "attempts", "createdAt"],
        properties: {
          id: { type: "integer" },
          userId: { type: ["string", "null"], format: "uuid" },
          to: { type: "string" },
          subject: { type: "string" },
          body: { type: "string" },
          status: { enum: ["pending", "sent", "failed", "recorded"] },
          attempts: { type: "integer", minimum: 0 },
          lastError: { type: ["string", "null"] },
          sourceKind: { type: "string" },
          sourceId: { type: ["string", "null"] },
          createdAt: { type: "string", format: "date-time" },
          sentAt: { type: ["string", "null"], format: "date-time" },
        },
      },
    },
    paths: {
      "/api/me/notifications": {
        get: {
          operationId: "listMyNotifications",
          summary: "My notifications",
          description: `Newest first, with the number unread. ${forUsers}`,
          tags: [TAG],
          parameters: [
            { name: "unread", in: "query", description: "Only unread ones.", schema: { type: "boolean" } },
            limit(100, 20),
            { name: "cursor", in: "query", description: "`nextCursor` of the previous page.", schema: { type: "string" } },
          ],
          responses: {
            "200": {
              description: "A page of notifications.",
              content: json({ type: "object", required: ["items", "unread", "nextCursor"], properties: { items: { type: "array", items: ref("schemas", "Notification") }, unread: { type: "integer", minimum: 0 }, nextCursor: { type: ["string", "null"] } } }),
            },
            ...errorResponses(400, 401, 403, 500),
          },
        },
      },
      "/api/me/notifications/read": {
        post: {
          operationId: "markAllMyNotificationsRead",
          summary: "Mark all my notifications read",
          tags: [TAG],
          responses: { "200": { description: "How many were unread.", content: json({ type: "object", required: ["marked"], properties: { marked: { type: "integer", minimum: 0 } } }) }, ...errorResponses(401, 403, 500) },
        },
      },
      "/api/me/notifications/{id}/read": {
        post: {
          operationId: "markMyNotificationRead",
          summary: "Mark one of my notifications read",
          tags: [TAG],
          parameters: [{ name: "id", in: "path", required: true, schema: { type: "string", format: "uuid" } }],
          responses: { "204": { description: "Marked (or already read)." }, ...errorResponses(401, 403, 404, 500) },
        },
      },
      "/api/admin/emails": {
        get: {
          operationId: "listEmails",
          summary: "The email outbox",
          description: "Newest first: sent, pending (with attempts and the last error), failed, or `recorded` (development mode: no SMTP_URL, nothing is sent).",
          tags: [TAG],
          parameters: [{ name: "status", in: "query", schema: { enum: ["pending", "sent", "failed", "recorded"] } }, limit(100, 20)],
          responses: { "200": { description: "Messages.", content: json({ type: "object", required: ["items"], properties: { items: { type: "array", items: ref("schemas", "OutboundEmail") } } }) }, ...errorResponses(400, 500), ...adminOnly() },
        },
      },
    },
  };
}
