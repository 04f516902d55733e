import { Hono } from "hono";
import { ADMIN_AUDIT_ACTIONS, listAdminAudit } from "../../auth/admin-audit.ts";
import { UUID } from "../../auth/read-input.ts";
import type { Database } from "../../db/database.ts";
import { BadRequest } from "../../errors.ts";

/** `/api/admin/audit`: the admin audit log, latest first; `?action=`, `?user=` (actor or subject), `?before=<id>`, `?limit=`. */
export function auditRoutes(db: Database) {
  const app = new Hono();

  app.get("/", async (c) => {
    const { action, user, before, limit = "100" } = c.req.query();
    const issues = [];
    if (action !== undefined && !(ADMIN_AUDIT_ACTIONS as readonly string[]).includes(action)) issues.push({ code: "INVALID_VALUE", pointer: "/action", message: `Expected one of ${ADMIN_AUDIT_ACTIONS.join(", ")}.` });
    if (user !== undefined && !UUID.test(user)) issues.push({ code: "INVALID_ID", pointer: "/user", message: "Expected a user id (UUID)." });
    const beforeId = before === undefined ? undefined : Number(before);
    if (beforeId !== undefined && (!Number.isSafeInteger(beforeId) || beforeId < 1)) issues.push({ code: "INVALID_VALUE", pointer: "/before", message: "Expected an entry id." });
    const max = Number(limit);
    if (!Number.isSafeInteger(max) || max < 1 || max > 500) issues.push({ code: "INVALID_VALUE", pointer: "/limit", message: "Expected an integer from 1 to 500." });
    if (issues.length) throw BadRequest("The query has problems; see issues.", { issues });
    const items = await listAdminAudit(db, { action, user, before: beforeId, limit: max });
    return c.json({ items, ...(items.length === max ? { next: `/api/admin/audit?${new URLSearchParams({ ...c.req.query(), before: String(items.at(-1)!.id) })}` } : {}) });
  });

  return app;
}
