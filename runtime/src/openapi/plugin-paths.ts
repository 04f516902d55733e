import type { OpenApiExtension } from "./create-openapi-document.ts";
import { adminOnly } from "./security.ts";
import { errorResponses, RECORD_WRITE_INVALID } from "./shared-components.ts";
import { ref, type Operation, type SchemaObject } from "./types.ts";

const TAG = "Plugins";
const json = (schema: SchemaObject) => ({ "application/json": { schema } });
const path = (name: string, description: string, format?: string) => ({ name, in: "path", required: true, description, schema: { type: "string", ...(format ? { format } : {}) } });
const pluginId = path("id", "The plugin's id, e.g. `lead-scoring`.");
const plugin = ref("schemas", "Plugin");

function admin(operationId: string, summary: string, rest: Omit<Operation, "operationId" | "summary" | "tags">): Operation {
  return { operationId, summary, tags: [TAG], ...rest, responses: { ...rest.responses, ...adminOnly() } };
}

const answer = (description: string) => ({ "200": { description, content: json(plugin) } });

/**
 * The plugin administration API (`/api/admin/plugins`) and record actions, which run on any entity
 * a plugin names (so they are documented once, with the entity as a parameter). See
 * runtime/src/plugins/README.md for the hook and action contracts.
 */
export function pluginExtension(): OpenApiExtension {
  const actionParameters = [path("entity", "Entity key of the records."), path("pluginId", "The plugin's id."), path("action", "The action's name in the plugin's manifest.")];
  const actionAnswer = {
    "200": {
      description: "The plugin's message and the records its changes updated (written as the caller, acting as the plugin).",
      content: json({ type: "object", required: ["message", "updated"], properties: { message: { type: ["string", "null"] }, updated: { type: "array", items: { type: "object" } } } }),
    },
    ...errorResponses(400, 401, 403, 404, 500, 503),
    // The action's own failure (PLUGIN_FAILED), or its changes refused as a write would be.
    "422": RECORD_WRITE_INVALID,
  };
  return {
    tags: [{ name: TAG, description: "Sandboxed plugins: install, upgrade, roll back, enable, configure; their invocations; record actions." }],
    schemas: {
      Plugin: {
        title: "Plugin",
        type: "object",
        required: ["id", "version", "activeVersion", "enabled", "disabledReason", "settings", "manifest", "versions"],
        properties: {
          id: { type: "string" },
          version: { type: "string", description: "The active version (same as `activeVersion`)." },
          activeVersion: { type: "string" },
          enabled: { type: "boolean" },
          disabledReason: { type: ["string", "null"], description: "Why it is disabled: an administrator's reason or the circuit breaker's." },
          settings: { type: "object" },
          manifest: { type: "object", description: "The active version's plugin.json (plugin-manifest.schema.json)." },
          versions: { type: "array", items: { type: "object", properties: { version: { type: "string" }, installedAt: { type: "string", format: "date-time" }, installedBy: { type: ["string", "null"], format: "uuid" } } } },
        },
      },
      PluginInvocation: {
        title: "Plugin invocation",
        type: "object",
        properties: {
          id: { type: "integer" },
          version: { type: "string" },
          kind: { enum: ["hook", "action", "schedule"] },
          name: { type: "string" },
          entity: { type: ["string", "null"] },
          recordIds: { type: "array", items: { type: "string" } },
          userId: { type: ["string", "null"], format: "uuid" },
          outcome: { enum: ["ok", "error", "budget_exceeded", "timeout", "memory", "crashed", "disabled"] },
          error: { type: ["object", "null"] },
          durationMs: { type: "number" },
          cpuMs: { type: "number" },
          usage: { type: "object" },
          logs: { type: "array", items: { type: "object" } },
          at: { type: "string", format: "date-time" },
        },
      },
    },
    paths: {
      "/api/admin/plugins": {
        get: admin("pluginList", "List plugins", { responses: { "200": { description: "Every installed plugin.", content: json({ type: "object", properties: { items: { type: "array", items: plugin } } }) }, ...errorResponses(500) } }),
        post: admin("pluginInstall", "Install or upgrade a plugin", {
          description: "A higher version of an installed plugin upgrades it (earlier versions stay stored for rollback); the same or a lower version is 409. A bundle that does not load is 422 and changes nothing.",
          requestBody: { required: true, content: json({ type: "object", required: ["manifest", "code"], properties: { manifest: { type: "object" }, code: { type: "string", description: "The bundled plugin, one script." } } }) },
          responses: { "201": { description: "Installed and running, with no restart.", content: json(plugin) }, ...errorResponses(400, 409, 415, 422, 500) },
        }),
      },
      "/api/admin/plugins/{id}": {
        get: admin("pluginGet", "Get a plugin", { parameters: [pluginId], responses: { ...answer("The plugin, its versions and settings."), ...errorResponses(404, 500) } }),
        delete: admin("pluginUninstall", "Uninstall a plugin", { parameters: [pluginId], responses: { "204": { description: "Uninstalled, every version removed." }, ...errorResponses(404, 500) } }),
      },
      "/api/admin/plugins/{id}/rollback": {
        post: admin("pluginRollback", "Roll back to the previous version", {
          description: "The newest stored version below the active one becomes active. Its settings schema must accept the settings: those sent (stored with the rollback), else the stored ones; otherwise 422 PLUGIN_SETTINGS_INVALID with pointers under /settings, and nothing changes.",
          parameters: [pluginId],
          requestBody: { required: false, content: json({ type: "object", properties: { settings: { type: "object", description: "Settings for the earlier version, checked against its settings schema." } }, additionalProperties: false }) },
          responses: { ...answer("The previous stored version is active."), ...errorResponses(400, 404, 409, 415, 422, 500) },
        }),
      },
      "/api/admin/plugins/{id}/enable": {
        post: admin("pluginEnable", "Enable a plugin", { parameters: [pluginId], responses: { ...answer("Enabled; its circuit breaker is closed."), ...errorResponses(404, 500) } }),
      },
      "/api/admin/plugins/{id}/disable": {
        post: admin("pluginDisable", "Disable a plugin", {
          parameters: [pluginId],
          requestBody: { required: false, content: json({ type: "object", properties: { reason: { type: "string", maxLength: 500 } } }) },
          responses: { ...answer("Disabled with the reason given."), ...errorResponses(400, 404, 415, 500) },
        }),
      },
      "/api/admin/plugins/{id}/settings": {
        put: admin("pluginConfigure", "Change a plugin's settings", {
          parameters: [pluginId],
          requestBody: { required: true, content: json({ type: "object", description: "Validated against the manifest's settings schema." }) },
          responses: { ...answer("The new settings are in effect."), ...errorResponses(400, 404, 415, 422, 500) },
        }),
      },
      "/api/admin/plugins/{id}/schedules/{name}/run": {
        post: admin("pluginRunSchedule", "Run a scheduled job now", {
          parameters: [pluginId, path("name", "The schedule's name in the manifest.")],
          responses: { "200": { description: "How the job ended (a failure is reported here, not as a problem).", content: json({ type: "object", properties: { outcome: { type: "string" }, value: {}, error: { type: "object" } } }) }, ...errorResponses(404, 500) },
        }),
      },
      "/api/admin/plugins/{id}/invocations": {
        get: admin("pluginInvocations", "Invocation log", {
          parameters: [pluginId, { name: "limit", in: "query", schema: { type: "integer", minimum: 1, maximum: 500, default: 50 } }],
          responses: { "200": { description: "Newest first.", content: json({ type: "object", properties: { items: { type: "array", items: ref("schemas", "PluginInvocation") } } }) }, ...errorResponses(400, 404, 500) },
        }),
      },
      "/api/records/{entity}/actions/{pluginId}/{action}": {
        post: {
          operationId: "pluginActionOnSelection",
          summary: "Run a plugin's action on selected records",
          tags: [TAG],
          parameters: actionParameters,
          requestBody: { required: true, content: json({ type: "object", required: ["ids"], properties: { ids: { type: "array", minItems: 1, maxItems: 100, items: { type: "string", format: "uuid" } } } }) },
          responses: actionAnswer,
        },
      },
      "/api/records/{entity}/{id}/actions": {
        get: {
          operationId: "pluginActionsOfRecord",
          summary: "The plugin actions a record offers",
          description: "Enabled plugins' actions on one record of this entity (`selection: one`), for a caller who may read the record: what a record page shows as buttons.",
          tags: [TAG],
          parameters: [actionParameters[0]!, path("id", "The record's id.", "uuid")],
          responses: {
            "200": {
              description: "In plugin order.",
              content: json({
                type: "object",
                required: ["items"],
                properties: { items: { type: "array", items: { type: "object", required: ["pluginId", "name", "label"], properties: { pluginId: { type: "string" }, name: { type: "string" }, label: { type: "object", description: "By locale, e.g. `{ \"en\": \"Grade now\" }`." } } } } },
              }),
            },
            ...errorResponses(400, 401, 404, 500),
          },
        },
      },
      "/api/records/{entity}/{id}/actions/{pluginId}/{action}": {
        post: {
          operationId: "pluginActionOnRecord",
          summary: "Run a plugin's action on one record",
          tags: [TAG],
          parameters: [actionParameters[0]!, path("id", "The record's id.", "uuid"), actionParameters[1]!, actionParameters[2]!],
          responses: actionAnswer,
        },
      },
    },
  };
}
