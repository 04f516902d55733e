import { auditedFields, HISTORY_ACTIONS, type EntityDefinition } from "@crm/core";
import { DEFAULT_HISTORY_LIMIT, MAX_HISTORY_LIMIT } from "../http/history-routes.ts";
import { pascalCase } from "./schema-names.ts";
import { errorResponses } from "./shared-components.ts";
import { ref, type PathItem, type SchemaObject } from "./types.ts";

const ACTOR_KINDS = ["user", "token", "workflow", "plugin", "import", "system"];
const NULLABLE_UUID = { type: ["string", "null"], format: "uuid" } as const;

/** The answer of every `/history` operation (runtime/src/audit/record-history.ts `HistoryPage`). */
export function historySchemas(): Record<string, SchemaObject> {
  return {
    FieldChange: {
      title: "Field change",
      description: "A field's value before and after, in the record's JSON form; `null` for no value. Secret fields show `\"[redacted]\"`.",
      type: "object",
      required: ["old", "new"],
      properties: { old: {}, new: {} },
    },
    RecordHistoryItem: {
      title: "Record history entry",
      type: "object",
      required: ["id", "at", "action", "actor", "requestId", "changes"],
      properties: {
        id: { type: "integer", minimum: 1, description: "Grows with every entry; pass the last one as `before` for older entries." },
        at: { type: "string", format: "date-time" },
        action: { enum: [...HISTORY_ACTIONS] },
        actor: {
          type: "object",
          description: "Who made the change: `id` is the user, token, workflow run, plugin or import batch; `userId` the user it acted for; `name` that user's name.",
          required: ["kind", "id", "userId"],
          properties: { kind: { enum: ACTOR_KINDS }, id: { type: ["string", "null"] }, userId: NULLABLE_UUID, name: { type: "string" } },
        },
        requestId: { type: ["string", "null"], description: "The request that made the change (quote it when reporting a problem)." },
        changes: {
          type: "object",
          description: "Changed fields by current field key (`ownerId` included), only those the caller may read. A create lists the values set, a delete the values removed.",
          additionalProperties: ref("schemas", "FieldChange"),
        },
      },
    },
    RecordHistoryPage: {
      title: "Record history page",
      type: "object",
      required: ["items", "nextBefore"],
      properties: {
        items: { type: "array", items: ref("schemas", "RecordHistoryItem"), description: "Newest first." },
        nextBefore: { type: ["integer", "null"], description: "Pass as `before` for the next (older) page; `null` on the last page." },
      },
    },
  };
}

/** `GET /api/records/<key>/{id}/history`, operation id `history<Entity>`. */
export function historyPath(def: EntityDefinition, tag: string): Record<string, PathItem> {
  const audited = auditedFields(def);
  const keys = (secret: boolean) => audited.filter((f) => f.secret === secret).map((f) => `\`${f.key}\``);
  const secret = keys(true);
  return {
    [`/api/records/${def.key}/{id}/history`]: {
      get: {
        operationId: `history${pascalCase(def.key)}`,
        summary: "Change history of one record",
        description: [
          "Every create, update and delete of the record, newest first, as the caller may see it: changes to hidden fields are left out, and updates that changed only hidden fields too.",
          "Readable exactly when the record is: outside the caller's read scope it is 404. A deleted record keeps its history (for callers whose read scope is `all`).",
          `Audited fields: ${keys(false).join(", ")}.${secret.length ? ` Secret (shown as \`"[redacted]"\`): ${secret.join(", ")}.` : ""}`,
        ].join(" "),
        tags: [tag],
        parameters: [
          ref("parameters", "RecordId"),
          { name: "limit", in: "query", description: "Entries per page.", schema: { type: "integer", minimum: 1, maximum: MAX_HISTORY_LIMIT, default: DEFAULT_HISTORY_LIMIT } },
          { name: "before", in: "query", description: "Only entries older than this one: the previous page's `nextBefore`.", schema: { type: "integer", minimum: 1 } },
        ],
        responses: {
          "200": { description: "One page of the history.", content: { "application/json": { schema: ref("schemas", "RecordHistoryPage") } } },
          ...errorResponses(400, 401, 403, 404, 500),
        },
      },
    },
  };
}
