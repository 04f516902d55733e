import { beforeAll, describe, expect, it } from "vitest";
import { loadShippedWorkflows } from "@crm/runtime";
import { databaseTargets } from "./support/databases.ts";
import { buildOrg, type Org } from "./support/org-fixture.ts";
import { useTestServer, type TestServer } from "./support/test-server.ts";
import { useWebhookReceiver, waitFor } from "./support/webhook-receiver.ts";

const FAST = { WORKFLOW_POLL_MS: "50", WORKFLOW_BACKOFF_MS: "50", WORKFLOW_JOB_POLL_MS: "500", WORKFLOW_HTTP_ALLOWED_HOSTS: "127.0.0.1", WEBHOOK_ALLOW_PRIVATE_TARGETS: "true" };

/** Rows of every table a run could leave something in. */
async function footprint(server: TestServer) {
  const tables = ["workflow_runs", "workflow_step_executions", "workflow_outbox", "record_history", "notifications", "email_outbox", "approval_requests", "webhook_deliveries", "idempotency_keys", "plugin_invocations", "pgboss.job", 'data."serviceCase"'];
  const counts: Record<string, number> = {};
  for (const table of tables) counts[table] = (await server.sql<{ n: number }>(`select count(*)::int as n from ${table}`))[0]!.n;
  return counts;
}

describe.each(databaseTargets)("workflow dry runs and a record's runs on $name", (target) => {
  const server = useTestServer(target, { env: FAST });
  const receiver = useWebhookReceiver();
  let org: Org;
  let deal: { id: string; name: string };

  beforeAll(async () => {
    org = await buildOrg(server);
    await server.request("PATCH", `/api/admin/users/${org.users.owner.id}`, { managerId: org.users.manager.id });
    const account = await server.request("POST", "/api/records/account", { name: "Dry Co", ownerId: org.users.owner.id });
    const created = await server.request("POST", "/api/records/opportunity", { name: "Dry deal", account: account.body.id, stage: "proposal", amount: { amount: 1000, currency: "EUR" }, discount: 30 }, org.users.owner.headers);
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    deal = created.body;
    const saved = await server.request("POST", "/api/admin/workflows", { ...loadShippedWorkflows().find((w) => w.id === "won-opportunity-onboarding"), enabled: false });
    expect(saved.status, JSON.stringify(saved.body)).toBe(201);
  });

  it("runs a stored workflow on a live record and reports every step's effects, leaving nothing behind", async () => {
    const before = await footprint(server);
    const res = await server.request("POST", "/api/admin/workflows/won-opportunity-onboarding/dry-run", { recordId: deal.id });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ dryRun: true, workflowId: "won-opportunity-onboarding", version: 1, record: { entity: "opportunity", id: deal.id }, status: "succeeded", error: null, pausedAt: null });
    expect(res.body.steps.map((s: { stepId: string; status: string }) => `${s.stepId}:${s.status}`)).toEqual(["case:succeeded", "tell:succeeded"]);
    const [created] = res.body.steps[0].effects;
    expect(created).toMatchObject({ kind: "recordCreated", entity: "serviceCase", values: { subject: "Onboarding: Dry deal", category: "onboarding", status: "new" } });
    expect(res.body.steps[0].output).toMatchObject({ entity: "serviceCase", id: created.id });
    expect(res.body.steps[1].effects).toEqual([expect.objectContaining({ kind: "notification", recipients: [org.users.owner.id], subject: "Won: Dry deal – onboarding case opened" })]);
    expect(await footprint(server)).toEqual(before);
    expect((await server.request("GET", `/api/records/serviceCase/${created.id}`)).status).toBe(404);
  });

  it("runs an unsaved definition: record changes, an HTTP call recorded (never sent) and the approval where it would pause", async () => {
    const before = await footprint(server);
    const definition = {
      name: "Try me",
      entity: "opportunity",
      trigger: { type: "recordUpdated" },
      steps: [
        { id: "note", type: "updateRecord", values: { nextStep: '"Checked " & text(discount)' } },
        { id: "erp", type: "httpRequest", method: "POST", url: `"${receiver.origin}/erp/" & id`, body: { name: "name" } },
        { id: "mail", type: "notify", recipients: { ownerManager: true }, channels: ["inApp", "email"], subject: '"Discount on " & name' },
        { id: "approve", type: "approval", approvers: { ownerManager: true }, timeout: { amount: 1, unit: "days" }, then: [{ id: "ok", type: "updateRecord", values: { discount: "0" } }] },
      ],
    };
    const res = await server.request("POST", "/api/admin/workflows/not-saved-yet/dry-run", { recordId: deal.id, definition, inputs: { reason: "check" } });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ workflowId: "not-saved-yet", version: null, status: "waiting", pausedAt: { stepId: "approve", type: "approval", reason: "approval", until: null } });
    const effects = Object.fromEntries(res.body.steps.map((s: { stepId: string; effects: unknown[] }) => [s.stepId, s.effects]));
    expect(effects.note).toEqual([expect.objectContaining({ kind: "recordUpdated", id: deal.id, changes: { nextStep: { from: null, to: "Checked 30" } } })]);
    expect(effects.erp).toEqual([expect.objectContaining({ kind: "httpRequest", method: "POST", url: `${receiver.origin}/erp/${deal.id}`, body: JSON.stringify({ name: "Dry deal" }) })]);
    expect(effects.mail.map((e: { kind: string; recipients: string[] }) => `${e.kind}:${e.recipients.join()}`)).toEqual([`notification:${org.users.manager.id}`, `email:${org.users.manager.id}`]);
    expect(effects.approve).toEqual([expect.objectContaining({ kind: "approvalRequested", approvers: [org.users.manager.id], onTimeout: "reject" })]);
    expect(receiver.requests).toEqual([]);
    expect(await footprint(server)).toEqual(before);
    expect((await server.request("GET", `/api/records/opportunity/${deal.id}`)).body.nextStep).toBeNull();
  });

  it("reports a wait as where the run would pause, and a failing step as the run's failure", async () => {
    const definition = (steps: unknown[]) => ({ name: "Waits", entity: "opportunity", trigger: { type: "recordUpdated" }, steps });
    const waits = await server.request("POST", "/api/admin/workflows/waits/dry-run", { recordId: deal.id, definition: definition([{ id: "pause", type: "wait", duration: { amount: 2, unit: "hours" } }, { id: "after", type: "updateRecord", values: { nextStep: '"later"' } }]) });
    expect(waits.body).toMatchObject({ status: "waiting", pausedAt: { stepId: "pause", reason: "wait" } });
    expect(new Date(waits.body.pausedAt.until).getTime()).toBeGreaterThan(Date.now() + 3_500_000);
    const fails = await server.request("POST", "/api/admin/workflows/fails/dry-run", { recordId: deal.id, definition: definition([{ id: "parse", type: "updateRecord", values: { probability: "value(name)" } }]) });
    expect(fails.body).toMatchObject({ status: "failed", error: { code: "WORKFLOW_STEP_FAILED", stepId: "parse" } });
    expect(fails.body.steps).toEqual([expect.objectContaining({ stepId: "parse", status: "failed", effects: [] })]);
  });

  it("refuses bad requests as problem+json with pointers", async () => {
    const bad = await server.request("POST", "/api/admin/workflows/won-opportunity-onboarding/dry-run", { recordId: "nope", version: 0, extra: 1 });
    expect(bad.status).toBe(422);
    expect(bad.headers.get("content-type")).toMatch(/^application\/problem\+json/);
    expect(bad.body.issues.map((i: { pointer: string }) => i.pointer).sort()).toEqual(["/extra", "/recordId", "/version"]);
    const invalid = await server.request("POST", "/api/admin/workflows/x/dry-run", { recordId: deal.id, definition: { name: "X", entity: "opportunity", trigger: { type: "recordCreated" }, steps: [{ id: "u", type: "updateRecord", values: { colour: '"red"' } }] } });
    expect(invalid.status).toBe(422);
    expect(invalid.body).toMatchObject({ code: "WORKFLOW_INVALID", issues: [expect.objectContaining({ code: "UNKNOWN_FIELD", pointer: "/definition/steps/0/values/colour" })] });
    expect((await server.request("POST", "/api/admin/workflows/won-opportunity-onboarding/dry-run", { recordId: deal.id, version: 7 })).body.issues[0].pointer).toBe("/version");
    const missing = await server.request("POST", "/api/admin/workflows/won-opportunity-onboarding/dry-run", { recordId: "00000000-0000-4000-8000-000000000000" });
    expect(missing.status).toBe(422);
    expect(missing.body.issues[0]).toMatchObject({ code: "UNKNOWN_RECORD", pointer: "/recordId" });
    expect((await server.request("POST", "/api/admin/workflows/no-such-workflow/dry-run", { recordId: deal.id })).status).toBe(404);
    expect((await server.request("POST", "/api/admin/workflows/won-opportunity-onboarding/dry-run", { recordId: deal.id }, org.users.owner.headers)).status).toBe(403);
  });

  it("lists a record's runs for anyone who may read it: statuses and step outcomes, no step data", async () => {
    await server.request("POST", "/api/admin/workflows/won-opportunity-onboarding/enable");
    const won = await server.request("PATCH", `/api/records/opportunity/${deal.id}`, { stage: "closed_won" }, org.users.owner.headers);
    expect(won.status, JSON.stringify(won.body)).toBe(200);
    const runs = await waitFor(async () => {
      const res = await server.request("GET", `/api/records/opportunity/${deal.id}/workflow-runs`, undefined, org.users.owner.headers);
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      return res.body.items.find((r: { status: string }) => r.status === "succeeded") ? res.body.items : undefined;
    }, 20_000, "a finished run");
    expect(runs).toEqual([
      expect.objectContaining({ workflowId: "won-opportunity-onboarding", workflowName: "Open an onboarding case for won deals", version: 1, status: "succeeded", error: null }),
    ]);
    expect(runs[0].steps.map((s: { stepId: string; name: string; type: string; status: string }) => `${s.stepId}/${s.name}/${s.type}/${s.status}`)).toEqual(["case/Onboarding case/createRecord/succeeded", "tell/Congratulate the owner/notify/succeeded"]);
    for (const key of ["trigger", "cursor", "input", "output"]) expect(JSON.stringify(runs)).not.toContain(`"${key}"`);
    // Outside the reader's scope, the record and its runs are both "not found".
    expect((await server.request("GET", `/api/records/opportunity/${deal.id}`, undefined, org.users.outsider.headers)).status).toBe(404);
    const hidden = await server.request("GET", `/api/records/opportunity/${deal.id}/workflow-runs`, undefined, org.users.outsider.headers);
    expect(hidden.status).toBe(404);
    expect(hidden.headers.get("content-type")).toMatch(/^application\/problem\+json/);
    expect((await server.request("GET", `/api/records/opportunity/not-a-uuid/workflow-runs`)).status).toBe(404);
    expect((await server.request("GET", `/api/records/opportunity/${deal.id}/workflow-runs?limit=0`)).status).toBe(400);
    await server.request("POST", "/api/admin/workflows/won-opportunity-onboarding/disable");
  });
});
