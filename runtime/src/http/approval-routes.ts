import { Hono, type Context } from "hono";
import type { Issue } from "@crm/core";
import { requireUser } from "../auth/guards.ts";
import { ApprovalDecided, BadRequest, NotFound, ValidationFailed } from "../errors.ts";
import type { Approvals } from "../approvals/create-approvals.ts";
import type { Caller } from "../services/caller.ts";
import type { RecordReads } from "../services/record-reads.ts";
import { readJson } from "./read-json.ts";

/**
 * Mounted at `/api`: an approver's requests (`GET /me/approvals`, pending or decided), their decision
 * (`POST /approvals/{id}/decision`), and the requests about a record the caller may read
 * (`GET /records/{entity}/{id}/approvals`, for its page).
 */
export function approvalRoutes(deps: { approvals: Approvals; reads: RecordReads; callerOf: (c: Context) => Promise<Caller> }) {
  const app = new Hono();

  app.get("/me/approvals", async (c) => {
    const status = c.req.query("status") ?? "pending";
    if (status !== "pending" && status !== "decided") throw BadRequest("status is pending or decided.", { issues: [{ code: "INVALID_STATUS", pointer: "/query/status", message: "Expected pending or decided." }] });
    const limit = Number(c.req.query("limit") ?? 50);
    if (!Number.isInteger(limit) || limit < 1 || limit > 200) throw BadRequest("limit must be an integer from 1 to 200.", { issues: [{ code: "INVALID_LIMIT", pointer: "/query/limit", message: "Expected 1 to 200." }] });
    c.header("cache-control", "no-store");
    return c.json({ items: await deps.approvals.forUser(requireUser(c), status, limit) });
  });

  app.post("/approvals/:id/decision", async (c) => {
    const userId = requireUser(c);
    const body = (await readJson(c)) as Record<string, unknown> | null;
    const issues: Issue[] = [];
    const decision = body && typeof body === "object" ? body.decision : undefined;
    const comment = body && typeof body === "object" ? body.comment : undefined;
    if (decision !== "approve" && decision !== "reject") issues.push({ code: "INVALID_DECISION", pointer: "/decision", message: "Expected approve or reject." });
    if (comment !== undefined && comment !== null && (typeof comment !== "string" || comment.length > 5000)) issues.push({ code: "INVALID_COMMENT", pointer: "/comment", message: "A comment is text of at most 5,000 characters." });
    if (issues.length) throw ValidationFailed("The decision is invalid; see issues.", { issues });
    const result = await deps.approvals.decide(userId, c.req.param("id"), decision as "approve" | "reject", (comment as string | null | undefined) ?? null);
    if (result === "not-found") throw NotFound("You have no approval request with this id.");
    if (result === "already-decided") throw ApprovalDecided("Someone decided this request already, or its deadline did.");
    return c.json(result);
  });

  app.get("/records/:entityKey/:id/approvals", async (c) => {
    const key = c.req.param("entityKey");
    const id = c.req.param("id");
    await deps.reads.authorizeHistory(key, id, await deps.callerOf(c));
    return c.json({ items: await deps.approvals.forRecord(key, id) });
  });

  return app;
}
