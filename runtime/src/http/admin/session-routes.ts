import { Hono } from "hono";
import { recordAdminAudit } from "../../auth/admin-audit.ts";
import { SessionNotFound } from "../../auth/auth-errors.ts";
import { UUID } from "../../auth/read-input.ts";
import { listSessions, revokeSession } from "../../auth/session-store.ts";
import type { Database } from "../../db/database.ts";
import { BadRequest } from "../../errors.ts";
import { actor } from "./admin-context.ts";

/** `/api/admin/sessions`: live sessions (optionally `?userId=`), and revoking one. */
export function sessionRoutes(db: Database) {
  const app = new Hono();

  app.get("/", async (c) => {
    const userId = c.req.query("userId");
    if (userId !== undefined && !UUID.test(userId)) throw BadRequest("The query has problems; see issues.", { issues: [{ code: "INVALID_ID", pointer: "/userId", message: "Expected a user id (UUID)." }] });
    return c.json({ items: await listSessions(db, { userId, limit: 500 }) });
  });

  app.delete("/:id", async (c) => {
    const id = c.req.param("id");
    const userId = /^[0-9a-f]{64}$/.test(id)
      ? await db.transaction(async (tx) => {
          const owner = await revokeSession(tx, id);
          if (owner) await recordAdminAudit(tx, actor(c), "session_revoked", owner, { sessionId: id });
          return owner;
        })
      : undefined;
    if (!userId) throw SessionNotFound(`There is no live session with id "${id.slice(0, 100)}".`);
    return c.body(null, 204);
  });

  return app;
}
