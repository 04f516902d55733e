import type { OpenApiExtension } from "./create-openapi-document.ts";
import { errorResponses } from "./shared-components.ts";
import { ref, type SchemaObject } from "./types.ts";

const TAG = "Approvals";
const json = (schema: SchemaObject) => ({ "application/json": { schema } });
const list = json({ type: "object", required: ["items"], properties: { items: { type: "array", items: ref("schemas", "ApprovalRequest") } } });
const dateTime = { type: ["string", "null"], format: "date-time" };

/** Approval requests of workflow approval steps: the approver's inbox, decisions, a record's requests. */
export function approvalExtension(): OpenApiExtension {
  return {
    tags: [{ name: TAG, description: "Approval requests (a workflow's approval step): approvers list what waits for them and approve or reject with a comment; deadlines approve, reject or escalate." }],
    schemas: {
      ApprovalRequest: {
        title: "Approval request",
        type: "object",
        required: ["id", "entity", "recordId", "subject", "approvers", "status", "createdAt"],
        properties: {
          id: { type: "string", format: "uuid" },
          runId: { type: ["string", "null"], format: "uuid" },
          stepId: { type: ["string", "null"] },
          workflowId: { type: ["string", "null"] },
          entity: { type: "string" },
          recordId: { type: "string", format: "uuid" },
          subject: { type: "string" },
          message: { type: ["string", "null"] },
          approvers: { type: "array", items: { type: "string", format: "uuid" } },
          status: { enum: ["pending", "approved", "rejected", "cancelled"] },
          dueAt: dateTime,
          onTimeout: { enum: ["approve", "reject", "escalate", null] },
          escalatedAt: dateTime,
          decidedBy: { type: ["string", "null"], format: "uuid" },
          decidedHow: { enum: ["user", "timeout", null] },
          comment: { type: ["string", "null"] },
          decidedAt: dateTime,
          createdAt: { type: "string", format: "date-time" },
        },
      },
    },
    paths: {
      "/api/me/approvals": {
        get: {
          operationId: "listMyApprovals",
          summary: "Approval requests waiting for me",
          description: "`pending` (default): requests the caller may decide; `decided`: the ones they decided.",
          tags: [TAG],
          parameters: [
            { name: "status", in: "query", schema: { enum: ["pending", "decided"], default: "pending" } },
            { name: "limit", in: "query", schema: { type: "integer", minimum: 1, maximum: 200, default: 50 } },
          ],
          responses: { "200": { description: "Newest first.", content: list }, ...errorResponses(400, 401, 403, 500) },
        },
      },
      "/api/approvals/{id}/decision": {
        post: {
          operationId: "decideApproval",
          summary: "Approve or reject",
          tags: [TAG],
          parameters: [{ name: "id", in: "path", required: true, schema: { type: "string", format: "uuid" } }],
          requestBody: { required: true, content: json({ type: "object", required: ["decision"], properties: { decision: { enum: ["approve", "reject"] }, comment: { type: ["string", "null"], maxLength: 5000 } } }) },
          responses: {
            "200": { description: "The decided request; the waiting workflow moves on.", content: json(ref("schemas", "ApprovalRequest")) },
            ...errorResponses(400, 401, 403, 404, 409, 415, 422, 500),
          },
        },
      },
      "/api/records/{entity}/{id}/approvals": {
        get: {
          operationId: "listRecordApprovals",
          summary: "Approval requests about a record",
          description: "For callers who may read the record (404 otherwise, as for the record).",
          tags: [TAG],
          parameters: [
            { name: "entity", in: "path", required: true, schema: { type: "string" } },
            { name: "id", in: "path", required: true, schema: { type: "string", format: "uuid" } },
          ],
          responses: { "200": { description: "Newest first.", content: list }, ...errorResponses(401, 403, 404, 500) },
        },
      },
    },
  };
}
