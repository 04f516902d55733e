import { beforeAll, describe, expect, it } from "vitest";
import { loadShippedWorkflows } from "@crm/runtime";
import { databaseTargets } from "./support/databases.ts";
import { buildOrg, type Org } from "./support/org-fixture.ts";
import { useTestServer, type TestServer } from "./support/test-server.ts";
import { waitFor } from "./support/webhook-receiver.ts";

const FAST = { WORKFLOW_POLL_MS: "50", WORKFLOW_BACKOFF_MS: "50", WORKFLOW_JOB_POLL_MS: "500" };

type Run = { id: string; workflowId: string; status: string; steps: Array<{ stepId: string; status: string; output: any }> };

async function runIn(server: TestServer, entity: string, recordId: string, workflowId: string, statuses: string[]): Promise<Run> {
  const run = await waitFor(
    async () => ((await server.request("GET", `/api/admin/workflow-runs?entity=${entity}&recordId=${recordId}`)).body.items as Run[]).find((r) => r.workflowId === workflowId && statuses.includes(r.status)),
    20_000,
    `a ${statuses.join("/")} ${workflowId} run`,
  );
  return (await server.request("GET", `/api/admin/workflow-runs/${run.id}`)).body;
}

describe.each(databaseTargets)("workflow steps that wait on $name", (target) => {
  const server = useTestServer(target, { env: FAST });
  let org: Org;
  let account: string;

  beforeAll(async () => {
    org = await buildOrg(server);
    await server.request("PATCH", `/api/admin/users/${org.users.owner.id}`, { managerId: org.users.manager.id });
    account = (await server.request("POST", "/api/records/account", { name: "Discount Co", ownerId: org.users.owner.id })).body.id;
    const saved = await server.request("POST", "/api/admin/workflows", loadShippedWorkflows().find((w) => w.id === "discount-approval"));
    expect(saved.status, JSON.stringify(saved.body)).toBe(201);
  });

  const opportunity = async (name: string) => {
    const created = await server.request("POST", "/api/records/opportunity", { name, account, stage: "proposal", amount: { amount: 50000, currency: "EUR" }, discount: 10 }, org.users.owner.headers);
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    return created.body as { id: string; version: number };
  };
  const discount = async (id: string, value: number) => {
    const res = await server.request("PATCH", `/api/records/opportunity/${id}`, { discount: value }, org.users.owner.headers);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
  };
  const pendingFor = async (headers: Record<string, string>, recordId: string) =>
    waitFor(async () => ((await server.request("GET", "/api/me/approvals", undefined, headers)).body.items as Array<{ id: string; recordId: string }>).find((r) => r.recordId === recordId), 20_000, "a pending approval");

  it("runs the shipped discount approval: the run waits for the owner's manager, and a rejection caps the discount", async () => {
    const deal = await opportunity("Rejected discount");
    await discount(deal.id, 25);
    const waiting = await runIn(server, "opportunity", deal.id, "discount-approval", ["waiting"]);
    expect(waiting.steps.at(-1)).toMatchObject({ stepId: "approve", output: { status: "pending" } });
    const request = await pendingFor(org.users.manager.headers, deal.id);
    const decided = await server.request("POST", `/api/approvals/${request.id}/decision`, { decision: "reject", comment: "20 % is our limit." }, org.users.manager.headers);
    expect(decided.status, JSON.stringify(decided.body)).toBe(200);
    const done = await runIn(server, "opportunity", deal.id, "discount-approval", ["succeeded", "failed"]);
    expect(done.status, JSON.stringify(done.steps)).toBe("succeeded");
    expect(done.steps.map((s) => s.stepId)).toEqual(["approve", "approve", "capped", "tell"]);
    expect((await server.request("GET", `/api/records/opportunity/${deal.id}`)).body.discount).toBe(20);
    const inbox = await server.request("GET", "/api/me/notifications", undefined, org.users.owner.headers);
    expect(inbox.body.items.map((n: { subject: string }) => n.subject)).toContain("Discount on Rejected discount rejected; set to 20 %");
  });

  it("goes on with `then` on approval, and a deadline decides for a silent approver", async () => {
    const approved = await opportunity("Approved discount");
    await discount(approved.id, 30);
    const request = await pendingFor(org.users.manager.headers, approved.id);
    expect((await server.request("POST", `/api/approvals/${request.id}/decision`, { decision: "approve" }, org.users.manager.headers)).status).toBe(200);
    expect((await runIn(server, "opportunity", approved.id, "discount-approval", ["succeeded"])).steps.map((s) => s.stepId)).toEqual(["approve", "approve", "approved"]);
    expect((await server.request("GET", `/api/records/opportunity/${approved.id}`)).body.nextStep).toBe("Discount of 30 % approved");

    // Two days without an answer: the shipped workflow escalates to every sales manager, and the run keeps waiting.
    const silent = await opportunity("Silent approver");
    await discount(silent.id, 40);
    const asked = await pendingFor(org.users.manager.headers, silent.id);
    expect(await server.runtime.approvals.expireDue(new Date(Date.now() + 3 * 86_400_000))).toBeGreaterThanOrEqual(1);
    const escalated = (await server.request("GET", `/api/records/opportunity/${silent.id}/approvals`)).body.items[0];
    expect(escalated).toMatchObject({ id: asked.id, status: "pending" });
    expect(escalated.escalatedAt).not.toBeNull();
    expect((await runIn(server, "opportunity", silent.id, "discount-approval", ["waiting"])).status).toBe("waiting");
  });

  it("waits until a date computed when the step is reached, then goes on", async () => {
    const definition = {
      id: "remind-when-due",
      name: "Mark activities when due",
      enabled: true,
      entity: "activity",
      trigger: { type: "recordCreated" },
      steps: [
        { id: "until-due", type: "wait", until: "dueAt" },
        { id: "mark", type: "updateRecord", values: { subject: 'subject & " (due)"' } },
      ],
    };
    expect((await server.request("POST", "/api/admin/workflows", definition)).status).toBe(201);
    const soon = new Date(Date.now() + 2500).toISOString();
    const created = await server.request("POST", "/api/records/activity", { subject: "Call back", type: "call", dueAt: soon });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const waiting = await runIn(server, "activity", created.body.id, "remind-when-due", ["waiting"]);
    expect(waiting.steps[0]).toMatchObject({ stepId: "until-due", output: { until: new Date(soon).toISOString() } });
    expect((await server.request("GET", `/api/records/activity/${created.body.id}`)).body.subject).toBe("Call back");
    const done = await runIn(server, "activity", created.body.id, "remind-when-due", ["succeeded"]);
    expect(done.steps.map((s) => s.stepId)).toEqual(["until-due", "until-due", "mark"]);
    expect(Date.now()).toBeGreaterThanOrEqual(new Date(soon).getTime());
    expect((await server.request("GET", `/api/records/activity/${created.body.id}`)).body.subject).toBe("Call back (due)");

    // A date already past does not wait.
    const late = await server.request("POST", "/api/records/activity", { subject: "Overdue", type: "call", dueAt: new Date(Date.now() - 60_000).toISOString() });
    expect((await runIn(server, "activity", late.body.id, "remind-when-due", ["succeeded"])).steps.map((s) => s.stepId)).toEqual(["until-due", "mark"]);
  });
});
