import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AddressInfo } from "node:net";
import { SMTPServer } from "smtp-server";
import { resolvePeople } from "@crm/runtime";
import { databaseTargets, pgliteTarget } from "./support/databases.ts";
import { buildOrg, type Org } from "./support/org-fixture.ts";
import { useTestServer } from "./support/test-server.ts";

describe.each(databaseTargets)("notifications on $name", (target) => {
  const server = useTestServer(target);
  let org: Org;
  const send = (notice: Parameters<typeof server.runtime.notifications.send>[1]) => server.runtime.notifications.send(server.runtime.db, notice);
  const inbox = (headers: Record<string, string>, query = "") => server.request("GET", `/api/me/notifications${query}`, undefined, headers);

  beforeAll(async () => {
    org = await buildOrg(server);
  });

  it("resolves people from users, roles, teams, departments, the owner and the owner's manager: active users once each", async () => {
    const { users } = org;
    await server.request("PATCH", `/api/admin/users/${users.owner.id}`, { managerId: users.manager.id });
    const db = server.runtime.db;
    const byRole = await resolvePeople(db, { roles: ["sales_manager", "finance"] });
    expect(new Set(byRole)).toEqual(new Set([users.manager.id, users.finance.id]));
    expect(new Set(await resolvePeople(db, { teams: [org.teams.east] }))).toEqual(new Set([users.owner.id, users.teammate.id]));
    expect(new Set(await resolvePeople(db, { departments: [org.departments.finance] }))).toEqual(new Set([users.outsider.id, users.finance.id]));
    expect(await resolvePeople(db, { owner: true, ownerManager: true }, { ownerId: users.owner.id })).toHaveLength(2);
    expect(await resolvePeople(db, { users: [users.owner.id, users.owner.id, "not-a-uuid"], owner: true }, { ownerId: users.owner.id })).toEqual([users.owner.id]);
    expect(await resolvePeople(db, { owner: true }, { ownerId: null })).toEqual([]);
    await server.request("PATCH", `/api/admin/users/${users.norole.id}`, { active: false });
    expect(await resolvePeople(db, { users: [users.norole.id] })).toEqual([]);
    await server.request("PATCH", `/api/admin/users/${users.norole.id}`, { active: true });
  });

  it("delivers to each recipient's inbox, newest first, paged, with the unread count; marks read", async () => {
    const { owner, teammate } = org.users;
    for (let i = 1; i <= 3; i++) {
      // Newest first is by the time sent: send them a few milliseconds apart.
      await new Promise((resolve) => setTimeout(resolve, 5));
      expect(await send({ recipients: [owner.id, teammate.id], subject: `Follow up ${i}`, body: "Nobody called this account in 7 days.", link: { entity: "account", recordId: owner.id }, source: { kind: "workflow", id: `run-${i}` } })).toEqual({ inApp: 2, email: 0 });
    }
    const first = await inbox(owner.headers, "?limit=2");
    expect(first.status).toBe(200);
    expect(first.body.unread).toBe(3);
    expect(first.body.items.map((n: { subject: string }) => n.subject)).toEqual(["Follow up 3", "Follow up 2"]);
    expect(first.body.items[0]).toMatchObject({ body: "Nobody called this account in 7 days.", link: { entity: "account", recordId: owner.id }, source: { kind: "workflow", id: "run-3" }, readAt: null });
    const second = await inbox(owner.headers, `?limit=2&cursor=${first.body.nextCursor}`);
    expect(second.body.items.map((n: { subject: string }) => n.subject)).toEqual(["Follow up 1"]);
    expect(second.body.nextCursor).toBeNull();

    const id = first.body.items[0].id;
    expect((await server.request("POST", `/api/me/notifications/${id}/read`, undefined, owner.headers)).status).toBe(204);
    // Someone else's notification is not found, and stays unread for its owner.
    expect((await server.request("POST", `/api/me/notifications/${id}/read`, undefined, teammate.headers)).status).toBe(404);
    expect((await inbox(owner.headers, "?unread=true")).body).toMatchObject({ unread: 2 });
    expect((await inbox(owner.headers, "?unread=true")).body.items).toHaveLength(2);
    expect((await server.request("POST", "/api/me/notifications/read", undefined, teammate.headers)).body).toEqual({ marked: 3 });
    expect((await inbox(teammate.headers)).body.unread).toBe(0);
  });

  it("notifies once per dedupe key, and not at all from a rolled-back transaction", async () => {
    const { colleague } = org.users;
    const notice = { recipients: [colleague.id], subject: "Approve the discount", source: { kind: "workflow" as const, id: "run-x" }, dedupeKey: "run-x:approve" };
    expect((await send(notice)).inApp).toBe(1);
    expect((await send(notice)).inApp).toBe(0);
    await expect(
      server.runtime.db.transaction(async (tx) => {
        await server.runtime.notifications.send(tx, { recipients: [colleague.id], subject: "Never sent", source: { kind: "workflow" } });
        throw new Error("the step failed");
      }),
    ).rejects.toThrow("the step failed");
    const subjects = (await inbox(colleague.headers)).body.items.map((n: { subject: string }) => n.subject);
    expect(subjects).toEqual(["Approve the discount"]);
  });

  it("records email instead of sending it when no SMTP server is configured, for administrators to read", async () => {
    const { manager } = org.users;
    expect(await send({ recipients: [manager.id], subject: "Case escalated", body: "SLA missed", channels: ["inApp", "email"], source: { kind: "workflow", id: "run-e" } })).toEqual({ inApp: 1, email: 1 });
    const emails = await server.request("GET", "/api/admin/emails?status=recorded");
    expect(emails.status).toBe(200);
    expect(emails.body.items[0]).toMatchObject({ to: manager.email, subject: "Case escalated", body: "SLA missed", status: "recorded", attempts: 0, sourceKind: "workflow", sourceId: "run-e" });
    expect((await server.request("GET", "/api/admin/emails", undefined, manager.headers)).status).toBe(403);
  });

  it("answers bad inbox requests with problems, and role tokens have no inbox", async () => {
    for (const query of ["?limit=0", "?limit=abc", "?cursor=garbage", "?unread=maybe"]) {
      const res = await inbox(org.users.owner.headers, query);
      expect(res.status, query).toBe(400);
      expect(res.headers.get("content-type")).toContain("application/problem+json");
    }
    expect((await server.request("POST", "/api/me/notifications/not-a-uuid/read", undefined, org.users.owner.headers)).status).toBe(404);
    expect((await inbox(org.tokens.salesRep.headers)).status).toBe(403);
  });
});

describe("email through a real SMTP server", () => {
  const received: Array<{ to: string[]; data: string }> = [];
  const smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    logger: false,
    onRcptTo(address, _session, callback) {
      if (address.address.startsWith("bounce")) return callback(Object.assign(new Error("550 mailbox unavailable"), { responseCode: 550 }));
      callback();
    },
    onData(stream, session, callback) {
      let data = "";
      stream.on("data", (chunk: Buffer) => (data += chunk.toString()));
      stream.on("end", () => {
        received.push({ to: session.envelope.rcptTo.map((r) => r.address), data });
        callback();
      });
    },
  });
  // Read by the test server's start, which comes after this hook.
  const env: Record<string, string> = { EMAIL_POLL_MS: "50", EMAIL_MAX_ATTEMPTS: "2", EMAIL_BACKOFF_MS: "1", MAIL_FROM: "CRM <crm@example.test>" };
  beforeAll(async () => {
    await new Promise<void>((resolve) => smtp.listen(0, "127.0.0.1", resolve));
    env.SMTP_URL = `smtp://127.0.0.1:${(smtp.server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => smtp.close(resolve)));
  const server = useTestServer(pgliteTarget, { env });

  it("sends queued email, retries a refused one and marks it failed after the last attempt", async () => {
    const created = await server.request("POST", "/api/admin/users", { email: "bounce@example.test", name: "Bounce", password: "a-long-password-1", roleIds: [] });
    const admin = server.admin.userId;
    await server.runtime.notifications.send(server.runtime.db, { recipients: [admin, created.body.id], subject: "Won: ACME", body: "Open the onboarding case.", channels: ["email"], source: { kind: "workflow", id: "run-s" } });
    server.runtime.email.notify();
    const deadline = Date.now() + 10_000;
    let statuses: Array<{ to: string; status: string; attempts: number; lastError: string | null }> = [];
    while (Date.now() < deadline) {
      statuses = (await server.request("GET", "/api/admin/emails")).body.items;
      if (statuses.every((s) => s.status === "sent" || s.status === "failed")) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(statuses.find((s) => s.to === "bounce@example.test")).toMatchObject({ status: "failed", attempts: 2 });
    expect(statuses.find((s) => s.to === "bounce@example.test")!.lastError).toContain("550");
    expect(statuses.find((s) => s.to !== "bounce@example.test")).toMatchObject({ status: "sent", attempts: 1, lastError: null });
    expect(received).toHaveLength(1);
    expect(received[0]!.data).toContain("Subject: Won: ACME");
    expect(received[0]!.data).toContain("Open the onboarding case.");
    expect(received[0]!.data).toContain("From: CRM <crm@example.test>");
  });
});
