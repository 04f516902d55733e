import { isUuid, type Issue } from "@crm/core";
import { Hono, type Context } from "hono";
import { requireAdmin } from "../auth/guards.ts";
import type { Database } from "../db/database.ts";
import { BadRequest } from "../errors.ts";
import { RUN_STATUSES, type RunStatus } from "../workflows/run-row.ts";
import { RunNotFound } from "../workflows/workflow-errors.ts";
import type { Workflows } from "../workflows/create-workflows.ts";
import type { DryRun } from "../workflows/dry-run.ts";
import { readJson } from "./read-json.ts";
import { actor } from "./admin/admin-context.ts";

const userOf = (c: Context): string | null => {
  const principal = c.get("principal");
  return principal.kind === "anonymous" ? null : principal.userId;
};

/** `?status=&limit=&before=` of run lists, or a 400 naming each bad parameter. */
function runQuery(c: Context): { status?: RunStatus; limit: number; before?: string } {
  const issues: Issue[] = [];
  const status = c.req.query("status");
  if (status !== undefined && !(RUN_STATUSES as readonly string[]).includes(status)) issues.push({ code: "INVALID_VALUE", pointer: "/status", message: `Expected one of ${RUN_STATUSES.join(", ")}.` });
  const limit = Number(c.req.query("limit") ?? 50);
  if (!Number.isSafeInteger(limit) || limit < 1 || limit > 500) issues.push({ code: "INVALID_VALUE", pointer: "/limit", message: "Expected an integer from 1 to 500." });
  const before = c.req.query("before");
  if (before !== undefined && Number.isNaN(Date.parse(before))) issues.push({ code: "INVALID_VALUE", pointer: "/before", message: "Expected a date-time (a run's startedAt)." });
  if (issues.length) throw BadRequest("The query has problems; see issues.", { issues });
  return { limit, ...(status ? { status: status as RunStatus } : {}), ...(before ? { before } : {}) };
}

function runId(c: Context): string {
  const id = c.req.param("runId") ?? "";
  if (!isUuid(id)) throw RunNotFound(`There is no workflow run with id "${id.slice(0, 64)}".`);
  return id;
}

/**
 * Mounted at `/api/admin`, administrators only: `/workflows` (create, new versions, enable, disable,
 * list, get, a version, runs, a dry run) and `/workflow-runs` (history by record, one run with its steps,
 * retry, cancel).
 */
export function workflowRoutes(deps: { db: Database; workflows: Workflows; dryRun?: DryRun | undefined }) {
  const { store, runs } = deps.workflows;
  const app = new Hono();
  app.use("/workflows/*", requireAdmin(deps.db));
  app.use("/workflows", requireAdmin(deps.db));
  app.use("/workflow-runs/*", requireAdmin(deps.db));
  app.use("/workflow-runs", requireAdmin(deps.db));

  app.get("/workflows", async (c) => c.json({ items: await store.list() }));
  app.post("/workflows", async (c) => {
    const created = await store.create(await readJson(c), userOf(c), actor(c));
    c.header("location", `/api/admin/workflows/${created.id}`);
    return c.json(created, 201);
  });
  app.get("/workflows/:id", async (c) => c.json(await store.get(c.req.param("id"))));
  app.put("/workflows/:id", async (c) => c.json(await store.update(c.req.param("id"), await readJson(c), userOf(c), actor(c))));
  app.post("/workflows/:id/enable", async (c) => c.json(await store.setEnabled(c.req.param("id"), true, actor(c))));
  app.post("/workflows/:id/disable", async (c) => c.json(await store.setEnabled(c.req.param("id"), false, actor(c))));
  app.get("/workflows/:id/versions/:version", async (c) => {
    const version = Number(c.req.param("version"));
    if (!Number.isSafeInteger(version) || version < 1) throw BadRequest("version must be a positive integer.", { issues: [{ code: "INVALID_VALUE", pointer: "/version", message: "Expected a positive integer." }] });
    return c.json((await store.version(c.req.param("id"), version)).compiled.definition);
  });
  const dryRun = deps.dryRun;
  if (dryRun) app.post("/workflows/:id/dry-run", async (c) => c.json(await dryRun(c.req.param("id"), await readJson(c), userOf(c))));
  app.post("/workflows/:id/webhook-secret", async (c) => c.json(await deps.workflows.webhooks.rotateSecret(c.req.param("id"), actor(c))));
  app.get("/workflows/:id/runs", async (c) => {
    const id = (await store.get(c.req.param("id"))).id;
    return c.json({ items: await runs.list({ ...runQuery(c), workflowId: id }) });
  });

  app.get("/workflow-runs", async (c) => {
    const entity = c.req.query("entity");
    const recordId = c.req.query("recordId");
    if (recordId !== undefined && !isUuid(recordId)) throw BadRequest("recordId must be a record id (UUID).", { issues: [{ code: "INVALID_VALUE", pointer: "/recordId", message: "Expected a UUID." }] });
    return c.json({ items: await runs.list({ ...runQuery(c), ...(entity ? { entity } : {}), ...(recordId ? { recordId } : {}) }) });
  });
  app.get("/workflow-runs/:runId", async (c) => c.json(await runs.get(runId(c))));
  app.post("/workflow-runs/:runId/retry", async (c) => c.json(await runs.retry(runId(c), actor(c))));
  app.post("/workflow-runs/:runId/cancel", async (c) => c.json(await runs.cancel(runId(c), actor(c))));
  return app;
}
