import type { OpenApiExtension } from "./create-openapi-document.ts";
import { adminOnly, PUBLIC } from "./security.ts";
import { errorResponses } from "./shared-components.ts";
import { ref, type Operation, type SchemaObject } from "./types.ts";

const TAG = "Workflows";
const json = (schema: SchemaObject) => ({ "application/json": { schema } });
const path = (name: string, description: string, schema: SchemaObject = { type: "string" }) => ({ name, in: "path", required: true, description, schema });
const workflowId = path("id", "The workflow's stable id, e.g. `won-deal-onboarding`.");
const runId = path("runId", "The run's id.", { type: "string", format: "uuid" });
const workflow = ref("schemas", "Workflow");
const run = ref("schemas", "WorkflowRun");
const runWithSteps = ref("schemas", "WorkflowRunWithSteps");
const items = (schema: SchemaObject) => json({ type: "object", required: ["items"], properties: { items: { type: "array", items: schema } } });
const listParameters = [
  { name: "status", in: "query", schema: { enum: ["queued", "running", "retrying", "waiting", "succeeded", "failed", "cancelled"] } },
  { name: "limit", in: "query", schema: { type: "integer", minimum: 1, maximum: 500, default: 50 } },
  { name: "before", in: "query", description: "Only runs started before this instant (the last run's `startedAt`, for the next page).", schema: { type: "string", format: "date-time" } },
];

function admin(operationId: string, summary: string, rest: Omit<Operation, "operationId" | "summary" | "tags">): Operation {
  return { operationId, summary, tags: [TAG], ...rest, responses: { ...rest.responses, ...adminOnly() } };
}

const problem = (description: string) => ({ description, content: { "application/problem+json": { schema: ref("schemas", "Problem") } } });
const input = {
  type: "object",
  required: ["key", "type"],
  properties: { key: { type: "string" }, type: { enum: ["text", "number", "boolean", "date", "datetime"] }, label: { type: "string" }, required: { type: "boolean" } },
} satisfies SchemaObject;

const definitionBody = { required: true, content: json({ type: "object", description: "A workflow definition: see `schemas/workflow.schema.json`." }) };

/** The workflow administration API (`/api/admin/workflows`, `/api/admin/workflow-runs`); see runtime/src/workflows/README.md. */
export function workflowExtension(): OpenApiExtension {
  return {
    tags: [{ name: TAG, description: "Automation authored as definitions: versions, triggers from record writes, runs with every step's input, output and error; retry and cancel." }],
    schemas: {
      Workflow: {
        title: "Workflow",
        description: "The current version's definition (`schemas/workflow.schema.json`) with `version`, `enabled`, `createdAt` and `updatedAt`.",
        type: "object",
        required: ["id", "name", "entity", "trigger", "steps", "version", "enabled"],
        properties: {
          id: { type: "string" },
          name: { type: "string" },
          entity: { type: "string" },
          version: { type: "integer" },
          enabled: { type: "boolean" },
          trigger: { type: "object" },
          steps: { type: "array", items: { type: "object" } },
          createdAt: { type: "string", format: "date-time" },
          updatedAt: { type: "string", format: "date-time" },
        },
      },
      WorkflowRun: {
        title: "Workflow run",
        description: "One run of one version: `queued`, `running`, `retrying` (a step failed and waits for its next attempt until `resumeAt`), `waiting`, `succeeded`, `failed` (with `error`) or `cancelled`.",
        type: "object",
        required: ["id", "workflowId", "version", "status"],
        properties: {
          id: { type: "string", format: "uuid" },
          workflowId: { type: "string" },
          version: { type: "integer" },
          status: { type: "string" },
          record: { type: ["object", "null"], properties: { entity: { type: "string" }, id: { type: "string", format: "uuid" } } },
          trigger: { type: "object", description: "What started it: type (`created`, `updated`, `deleted`, `schedule`, `dateRelative`, `manual`, `webhook`), entity, recordId, record, previous; `at` (the schedule's minute or the date's moment), `startedBy` (manual), `variables` (inputs, a webhook's payload)." },
          cursor: { type: "array", description: "Where it is: frames of step lists, innermost last; empty when finished." },
          attempts: { type: "integer", description: "Failed attempts of the step at the cursor." },
          depth: { type: "integer", description: "How many runs led to this one (0: a person's write)." },
          error: { type: ["object", "null"], description: "`code`, `message`, `stepId`, `attempt`, `issues`." },
          resumeAt: { type: ["string", "null"], format: "date-time" },
          startedAt: { type: "string", format: "date-time" },
          finishedAt: { type: ["string", "null"], format: "date-time" },
        },
      },
      WorkflowDryRun: {
        title: "Workflow dry run",
        type: "object",
        required: ["dryRun", "workflowId", "version", "record", "status", "steps"],
        properties: {
          dryRun: { const: true },
          workflowId: { type: "string" },
          version: { type: ["integer", "null"], description: "Null for an unsaved definition." },
          record: { type: "object", properties: { entity: { type: "string" }, id: { type: "string", format: "uuid" } } },
          status: { type: "string", description: "`succeeded`, `failed`, `waiting` (paused at a wait or approval) or `retrying`." },
          error: { type: ["object", "null"] },
          pausedAt: { type: ["object", "null"], properties: { stepId: { type: "string" }, type: { type: "string" }, reason: { enum: ["wait", "approval", "retry"] }, until: { type: ["string", "null"], format: "date-time" } } },
          steps: {
            type: "array",
            description: "Every step attempt, in order, with `input`, `output`, `error` and `effects`: what it would do (`recordCreated`, `recordUpdated` with `changes` from → to, `recordDeleted`, `notification`, `email`, `httpRequest`, `approvalRequested`, `pluginAction`).",
            items: { type: "object" },
          },
        },
      },
      RecordWorkflowRun: {
        title: "Workflow run about a record",
        type: "object",
        required: ["id", "workflowId", "version", "status", "steps"],
        properties: {
          id: { type: "string", format: "uuid" },
          workflowId: { type: "string" },
          workflowName: { type: ["string", "null"] },
          version: { type: "integer" },
          status: { type: "string" },
          error: { type: ["object", "null"], description: "The stable `code` and `stepId` only.", properties: { code: { type: "string" }, stepId: { type: ["string", "null"] } } },
          startedAt: { type: "string", format: "date-time" },
          finishedAt: { type: ["string", "null"], format: "date-time" },
          resumeAt: { type: ["string", "null"], format: "date-time" },
          steps: {
            type: "array",
            items: {
              type: "object",
              properties: {
                stepId: { type: "string" },
                name: { type: ["string", "null"] },
                type: { type: "string" },
                status: { enum: ["succeeded", "failed"] },
                attempt: { type: "integer" },
                errorCode: { type: ["string", "null"] },
                startedAt: { type: "string", format: "date-time" },
                durationMs: { type: "number" },
              },
            },
          },
        },
      },
      WorkflowRunWithSteps: {
        title: "Workflow run with its steps",
        allOf: [
          run,
          {
            type: "object",
            properties: {
              steps: {
                type: "array",
                description: "Every attempt of every step, in order: `stepId`, `pointer`, `type`, `recordId`, `attempt`, `status` (`succeeded` or `failed`), `input`, `output`, `error`, `startedAt`, `durationMs`.",
                items: { type: "object" },
              },
            },
          },
        ],
      },
    },
    paths: {
      "/api/admin/workflows/{id}/dry-run": {
        post: admin("workflowDryRun", "Dry-run a workflow on a record", {
          description:
            "Runs the current version (or `version`, or an unsaved `definition` with this id) on a live record through the real engine, in a transaction that is rolled back: nothing stays (no run, history, record change, notification, email, approval, job or outbox row); HTTP calls are recorded, not sent (answered 200 `{}`); plugin code is not run. Waits and approvals report where the run would pause.",
          parameters: [workflowId],
          requestBody: {
            required: true,
            content: json({
              type: "object",
              required: ["recordId"],
              additionalProperties: false,
              properties: {
                recordId: { type: "string", format: "uuid", description: "A record of the workflow's entity, as its identity can read it." },
                version: { type: "integer", minimum: 1, description: "A stored version (default: the current one)." },
                definition: { type: "object", description: "An unsaved definition to try instead (its `id` is the path's); not with `version`." },
                inputs: { type: "object", description: "Trigger inputs (manual triggers), kept on the run's trigger as `inputs`." },
              },
            }),
          },
          responses: { "200": { description: "What the run would do, step by step.", content: json(ref("schemas", "WorkflowDryRun")) }, ...errorResponses(400, 404, 415, 422, 500) },
        }),
      },
      "/api/records/{entity}/{id}/workflow-runs": {
        get: {
          operationId: "listRecordWorkflowRuns",
          summary: "Workflow runs about a record",
          description: "For callers who may read the record (404 otherwise, as for the record): each run's status and its steps' outcomes, without step data (inputs, outputs, trigger, error messages), which may hold fields the caller cannot read.",
          tags: [TAG],
          parameters: [
            { name: "entity", in: "path", required: true, schema: { type: "string" } },
            { name: "id", in: "path", required: true, schema: { type: "string", format: "uuid" } },
            { name: "limit", in: "query", schema: { type: "integer", minimum: 1, maximum: 100, default: 20 } },
          ],
          responses: { "200": { description: "Newest first.", content: items(ref("schemas", "RecordWorkflowRun")) }, ...errorResponses(400, 401, 403, 404, 500) },
        },
      },
      "/api/workflows/manual": {
        get: {
          operationId: "workflowManualList",
          summary: "Manual workflows of an entity",
          description: "The enabled workflows with a `manual` trigger on this entity, for a user who may read its records (none otherwise): the buttons of a record page or a list selection, with the inputs each asks for.",
          tags: [TAG],
          parameters: [{ name: "entity", in: "query", required: true, description: "Entity key.", schema: { type: "string" } }],
          responses: {
            "200": {
              description: "The buttons.",
              content: items({
                type: "object",
                required: ["id", "name", "entity", "selection", "inputs"],
                properties: { id: { type: "string" }, name: { type: "string" }, description: { type: ["string", "null"] }, entity: { type: "string" }, selection: { enum: ["one", "many"] }, inputs: { type: "array", items: input } },
              }),
            },
            ...errorResponses(400, 500),
          },
        },
      },
      "/api/workflows/{id}/runs": {
        post: {
          operationId: "workflowManualStart",
          summary: "Run a manual workflow on records",
          description:
            "Starts one run per record (one id, or up to 200 when the trigger's `selection` is `many`), acting as the workflow's identity; the caller must be able to read every record (checked in the database, else 404 with a pointer per missing id). `inputs` are checked against the trigger's declared inputs (422 with pointers) and read as `$key` in the workflow's expressions. With `Idempotency-Key`, a repeated request answers the runs the first one started.",
          tags: [TAG],
          parameters: [workflowId, { name: "Idempotency-Key", in: "header", description: "1 to 200 visible ASCII characters.", schema: { type: "string", maxLength: 200 } }],
          requestBody: {
            required: true,
            content: json({ type: "object", required: ["recordIds"], properties: { recordIds: { type: "array", items: { type: "string", format: "uuid" }, minItems: 1, maxItems: 200 }, inputs: { type: "object" } } }),
          },
          responses: {
            "202": {
              description: "Queued: one run per record.",
              content: json({ type: "object", required: ["runs"], properties: { runs: { type: "array", items: { type: "object", properties: { id: { type: "string", format: "uuid" }, recordId: { type: "string", format: "uuid" } } } } } }),
            },
            ...errorResponses(400, 404, 415, 422, 500),
            "409": problem("`WORKFLOW_NOT_STARTABLE`: the workflow is disabled or not started by hand."),
          },
        },
      },
      "/api/workflows/{id}/webhook": {
        post: {
          operationId: "workflowWebhookReceive",
          summary: "Inbound webhook of a workflow",
          description:
            "Public: the signature authenticates the sender. `x-crm-signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of \"<t>.<raw body>\">` with the workflow's secret (`POST /api/admin/workflows/{id}/webhook-secret`), the timestamp at most 300 seconds off; `x-crm-delivery` names the delivery, and a replay of it answers the run it started (200) instead of starting another. The JSON payload is `$payload` to the run's expressions, its declared inputs `$key`; `recordIdFrom` points at the record id.",
          tags: [TAG],
          security: PUBLIC,
          parameters: [
            workflowId,
            { name: "x-crm-signature", in: "header", required: true, schema: { type: "string" } },
            { name: "x-crm-delivery", in: "header", required: true, schema: { type: "string", pattern: "^[A-Za-z0-9._:-]{1,200}$" } },
          ],
          requestBody: { required: true, content: json({ description: "Any JSON, at most 256 KiB." }) },
          responses: {
            "202": { description: "The run was started.", content: json({ type: "object", properties: { runId: { type: "string", format: "uuid" }, duplicate: { const: false } } }) },
            "200": { description: "A replay: the run this delivery id started before.", content: json({ type: "object", properties: { runId: { type: "string", format: "uuid" }, duplicate: { const: true } } }) },
            "401": problem("`WEBHOOK_SIGNATURE_INVALID`: the signature is missing, wrong, or its timestamp is stale."),
            "409": problem("`WORKFLOW_NOT_STARTABLE`: the workflow is disabled or not started by a webhook."),
            "413": problem("`PAYLOAD_TOO_LARGE`: more than 256 KiB."),
            ...errorResponses(400, 404, 422, 500),
          },
        },
      },
      "/api/admin/workflows/{id}/webhook-secret": {
        post: admin("workflowWebhookSecret", "Set a new webhook secret", {
          description: "A new random secret for a webhook-triggered workflow (the previous one stops working at once), shown only in this answer.",
          parameters: [workflowId],
          responses: { "200": { description: "The secret and the path to send deliveries to.", content: json({ type: "object", required: ["secret", "url"], properties: { secret: { type: "string" }, url: { type: "string" } } }) }, ...errorResponses(404, 409, 500) },
        }),
      },
      "/api/admin/workflows": {
        get: admin("workflowList", "List workflows", { responses: { "200": { description: "Every workflow at its current version.", content: items(workflow) }, ...errorResponses(500) } }),
        post: admin("workflowCreate", "Create a workflow", {
          requestBody: definitionBody,
          responses: {
            "201": { description: "Version 1, validated against the entity definitions.", headers: { Location: ref("headers", "Location") }, content: json(workflow) },
            ...errorResponses(400, 409, 415, 422, 500),
          },
        }),
      },
      "/api/admin/workflows/{id}": {
        get: admin("workflowGet", "Get a workflow", { parameters: [workflowId], responses: { "200": { description: "The current version.", content: json(workflow) }, ...errorResponses(404, 500) } }),
        put: admin("workflowUpdate", "Save a new version", {
          parameters: [workflowId],
          requestBody: definitionBody,
          responses: { "200": { description: "The new version; runs in flight finish on theirs.", content: json(workflow) }, ...errorResponses(400, 404, 415, 422, 500) },
        }),
      },
      "/api/admin/workflows/{id}/enable": {
        post: admin("workflowEnable", "Enable a workflow", { parameters: [workflowId], responses: { "200": { description: "Enabled: record changes start runs.", content: json(workflow) }, ...errorResponses(404, 500) } }),
      },
      "/api/admin/workflows/{id}/disable": {
        post: admin("workflowDisable", "Disable a workflow", { parameters: [workflowId], responses: { "200": { description: "Disabled: no new runs; runs in flight go on.", content: json(workflow) }, ...errorResponses(404, 500) } }),
      },
      "/api/admin/workflows/{id}/versions/{version}": {
        get: admin("workflowGetVersion", "Get one version", {
          parameters: [workflowId, path("version", "The version number.", { type: "integer", minimum: 1 })],
          responses: { "200": { description: "The definition of that version.", content: json({ type: "object" }) }, ...errorResponses(400, 404, 422, 500) },
        }),
      },
      "/api/admin/workflows/{id}/runs": {
        get: admin("workflowListRuns", "Runs of a workflow", { parameters: [workflowId, ...listParameters], responses: { "200": { description: "Newest first.", content: items(run) }, ...errorResponses(400, 404, 500) } }),
      },
      "/api/admin/workflow-runs": {
        get: admin("workflowRunList", "Runs, by record", {
          parameters: [
            { name: "entity", in: "query", description: "Entity key of the record.", schema: { type: "string" } },
            { name: "recordId", in: "query", description: "Runs about this record.", schema: { type: "string", format: "uuid" } },
            ...listParameters,
          ],
          responses: { "200": { description: "Newest first.", content: items(run) }, ...errorResponses(400, 500) },
        }),
      },
      "/api/admin/workflow-runs/{runId}": {
        get: admin("workflowRunGet", "One run with its steps", { parameters: [runId], responses: { "200": { description: "The run and every step attempt.", content: json(runWithSteps) }, ...errorResponses(404, 500) } }),
      },
      "/api/admin/workflow-runs/{runId}/retry": {
        post: admin("workflowRunRetry", "Retry a failed run", {
          parameters: [runId],
          responses: { "200": { description: "Queued again at the step that failed.", content: json(runWithSteps) }, ...errorResponses(404, 409, 500) },
        }),
      },
      "/api/admin/workflow-runs/{runId}/cancel": {
        post: admin("workflowRunCancel", "Cancel a run", {
          parameters: [runId],
          responses: { "200": { description: "Cancelled before its next step; its pending approval requests are withdrawn (`cancelled`).", content: json(runWithSteps) }, ...errorResponses(404, 409, 500) },
        }),
      },
    },
  };
}
