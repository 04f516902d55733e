import { beforeAll, describe, expect, it } from "vitest";
import { resolvePeople, type ApprovalRequest } from "@crm/runtime";
import { databaseTargets } from "./support/databases.ts";
import { buildOrg, type Org } from "./support/org-fixture.ts";
import { useTestServer } from "./support/test-server.ts";

describe.each(databaseTargets)("approvals on $name", (target) => {
  const server = useTestServer(target);
  let org: Org;
  let account: string;
  const decided: ApprovalRequest[] = [];
  let failNextListener = false;

  const request = async (extra: Partial<Parameters<typeof server.runtime.approvals.request>[1]> = {}) => {
    const approvers = await resolvePeople(server.runtime.db, { ownerManager: true }, { ownerId: org.users.owner.id });
    return server.runtime.db.transaction((tx) =>
      server.runtime.approvals.request(tx, { entity: "account", recordId: account, subject: "Discount of 25 % on ACME", message: "Above the 20 % limit.", approvers, workflowId: "discount", stepId: "approve", ...extra }),
    );
  };
  const decide = (id: string, body: unknown, headers: Record<string, string>) => server.request("POST", `/api/approvals/${id}/decision`, body, headers);
  const pending = async (headers: Record<string, string>) => (await server.request("GET", "/api/me/approvals", undefined, headers)).body.items as ApprovalRequest[];

  beforeAll(async () => {
    org = await buildOrg(server);
    await server.request("PATCH", `/api/admin/users/${org.users.owner.id}`, { managerId: org.users.manager.id });
    account = (await server.request("POST", "/api/records/account", { name: "ACME", ownerId: org.users.owner.id })).body.id;
    server.runtime.approvals.onDecision(async (_tx, decision) => {
      if (failNextListener) {
        failNextListener = false;
        throw new Error("the workflow could not resume");
      }
      decided.push(decision);
    });
  });

  it("asks the owner's manager, who sees it waiting and is notified; others are not", async () => {
    const asked = await request();
    expect(asked).toMatchObject({ status: "pending", approvers: [org.users.manager.id], entity: "account", recordId: account });
    expect((await pending(org.users.manager.headers)).map((r) => r.id)).toContain(asked.id);
    expect(await pending(org.users.owner.headers)).toEqual([]);
    const inbox = await server.request("GET", "/api/me/notifications", undefined, org.users.manager.headers);
    expect(inbox.body.items[0]).toMatchObject({ subject: "Approval needed: Discount of 25 % on ACME", link: { entity: "account", recordId: account } });
    // The record's page lists it for whoever reads the record.
    expect((await server.request("GET", `/api/records/account/${account}/approvals`, undefined, org.users.owner.headers)).body.items.map((r: ApprovalRequest) => r.id)).toContain(asked.id);
    expect((await server.request("GET", `/api/records/account/${account}/approvals`, undefined, org.users.outsider.headers)).status).toBe(404);
  });

  it("takes one decision, from an approver, with the comment; the workflow hears it in the same transaction", async () => {
    const asked = await request();
    expect((await decide(asked.id, { decision: "approve" }, org.users.teammate.headers)).status).toBe(404);
    failNextListener = true;
    expect((await decide(asked.id, { decision: "reject", comment: "Too deep." }, org.users.manager.headers)).status).toBe(500);
    expect((await pending(org.users.manager.headers)).map((r) => r.id)).toContain(asked.id);
    const res = await decide(asked.id, { decision: "reject", comment: "Too deep; 15 % at most." }, org.users.manager.headers);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ status: "rejected", decidedBy: org.users.manager.id, decidedHow: "user", comment: "Too deep; 15 % at most." });
    expect(decided.at(-1)).toMatchObject({ id: asked.id, status: "rejected" });
    const again = await decide(asked.id, { decision: "approve" }, org.users.manager.headers);
    expect(again.status).toBe(409);
    expect(again.body.code).toBe("APPROVAL_DECIDED");
    const mine = (await server.request("GET", "/api/me/approvals?status=decided", undefined, org.users.manager.headers)).body.items as ApprovalRequest[];
    expect(mine[0]!.id).toBe(asked.id);
  });

  it("makes a retried request once", async () => {
    const first = await request({ dedupeKey: "run-1:approve" });
    const second = await request({ dedupeKey: "run-1:approve" });
    expect(second.id).toBe(first.id);
    expect((await pending(org.users.manager.headers)).filter((r) => r.id === first.id)).toHaveLength(1);
  });

  it("applies deadlines: approve or reject by timeout, or escalate once to more people", async () => {
    const past = new Date(Date.now() - 60_000);
    const approveOnTimeout = await request({ dueAt: past, onTimeout: "approve" });
    const escalating = await request({ dueAt: past, onTimeout: "escalate", escalateTo: [org.users.finance.id] });
    const later = await request({ dueAt: new Date(Date.now() + 3_600_000), onTimeout: "reject" });
    expect(await server.runtime.approvals.expireDue(new Date())).toBe(2);
    expect(decided.at(-1)).toMatchObject({ id: approveOnTimeout.id, status: "approved", decidedHow: "timeout" });
    const escalated = (await pending(org.users.finance.headers)).find((r) => r.id === escalating.id)!;
    expect(escalated.approvers.sort()).toEqual([org.users.manager.id, org.users.finance.id].sort());
    expect(escalated.escalatedAt).not.toBeNull();
    expect((await server.request("GET", "/api/me/notifications", undefined, org.users.finance.headers)).body.items[0].subject).toBe("Approval escalated to you: Discount of 25 % on ACME");
    expect(await server.runtime.approvals.expireDue(new Date())).toBe(0);
    expect((await pending(org.users.manager.headers)).map((r) => r.id)).toContain(later.id);
    expect((await decide(escalating.id, { decision: "approve" }, org.users.finance.headers)).body.status).toBe("approved");
  });

  it("answers bad decisions with problems that point at the field", async () => {
    const asked = await request();
    const bad = await decide(asked.id, { decision: "maybe", comment: 5 }, org.users.manager.headers);
    expect(bad.status).toBe(422);
    expect(bad.body.issues.map((i: { pointer: string }) => i.pointer)).toEqual(["/decision", "/comment"]);
    expect((await decide(asked.id, "{not json", org.users.manager.headers)).status).toBe(400);
    expect((await decide("not-a-uuid", { decision: "approve" }, org.users.manager.headers)).status).toBe(404);
    expect((await server.request("GET", "/api/me/approvals?status=open", undefined, org.users.manager.headers)).status).toBe(400);
  });
});
