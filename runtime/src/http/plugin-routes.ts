import { Hono, type Context } from "hono";
import { requireAdmin } from "../auth/guards.ts";
import type { Database } from "../db/database.ts";
import { BadRequest } from "../errors.ts";
import type { Plugins } from "../plugins/create-plugins.ts";
import { runRecordAction } from "../plugins/run-record-action.ts";
import type { Caller } from "../services/caller.ts";
import type { RecordReads } from "../services/record-reads.ts";
import type { RecordWrites } from "../services/record-writes.ts";
import { checkEnvelope, readJson, readOptionalObject } from "./read-json.ts";

const userOf = (c: Context): string | null => {
  const principal = c.get("principal");
  return principal.kind === "anonymous" ? null : principal.userId;
};

/** `/api/admin/plugins`: install, upgrade, roll back, enable, disable, configure and uninstall plugins; administrators only. */
export function pluginAdminRoutes(deps: { db: Database; plugins: Plugins; callerOf: (c: Context) => Promise<Caller> }) {
  const { plugins } = deps;
  const app = new Hono();
  app.use(requireAdmin(deps.db));
  app.get("/", async (c) => c.json({ items: await plugins.list() }));
  app.post("/", async (c) => c.json(await plugins.install(await readJson(c), userOf(c)), 201));
  app.get("/:id", async (c) => c.json(await plugins.get(c.req.param("id"))));
  app.delete("/:id", async (c) => {
    await plugins.uninstall(c.req.param("id"));
    return c.body(null, 204);
  });
  app.post("/:id/rollback", async (c) => {
    const body = await readOptionalObject(c);
    checkEnvelope(body, { settings: ["object", false] });
    return c.json(await plugins.rollback(c.req.param("id"), body.settings));
  });
  app.post("/:id/enable", async (c) => c.json(await plugins.setEnabled(c.req.param("id"), true)));
  app.post("/:id/disable", async (c) => {
    const body = await readOptionalObject(c);
    const reason = typeof body.reason === "string" && body.reason.trim() ? body.reason.slice(0, 500) : undefined;
    return c.json(await plugins.setEnabled(c.req.param("id"), false, reason));
  });
  app.put("/:id/settings", async (c) => c.json(await plugins.setSettings(c.req.param("id"), await readJson(c))));
  // Run a scheduled job now, as the calling administrator (for testing a schedule on a live server).
  app.post("/:id/schedules/:name/run", async (c) => c.json(await plugins.runSchedule(c.req.param("id"), c.req.param("name"), await deps.callerOf(c))));
  app.get("/:id/invocations", async (c) => {
    const limit = Number(c.req.query("limit") ?? 50);
    if (!Number.isSafeInteger(limit) || limit < 1 || limit > 500) throw BadRequest("limit must be an integer from 1 to 500.", { issues: [{ code: "INVALID_VALUE", pointer: "/limit", message: "Expected an integer from 1 to 500." }] });
    await plugins.get(c.req.param("id"));
    return c.json({ items: await plugins.invocations(c.req.param("id"), limit) });
  });
  return app;
}

/**
 * `/api/records/{entity}[/{id}]/actions/{pluginId}/{action}`: run a plugin's record action. Actions
 * come from plugins, not from entity definitions, so the OpenAPI document lists these routes once,
 * with the entity key as a parameter (`:entityKey`, not the per-entity `:entity`).
 * `GET /api/records/{entity}/{id}/actions` lists the enabled plugins' actions on one such record
 * (what a record page shows as buttons), for a caller who may read it.
 */
export function pluginActionRoutes(deps: { plugins: Plugins; reads: RecordReads; writes: RecordWrites; callerOf: (c: Context) => Promise<Caller> }) {
  const app = new Hono();
  const answer = ({ message, updated }: Awaited<ReturnType<typeof runRecordAction>>) => ({ message, updated });
  app.post("/:entityKey/actions/:pluginId/:action", async (c) => {
    const caller = await deps.callerOf(c);
    const body = (await readJson(c)) as { ids?: unknown } | null;
    return c.json(answer(await runRecordAction(deps, { entity: c.req.param("entityKey"), pluginId: c.req.param("pluginId"), action: c.req.param("action"), ids: body?.ids, selection: "many", caller })));
  });
  app.get("/:entityKey/:id/actions", async (c) => {
    const entity = c.req.param("entityKey");
    await deps.reads.authorizeHistory(entity, c.req.param("id"), await deps.callerOf(c));
    const items = deps.plugins
      .all()
      .filter((plugin) => plugin.enabled)
      .flatMap((plugin) => (plugin.manifest.actions ?? []).filter((a) => a.entity === entity && a.selection === "one").map((a) => ({ pluginId: plugin.id, name: a.name, label: a.label })));
    c.header("cache-control", "no-store");
    return c.json({ items });
  });
  app.post("/:entityKey/:id/actions/:pluginId/:action", async (c) => {
    const caller = await deps.callerOf(c);
    return c.json(answer(await runRecordAction(deps, { entity: c.req.param("entityKey"), pluginId: c.req.param("pluginId"), action: c.req.param("action"), ids: [c.req.param("id")], selection: "one", caller })));
  });
  return app;
}
