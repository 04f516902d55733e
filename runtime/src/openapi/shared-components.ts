import { ref, type SchemaObject } from "./types.ts";

export const PROBLEM_TYPE = "application/problem+json";

/** RFC 9457 problem details, as `createErrorHandler` writes them. */
const problem: SchemaObject = {
  title: "Problem",
  description: "RFC 9457 problem details. `code` is stable; `issues` point at the exact input that is wrong.",
  type: "object",
  required: ["type", "title", "status", "code"],
  properties: {
    type: { type: "string", description: "A URI naming the kind of problem, e.g. `urn:crm:problem:validation-failed`." },
    title: { type: "string", description: "Short, human summary of the kind of problem." },
    status: { type: "integer", minimum: 400, maximum: 599 },
    detail: { type: "string", description: "What went wrong in this request." },
    code: { type: "string", description: "Stable error code, e.g. `VALIDATION_FAILED`, `RECORD_NOT_UNIQUE`.", examples: ["VALIDATION_FAILED"] },
    instance: { type: "string", description: "The request path." },
    requestId: { type: "string", description: "Quote it when reporting a problem; the server logs it." },
    issues: { type: "array", items: ref("schemas", "ProblemIssue") },
    pluginId: { type: "string", description: "`PLUGIN_REJECTED`, `PLUGIN_FAILED`, `PLUGIN_UNAVAILABLE`: the plugin whose hook or action stopped the request." },
    outcome: { type: "string", description: "`PLUGIN_FAILED`, `PLUGIN_UNAVAILABLE`: how the plugin's invocation ended.", enum: ["error", "budget_exceeded", "timeout", "memory", "crashed", "disabled"] },
    budget: { type: "string", description: "`PLUGIN_FAILED` with outcome `budget_exceeded`: the counted budget that ran out.", enum: ["hostCalls", "rowsRead", "rowsWritten", "outboundRequests"] },
    limit: { type: "string", description: "`PLUGIN_UNAVAILABLE` with outcome `timeout`: `cpu` (its CPU budget) or `wall` (its deadline).", enum: ["cpu", "wall"] },
    pluginError: { type: "string", description: "The code of the error the plugin's invocation ended with." },
  },
};

const problemIssue: SchemaObject = {
  title: "Problem issue",
  type: "object",
  required: ["code", "pointer", "message"],
  properties: {
    code: { type: "string", examples: ["REQUIRED"] },
    pointer: { type: "string", description: "JSON Pointer into the request body (or `/<parameter>` for query parameters).", examples: ["/name"] },
    message: { type: "string" },
  },
};

const metricValues = (description: string): SchemaObject => ({ type: "object", description, additionalProperties: true });

/** The answer of every `/aggregate` operation. */
const aggregateResult: SchemaObject = {
  title: "Aggregate result",
  type: "object",
  required: ["groups"],
  properties: {
    groups: {
      type: "array",
      description: "One group per distinct `groupBy` key (a single group without `groupBy`).",
      items: {
        type: "object",
        required: ["key"],
        properties: {
          key: {
            type: "object",
            description: "The group's value for each `groupBy` path (`stage`, `account.industry`), in a record's JSON form; a bucketed date is the first day of its bucket (`YYYY-MM-DD`, weeks start on Monday, UTC). Empty without `groupBy`.",
            additionalProperties: true,
          },
          count: { type: "integer", minimum: 0, description: "Records in the group." },
          sum: metricValues("`sum:path` metrics, by path; `null` when the group has no values."),
          avg: metricValues("`avg:path` metrics, by path."),
          min: metricValues("`min:path` metrics, by path."),
          max: metricValues("`max:path` metrics, by path."),
        },
      },
    },
  },
};

/** Error statuses the API answers with, each a shared response component. */
const ERRORS = {
  400: ["BadRequest", "The request is malformed: a bad query parameter, bad JSON or a bad envelope. `issues` say where."],
  401: ["Unauthorized", "No valid credentials: `AUTHENTICATION_REQUIRED` (none were sent), `TOKEN_INVALID` or `TOKEN_EXPIRED` (a bad Bearer token, answered with `WWW-Authenticate`)."],
  403: ["Forbidden", "The caller may not do this: `ACCESS_DENIED` (no role grants the action on this entity, or the record is readable but outside the action's scope); `CSRF_TOKEN_INVALID` for a session's write without its `x-csrf-token`."],
  404: ["NotFound", "No such entity, record or route. A record outside the caller's read scope is not found either."],
  409: ["Conflict", "A unique value is already taken (`RECORD_NOT_UNIQUE`), a request with the same `Idempotency-Key` is still in flight, the record is still referenced, or a concurrent change conflicted."],
  412: ["PreconditionFailed", "`If-Match` names a version that is no longer current: read the record again and retry."],
  415: ["UnsupportedMediaType", "The body must be sent as `application/json`."],
  422: ["ValidationFailed", "The input is invalid; `issues` holds every problem, each with a JSON Pointer."],
  423: ["Locked", "A schema change holds the table; retry shortly."],
  429: ["TooManyRequests", "`LOGIN_THROTTLED`: too many failed sign-ins for this email or address; wait (`Retry-After`) before trying again."],
  500: ["InternalError", "Unexpected failure; the body carries a `requestId` and no internals."],
  503: ["PluginUnavailable", "`PLUGIN_UNAVAILABLE`: a plugin that had to run (a before-hook, or the action asked for) could not: it passed its CPU limit or deadline (`outcome` `timeout`, `limit` `cpu` or `wall`), ran out of memory, its plugin host crashed (restarted within seconds; retry), or it is disabled. `pluginId` names it; nothing was written."],
} as const;

export type ErrorStatus = keyof typeof ERRORS;

/** `responses` entries for the given error statuses, all `application/problem+json`. */
export function errorResponses(...statuses: ErrorStatus[]): Record<string, SchemaObject> {
  return Object.fromEntries(statuses.map((status) => [String(status), ref("responses", ERRORS[status][0])]));
}

/** 403 variants with their own description and examples, for `responses["403"]`. */
/** 422 of record writes: the validator's issues, or a plugin's before-hook that refused or failed. */
export const RECORD_WRITE_INVALID = ref("responses", "RecordWriteInvalid");

export const FORBIDDEN = {
  /** Record writes: the action, its scope, or fields (with a pointer each). */
  recordWrite: ref("responses", "RecordWriteForbidden"),
  /** Routes for administrators only. */
  admin: ref("responses", "AdminRequired"),
} as const;

const problemExample = (status: number, code: string, detail: string, issues?: Array<{ code: string; pointer: string; message: string }>) => ({
  type: `urn:crm:problem:${code.toLowerCase().replace(/_/g, "-")}`,
  title: code === "FIELDS_NOT_WRITABLE" ? "Some fields may not be written" : "You may not do this",
  status,
  code,
  detail,
  ...(issues ? { issues } : {}),
});

const RECORD_WRITE_FORBIDDEN: SchemaObject = {
  description: [
    "The write is refused, and nothing was written:",
    "`ACCESS_DENIED` when no role grants the action on this entity, or the record is readable but outside the caller's update/delete scope (in a batch, `issues` point at the item, e.g. `/3`);",
    "`FIELDS_NOT_WRITABLE` when the body sets fields the caller may not write: one issue per field, pointer `/field` (batches `/3/field`), code `FIELD_NOT_WRITABLE`, or `TRANSFER_NOT_ALLOWED` / `OWNER_OUT_OF_SCOPE` for an `ownerId` the caller may not give;",
    "`CSRF_TOKEN_INVALID` for a session's write without its `x-csrf-token`.",
  ].join(" "),
  content: {
    [PROBLEM_TYPE]: {
      schema: ref("schemas", "Problem"),
      examples: {
        accessDenied: { summary: "Not allowed on this record", value: problemExample(403, "ACCESS_DENIED", "You may read this account record but not update it.") },
        fieldsNotWritable: {
          summary: "Fields the caller may not write",
          value: problemExample(403, "FIELDS_NOT_WRITABLE", "Some fields may not be written by you; nothing was written. See issues.", [
            { code: "FIELD_NOT_WRITABLE", pointer: "/annualRevenue", message: "You may not write Annual revenue." },
            { code: "TRANSFER_NOT_ALLOWED", pointer: "/ownerId", message: "You may not give account records to another owner." },
          ]),
        },
      },
    },
  },
};

const RECORD_WRITE_INVALID_RESPONSE: SchemaObject = {
  description: [
    "The write is refused, and nothing was written:",
    "`RECORD_INVALID` (and other validation codes) with one issue per problem, pointer `/field` (batches `/3/field`);",
    "`PLUGIN_REJECTED` when an installed plugin's before-hook refused the change: `pluginId`, and its messages as issues at the fields it named (or at the record);",
    "`PLUGIN_FAILED` when a before-hook threw or ran out of a counted budget: `pluginId`, `outcome` (`error` or `budget_exceeded`) and `budget`.",
  ].join(" "),
  content: {
    [PROBLEM_TYPE]: {
      schema: ref("schemas", "Problem"),
      examples: {
        pluginRejected: {
          summary: "A plugin refused the change",
          value: { ...problemExample(422, "PLUGIN_REJECTED", 'Plugin "duplicate-guard" refused the change: An account with this name exists.', [{ code: "PLUGIN_REJECTED", pointer: "/name", message: "Acme Ltd already exists." }]), title: "A plugin refused the change", pluginId: "duplicate-guard" },
        },
        pluginFailed: {
          summary: "A plugin's hook failed",
          value: { ...problemExample(422, "PLUGIN_FAILED", 'Plugin "lead-scoring" failed: Budget exceeded: rowsRead (at most 1000 per invocation).'), title: "A plugin failed", pluginId: "lead-scoring", outcome: "budget_exceeded", budget: "rowsRead" },
        },
      },
    },
  },
};

export const ETAG_HEADER = ref("headers", "ETag");

/** The component sections that do not depend on any entity. */
export function sharedComponents() {
  const responses: Record<string, SchemaObject> = {};
  for (const [, [name, description]] of Object.entries(ERRORS)) {
    responses[name] = { description, content: { [PROBLEM_TYPE]: { schema: ref("schemas", "Problem") } } };
  }
  responses["Unauthorized"] = { ...responses["Unauthorized"], headers: { "WWW-Authenticate": { description: "`Bearer error=\"invalid_token\"` when a token was sent but is not valid.", schema: { type: "string" } } } };
  responses["RecordWriteForbidden"] = RECORD_WRITE_FORBIDDEN;
  responses["RecordWriteInvalid"] = RECORD_WRITE_INVALID_RESPONSE;
  responses["AdminRequired"] = {
    description: "`ADMIN_REQUIRED`: only callers with an administrator role may do this (`CSRF_TOKEN_INVALID` for a session's write without its `x-csrf-token`).",
    content: { [PROBLEM_TYPE]: { schema: ref("schemas", "Problem") } },
  };
  return {
    schemas: { Problem: problem, ProblemIssue: problemIssue, AggregateResult: aggregateResult } as Record<string, SchemaObject>,
    responses,
    headers: {
      ETag: { description: "The record's version as an entity tag; send it back in `If-Match`.", schema: { type: "string", examples: ['"3"'] } },
      Location: { description: "URL of the created resource.", schema: { type: "string" } },
    },
    parameters: {
      RecordId: { name: "id", in: "path", required: true, description: "The record's id.", schema: { type: "string", format: "uuid" } },
      Limit: { name: "limit", in: "query", description: "Page size.", schema: { type: "integer", minimum: 1, maximum: 200, default: 50 } },
      Cursor: { name: "cursor", in: "query", description: "Opaque position from the previous page's `nextCursor`.", schema: { type: "string" } },
      Count: { name: "count", in: "query", description: "Also return `total`, the number of matching records.", schema: { type: "boolean", default: false } },
      Search: { name: "q", in: "query", description: "Full-text search over the entity's text fields.", schema: { type: "string" } },
      IfMatch: {
        name: "If-Match",
        in: "header",
        description: "Only write if the record is still at this version (the `ETag` of a previous read); otherwise 412.",
        schema: { type: "string", examples: ['"3"'] },
      },
      IdempotencyKey: {
        name: "Idempotency-Key",
        in: "header",
        description: "Retry-safe creation: a repeated request with the same key returns the first result instead of creating again.",
        schema: { type: "string", minLength: 1, maxLength: 255 },
      },
    } as Record<string, SchemaObject>,
  };
}
