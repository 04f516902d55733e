import { Hono, type Context } from "hono";
import type { Database } from "../db/database.ts";
import { isUuid } from "@crm/core";
import { BadRequest, RecordNotFound } from "../errors.ts";
import type { Caller } from "../services/caller.ts";
import type { RecordReads } from "../services/record-reads.ts";
import { listRecordRuns } from "../workflows/record-runs.ts";
import type { WorkflowStore } from "../workflows/workflow-store.ts";

/**
 * Mounted at `/api/records`: `GET /{entity}/{id}/workflow-runs`, the workflow runs about a record for
 * anyone who may read it (the read scope is checked in SQL; a record outside it is 404, as on a
 * read), with each step's status but none of its data (see `RecordRunView`). For the record page.
 */
export function recordRunRoutes(deps: { db: Database; store: WorkflowStore; reads: RecordReads; callerOf: (c: Context) => Promise<Caller> }) {
  const app = new Hono();
  app.get("/:entityKey/:id/workflow-runs", async (c) => {
    const entity = c.req.param("entityKey");
    const id = c.req.param("id");
    const limit = Number(c.req.query("limit") ?? 20);
    if (!Number.isSafeInteger(limit) || limit < 1 || limit > 100) throw BadRequest("limit must be an integer from 1 to 100.", { issues: [{ code: "INVALID_VALUE", pointer: "/query/limit", message: "Expected 1 to 100." }] });
    const caller = await deps.callerOf(c);
    if (!isUuid(id)) throw RecordNotFound(`There is no ${entity.slice(0, 64)} record with id "${id.slice(0, 64)}".`);
    await deps.reads.authorizeHistory(entity, id, caller);
    c.header("cache-control", "no-store");
    return c.json({ items: await listRecordRuns(deps.db, deps.store, { entity, id: id.toLowerCase() }, limit) });
  });
  return app;
}
