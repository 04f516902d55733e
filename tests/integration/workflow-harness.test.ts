import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadShippedWorkflows } from "@crm/runtime";
import { createWorkflowHarness, type WorkflowHarness } from "@crm/runtime/workflow-testing";

const shipped = (id: string) => loadShippedWorkflows().find((w) => w.id === id)!;

/** The shipped workflows run offline: the real engine on in-memory PGlite, a virtual clock, recorded effects. */
describe("the offline workflow harness", () => {
  let h: WorkflowHarness;
  let manager: string;
  let director: string;
  let rep: string;
  let account: string;

  beforeAll(async () => {
    h = await createWorkflowHarness({ now: "2026-03-02T09:00:00Z", env: { WORKFLOW_HTTP_ALLOWED_HOSTS: "hooks.example.com" }, respond: (req) => ({ status: 202, body: { seen: req.url } }) });
    manager = await h.user({ name: "Mia Manager", roles: ["sales_manager"] });
    director = await h.user({ name: "Dora Director", roles: ["sales_manager"] });
    rep = await h.user({ name: "Rex Rep", roles: ["sales_rep"], managerId: manager });
    account = (await h.create("account", { name: "Harness Co", ownerId: rep })).id;
    await h.install(shipped("discount-approval"));
    await h.install(shipped("won-opportunity-onboarding"));
  }, 180_000); // a runtime with the shipped CRM on a fresh PGlite: slow on a busy machine
  afterAll(async () => {
    await h?.close();
  });

  const deal = (name: string) => h.create("opportunity", { name, account, stage: "proposal", amount: { amount: 50000, currency: "EUR" }, discount: 10 }, { as: rep });

  it("discount approval: asks the owner's manager, escalates after two silent days, and a rejection caps the discount", async () => {
    const opportunity = await deal("Harness discount");
    await h.settle();
    h.take();
    await h.update("opportunity", opportunity.id, { discount: 25 }, { as: rep });
    await h.settle();
    const asked = h.take();
    expect(asked).toEqual([
      expect.objectContaining({ kind: "approvalRequested", workflowId: "discount-approval", stepId: "approve", approvers: [manager], dueAt: "2026-03-04T09:00:00.000Z", onTimeout: "escalate", message: "Harness discount: 25 % discount on 50000 EUR" }),
    ]);
    const approvalId = (asked[0] as { approvalId: string }).approvalId;
    expect((await h.runs(opportunity.id))[0]).toMatchObject({ workflowId: "discount-approval", status: "waiting" });

    // A day later nothing has happened; at the two-day deadline every sales manager is asked too.
    await h.advance({ days: 1 });
    expect(await h.runtime.db.query(`select escalated_at from approval_requests where id = $1`, [approvalId])).toEqual([{ escalated_at: null }]);
    await h.advance({ days: 2 });
    const [request] = await h.runtime.db.query<{ approvers: string; escalated_at: Date | null }>(`select approvers::text as approvers, escalated_at from approval_requests where id = $1`, [approvalId]);
    expect(request!.escalated_at).not.toBeNull();
    expect(request!.approvers).toContain(director);
    expect((await h.runs(opportunity.id))[0]!.status).toBe("waiting");

    expect(await h.decide(approvalId, director, "reject", "Too much.")).toMatchObject({ status: "rejected" });
    const after = h.take();
    expect(after.map((a) => `${a.stepId}:${a.kind}`)).toEqual(["capped:recordUpdated", "tell:notification"]);
    expect(after[0]).toMatchObject({ entity: "opportunity", id: opportunity.id, changes: { discount: { from: 25, to: 20 } }, at: "2026-03-05T09:00:00.000Z" });
    expect(after[1]).toMatchObject({ recipients: [rep], subject: "Discount on Harness discount rejected; set to 20 %" });
    expect((await h.get("opportunity", opportunity.id)).discount).toBe(20);
    expect((await h.runs(opportunity.id))[0]!.steps.map((s) => s.stepId)).toEqual(["approve", "approve", "capped", "tell"]);
  });

  it("won opportunity: opens an onboarding case dated by the virtual clock and congratulates the owner", async () => {
    const opportunity = await deal("Harness win");
    await h.settle();
    h.take();
    await h.update("opportunity", opportunity.id, { stage: "closed_won" }, { as: rep });
    await h.settle();
    const actions = h.take();
    expect(actions.map((a) => `${a.workflowId}/${a.stepId}:${a.kind}`)).toEqual(["won-opportunity-onboarding/case:recordCreated", "won-opportunity-onboarding/tell:notification"]);
    const created = actions[0] as { entity: string; id: string; values: Record<string, unknown> };
    expect(created).toMatchObject({ entity: "serviceCase", values: { subject: "Onboarding: Harness win", account, category: "onboarding", priority: "high" } });
    expect(created.values.description).toContain(`on ${h.clock.now().toISOString().slice(0, 10)}`);
    expect(actions[1]).toMatchObject({ recipients: [rep], subject: "Won: Harness win – onboarding case opened" });
    expect((await h.get("serviceCase", created.id)).subject).toBe("Onboarding: Harness win");
  });

  it("records HTTP calls instead of making them, and waits on the virtual clock", async () => {
    await h.install({
      id: "harness-http",
      name: "Tell the ERP a day after creation",
      entity: "product",
      trigger: { type: "recordCreated" },
      steps: [
        { id: "later", type: "wait", duration: { amount: 1, unit: "days" } },
        { id: "call", type: "httpRequest", method: "POST", url: '"https://hooks.example.com/products/" & id', body: { name: "name" } },
      ],
    });
    const product = await h.create("product", { name: "Widget", code: "W-1" });
    await h.settle();
    expect(h.take()).toEqual([]);
    await h.advance({ hours: 23 });
    expect(h.take()).toEqual([]);
    await h.advance({ hours: 1 });
    const [call] = h.take();
    expect(call).toMatchObject({ kind: "httpRequest", stepId: "call", method: "POST", url: `https://hooks.example.com/products/${product.id}`, body: JSON.stringify({ name: "Widget" }) });
    const run = (await h.runs(product.id))[0]!;
    expect(run.status).toBe("succeeded");
    expect(run.steps.at(-1)!.output).toMatchObject({ status: 202, body: { seen: `https://hooks.example.com/products/${product.id}` } });
  });
});
