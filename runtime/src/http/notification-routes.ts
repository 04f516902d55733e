import { Hono } from "hono";
import { isUuid } from "@crm/core";
import type { Database } from "../db/database.ts";
import { requireAdmin, requireUser } from "../auth/guards.ts";
import { BadRequest, NotFound } from "../errors.ts";
import type { Notifications } from "../notifications/create-notifications.ts";

const MAX_LIMIT = 100;

function decodeCursor(raw: string | undefined): { createdAt: string; id: string } | undefined {
  if (raw === undefined) return undefined;
  try {
    const value = JSON.parse(Buffer.from(raw, "base64url").toString("utf8")) as { t?: unknown; i?: unknown };
    if (typeof value.t === "string" && !Number.isNaN(Date.parse(value.t)) && typeof value.i === "string" && isUuid(value.i)) return { createdAt: value.t, id: value.i };
  } catch {
    // reported below
  }
  throw BadRequest("The cursor is not one this API gave out.", { issues: [{ code: "INVALID_CURSOR", pointer: "/query/cursor", message: "Pass back `nextCursor` unchanged." }] });
}

function parseLimit(raw: string | undefined): number {
  if (raw === undefined) return 20;
  const limit = Number(raw);
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) {
    throw BadRequest(`limit must be an integer from 1 to ${MAX_LIMIT}.`, { issues: [{ code: "INVALID_LIMIT", pointer: "/query/limit", message: `Expected 1 to ${MAX_LIMIT}.` }] });
  }
  return limit;
}

/**
 * Mounted at `/api`: the caller's in-app notifications (`/me/notifications`, newest first, with the
 * unread count; mark one or all read) and, for administrators, the email outbox (`/admin/emails`: what
 * was sent, is pending, failed, or was only recorded in development mode).
 */
export function notificationRoutes(deps: { db: Database; notifications: Notifications }) {
  const app = new Hono();

  app.get("/me/notifications", async (c) => {
    const userId = requireUser(c);
    const unread = c.req.query("unread");
    if (unread !== undefined && unread !== "true" && unread !== "false") {
      throw BadRequest("unread is true or false.", { issues: [{ code: "INVALID_BOOLEAN", pointer: "/query/unread", message: "Expected true or false." }] });
    }
    const page = await deps.notifications.inbox(userId, { unreadOnly: unread === "true", limit: parseLimit(c.req.query("limit")), before: decodeCursor(c.req.query("cursor")) });
    c.header("cache-control", "no-store");
    return c.json({
      items: page.items,
      unread: page.unread,
      nextCursor: page.nextCursor ? Buffer.from(JSON.stringify({ t: page.nextCursor.createdAt, i: page.nextCursor.id })).toString("base64url") : null,
    });
  });

  app.post("/me/notifications/read", async (c) => c.json({ marked: await deps.notifications.markAllRead(requireUser(c)) }));

  app.post("/me/notifications/:id/read", async (c) => {
    if (!(await deps.notifications.markRead(requireUser(c), c.req.param("id")))) throw NotFound("You have no notification with this id.");
    return c.body(null, 204);
  });

  app.get("/admin/emails", requireAdmin(deps.db), async (c) => {
    const status = c.req.query("status");
    if (status !== undefined && !["pending", "sent", "failed", "recorded"].includes(status)) {
      throw BadRequest("status is pending, sent, failed or recorded.", { issues: [{ code: "INVALID_STATUS", pointer: "/query/status", message: "Expected pending, sent, failed or recorded." }] });
    }
    const rows = await deps.db.query(
      `select id, user_id as "userId", to_address as "to", subject, body, status, attempts, last_error as "lastError", source_kind as "sourceKind", source_id as "sourceId", created_at as "createdAt", sent_at as "sentAt"
         from email_outbox where ($1::text is null or status = $1) order by id desc limit $2`,
      [status ?? null, parseLimit(c.req.query("limit"))],
    );
    return c.json({ items: rows.map((row) => ({ ...row, id: Number(row.id), createdAt: new Date(row.createdAt as string).toISOString(), sentAt: row.sentAt ? new Date(row.sentAt as string).toISOString() : null })) });
  });

  return app;
}
