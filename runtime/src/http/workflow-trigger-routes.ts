import { Hono, type Context } from "hono";
import { BadRequest } from "../errors.ts";
import type { Caller } from "../services/caller.ts";
import type { Workflows } from "../workflows/create-workflows.ts";
import { readJson } from "./read-json.ts";

/**
 * Mounted at `/api`: the manual workflows a user may start on an entity's records
 * (`GET /workflows/manual?entity=`), starting one on records (`POST /workflows/{id}/runs`), and the
 * public inbound webhook of a webhook-triggered workflow (`POST /workflows/{id}/webhook`, no sign-in:
 * its signature authenticates it).
 */
export function workflowTriggerRoutes(deps: { workflows: Workflows; callerOf: (c: Context) => Promise<Caller> }) {
  const { manual, webhooks } = deps.workflows;
  const app = new Hono();

  app.get("/workflows/manual", async (c) => {
    const caller = await deps.callerOf(c);
    const entity = c.req.query("entity");
    if (!entity) throw BadRequest("Say which entity's manual workflows to list: ?entity=<key>.", { issues: [{ code: "REQUIRED", pointer: "/entity", message: "entity is required." }] });
    c.header("cache-control", "no-store");
    return c.json({ items: await manual.list(entity, caller) });
  });

  app.post("/workflows/:id/runs", async (c) => {
    const caller = await deps.callerOf(c);
    const key = c.req.header("idempotency-key");
    if (key !== undefined && !/^[\x21-\x7e]{1,200}$/.test(key)) throw BadRequest("An Idempotency-Key is 1 to 200 visible ASCII characters.", { issues: [{ code: "INVALID_VALUE", pointer: "/headers/idempotency-key", message: "Expected 1 to 200 visible ASCII characters." }] });
    return c.json(await manual.start(c.req.param("id"), await readJson(c), caller, key), 202);
  });

  app.post("/workflows/:id/webhook", async (c) => {
    const started = await webhooks.receive(c.req.param("id"), { body: await c.req.text(), signature: c.req.header("x-crm-signature"), deliveryId: c.req.header("x-crm-delivery") });
    return c.json(started, started.duplicate ? 200 : 202);
  });

  return app;
}
