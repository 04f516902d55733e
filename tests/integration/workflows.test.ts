import { describe, expect, it } from "vitest";
import { createRecordWrites, MAX_TRIGGER_DEPTH, transactionDatabase } from "@crm/runtime";
import { databaseTargets } from "./support/databases.ts";
import { useTestServer, type TestServer } from "./support/test-server.ts";
import { waitFor } from "./support/webhook-receiver.ts";

const FAST = { WORKFLOW_POLL_MS: "50", WORKFLOW_BACKOFF_MS: "50", WORKFLOW_JOB_POLL_MS: "500" };

interface Run {
  id: string;
  workflowId: string;
  version: number;
  status: string;
  depth: number;
  error: { code: string; stepId?: string } | null;
  steps: Array<{ stepId: string; status: string; attempt: number; input: any; output: any; error: any; durationMs: number }>;
}

/** A won deal gets a next step and an onboarding task. */
function onboarding(id: string, extra: Record<string, unknown> = {}) {
  return {
    id,
    name: "Won deal → onboarding",
    enabled: true,
    entity: "opportunity",
    trigger: { type: "fieldChanged", field: "stage", to: "closed_won" },
    steps: [
      { id: "next-step", type: "updateRecord", values: { nextStep: '"Kick-off with " & account.name' } },
      { id: "task", type: "createRecord", entity: "activity", values: { subject: '"Onboarding: " & name', type: '"task"', opportunity: "id" } },
    ],
    ...extra,
  };
}

async function deal(server: TestServer, name = "Big deal") {
  const account = await server.request("POST", "/api/records/account", { name: `Acme ${Math.random().toString(36).slice(2, 8)}` });
  expect(account.status, JSON.stringify(account.body)).toBe(201);
  const created = await server.request("POST", "/api/records/opportunity", { name, account: account.body.id, stage: "proposal" });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  return { account: account.body, deal: created.body };
}

async function runsOf(server: TestServer, entity: string, recordId: string): Promise<Run[]> {
  const res = await server.request("GET", `/api/admin/workflow-runs?entity=${entity}&recordId=${recordId}`);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body.items;
}

async function finishedRun(server: TestServer, entity: string, recordId: string, status = "succeeded", workflowId?: string): Promise<Run> {
  const run = await waitFor(async () => (await runsOf(server, entity, recordId)).find((r) => r.status === status && (workflowId === undefined || r.workflowId === workflowId)), 15_000, `a ${status} run`);
  return (await server.request("GET", `/api/admin/workflow-runs/${run.id}`)).body;
}

describe.each(databaseTargets)("workflows on $name", (target) => {
  const server = useTestServer(target, { env: FAST });

  describe("admin API", () => {
    it("refuses an invalid definition with every issue and its pointer, as problem+json", async () => {
      const res = await server.request("POST", "/api/admin/workflows", {
        ...onboarding("bad-one"),
        steps: [{ id: "c", type: "condition", if: 'stage = "closed_wno" and amout > 1', then: [{ id: "s", type: "stop", outcome: "success" }] }, { id: "u", type: "updateRecord", values: { colour: '"red"' } }],
      });
      expect(res.status).toBe(422);
      expect(res.headers.get("content-type")).toMatch(/^application\/problem\+json/);
      expect(res.body.code).toBe("WORKFLOW_INVALID");
      expect(res.body.issues.map((i: { code: string; pointer: string }) => `${i.code} ${i.pointer}`).sort()).toEqual(["UNKNOWN_FIELD /steps/0/if", "UNKNOWN_FIELD /steps/1/values/colour", "UNKNOWN_OPTION /steps/0/if"]);
      expect(res.body.issues.find((i: { code: string }) => i.code === "UNKNOWN_OPTION")).toMatchObject({ offset: 8, line: 1, column: 9 });
    });

    it("creates, versions, enables and disables a workflow", async () => {
      const created = await server.request("POST", "/api/admin/workflows", onboarding("versioned", { enabled: false }));
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      expect(created.body).toMatchObject({ id: "versioned", version: 1, enabled: false });
      expect(created.headers.get("location")).toBe("/api/admin/workflows/versioned");
      expect((await server.request("POST", "/api/admin/workflows", onboarding("versioned"))).status).toBe(409);
      const changed = await server.request("PUT", "/api/admin/workflows/versioned", { ...onboarding("versioned"), id: undefined, name: "Renamed" });
      expect(changed.status, JSON.stringify(changed.body)).toBe(200);
      expect(changed.body).toMatchObject({ version: 2, name: "Renamed", enabled: true });
      expect((await server.request("GET", "/api/admin/workflows/versioned/versions/1")).body).toMatchObject({ version: 1, name: "Won deal → onboarding" });
      expect((await server.request("POST", "/api/admin/workflows/versioned/disable")).body).toMatchObject({ enabled: false, version: 2 });
      expect((await server.request("GET", "/api/admin/workflows")).body.items.map((w: { id: string }) => w.id)).toContain("versioned");
      const missing = await server.request("GET", "/api/admin/workflows/nope");
      expect(missing.status).toBe(404);
      expect(missing.body.code).toBe("WORKFLOW_NOT_FOUND");
      expect((await server.request("PUT", "/api/admin/workflows/versioned", { ...onboarding("other") })).body.issues).toEqual([expect.objectContaining({ code: "ID_MISMATCH", pointer: "/id" })]);
      const audit = await server.sql<{ action: string; actor_user_id: string }>(`select action, actor_user_id::text as actor_user_id from admin_audit_log where subject = 'versioned' order by id`);
      expect(audit).toEqual(["workflow_created", "workflow_changed", "workflow_disabled"].map((action) => ({ action, actor_user_id: server.admin.userId })));
    });
  });

  it("runs a workflow on a committed write as its declared identity, every step visible with input and output", async () => {
    expect((await server.request("POST", "/api/admin/workflows", onboarding("onboarding"))).status).toBe(201);
    const { account, deal: opportunity } = await deal(server);
    const won = await server.request("PATCH", `/api/records/opportunity/${opportunity.id}`, { stage: "closed_won" });
    expect(won.status, JSON.stringify(won.body)).toBe(200);
    const run = await finishedRun(server, "opportunity", opportunity.id);
    expect(run).toMatchObject({ workflowId: "onboarding", version: 1, depth: 0, error: null });
    expect(run.steps.map((s) => `${s.stepId}:${s.status}:${s.attempt}`)).toEqual(["next-step:succeeded:1", "task:succeeded:1"]);
    expect(run.steps[0]!.input).toMatchObject({ changes: { nextStep: `Kick-off with ${account.name}` } });
    expect(run.steps[1]!.output).toMatchObject({ entity: "activity", id: expect.any(String) });
    const task = await server.request("GET", `/api/records/activity/${run.steps[1]!.output.id}`);
    expect(task.body).toMatchObject({ subject: "Onboarding: Big deal", opportunity: opportunity.id, ownerId: server.admin.userId });
    const after = await server.request("GET", `/api/records/opportunity/${opportunity.id}`);
    expect(after.body.nextStep).toBe(`Kick-off with ${account.name}`);
    const history = await server.request("GET", `/api/records/opportunity/${opportunity.id}/history`);
    expect(history.body.items[0]).toMatchObject({ actor: { kind: "workflow", id: run.id, userId: server.admin.userId }, changes: { nextStep: expect.anything() } });
    // Another stage change (not to closed_won) starts nothing.
    await server.request("PATCH", `/api/records/opportunity/${opportunity.id}`, { stage: "negotiation" });
    await server.runtime.workflows.dispatcher.drainNow();
    expect(await runsOf(server, "opportunity", opportunity.id)).toHaveLength(1);
    await server.request("POST", "/api/admin/workflows/onboarding/disable");
  });

  it("enqueues nothing for writes to an entity whose enabled workflows only run on schedules, buttons or webhooks", async () => {
    const { db, registry, workflows } = server.runtime;
    const caller = { subject: { userId: server.admin.userId, roles: [{ id: "x", key: "admin", permissions: { admin: true } }], teamIds: [], departmentId: null }, userId: server.admin.userId, actor: { kind: "system" }, admin: true, access: () => ({}), policy: undefined } as never;
    /** Outbox rows a product create leaves in its transaction (rolled back after counting). */
    const enqueued = () =>
      db
        .transaction(async (tx) => {
          const writes = createRecordWrites({ db: transactionDatabase(db, tx), registry, events: workflows.events });
          const tag = Math.random().toString(36).slice(2, 8);
          await writes.create("product", { name: `Widget ${tag}`, code: `W-${tag}` }, caller);
          throw Object.assign(new Error("counted"), { n: (await tx.query<{ n: number }>(`select count(*)::int as n from workflow_outbox where entity = 'product'`))[0]!.n });
        })
        .catch((error: { n?: number; message?: string }) => error.n ?? error.message);
    const step = [{ id: "end", type: "stop", outcome: "success" }];
    for (const [id, trigger] of [["product-button", { type: "manual" }], ["product-nightly", { type: "schedule", cron: "0 3 * * *" }], ["product-hook", { type: "webhook" }]] as const) {
      const created = await server.request("POST", "/api/admin/workflows", { id, name: id, enabled: true, entity: "product", trigger, steps: step });
      expect(created.status, JSON.stringify(created.body)).toBe(201);
    }
    await workflows.reload();
    expect(await enqueued()).toBe(0);
    expect((await server.request("POST", "/api/admin/workflows", { id: "product-created", name: "On a new product", enabled: true, entity: "product", trigger: { type: "recordCreated" }, steps: step })).status).toBe(201);
    await workflows.reload();
    expect(await enqueued()).toBe(1);
    for (const id of ["product-button", "product-nightly", "product-hook", "product-created"]) await server.request("POST", `/api/admin/workflows/${id}/disable`);
    await workflows.reload();
  });

  it("captures triggers in the write's transaction: a rolled-back write starts nothing, a committed one its run", async () => {
    expect((await server.request("POST", "/api/admin/workflows", onboarding("atomic"))).status).toBe(201);
    const { deal: opportunity } = await deal(server, "Atomic deal");
    const { db, registry, workflows } = server.runtime;
    await workflows.dispatcher.drainNow();
    const caller = { subject: { userId: server.admin.userId, roles: [{ id: "x", key: "admin", permissions: { admin: true } }], teamIds: [], departmentId: null }, userId: server.admin.userId, actor: { kind: "system" }, admin: true, access: () => ({}), policy: undefined } as never;
    const rolledBack = await db
      .transaction(async (tx) => {
        const writes = createRecordWrites({ db: transactionDatabase(db, tx), registry, events: workflows.events });
        await writes.update("opportunity", opportunity.id, { stage: "closed_won" }, caller);
        expect((await tx.query(`select count(*)::int as n from workflow_outbox where record_id = $1 and event = 'updated'`, [opportunity.id]))[0]).toEqual({ n: 1 });
        throw new Error("roll back");
      })
      .catch((error: Error) => error.message);
    expect(rolledBack).toBe("roll back");
    await workflows.dispatcher.drainNow();
    expect(await server.sql(`select * from workflow_outbox where record_id = $1`, [opportunity.id])).toHaveLength(0);
    expect(await runsOf(server, "opportunity", opportunity.id)).toHaveLength(0);
    await server.request("PATCH", `/api/records/opportunity/${opportunity.id}`, { stage: "closed_won" });
    await finishedRun(server, "opportunity", opportunity.id);
    await server.request("POST", "/api/admin/workflows/atomic/disable");
  });

  it("retries a failing step with backoff, keeps the triggering write, and retries a failed run from the failed step", async () => {
    const definition = onboarding("retrying", {
      steps: [
        { id: "first", type: "updateRecord", values: { description: '"touched"' } },
        { id: "parse", type: "updateRecord", retry: { maxAttempts: 2, backoffMs: 50 }, values: { probability: "value(nextStep)" } },
      ],
    });
    expect((await server.request("POST", "/api/admin/workflows", definition)).status).toBe(201);
    const { deal: opportunity } = await deal(server, "Retry deal");
    await server.request("PATCH", `/api/records/opportunity/${opportunity.id}`, { nextStep: "soon" });
    await server.request("PATCH", `/api/records/opportunity/${opportunity.id}`, { stage: "closed_won" });
    const failed = await finishedRun(server, "opportunity", opportunity.id, "failed", "retrying");
    expect(failed.error).toMatchObject({ code: "WORKFLOW_STEP_FAILED", stepId: "parse" });
    expect(failed.steps.map((s) => `${s.stepId}:${s.status}:${s.attempt}`)).toEqual(["first:succeeded:1", "parse:failed:1", "parse:failed:2"]);
    expect(failed.steps[1]!.error).toMatchObject({ code: "WORKFLOW_STEP_FAILED", issues: [expect.objectContaining({ code: "INVALID_ARGUMENT", pointer: "/steps/1/values/probability" })] });
    const record = (await server.request("GET", `/api/records/opportunity/${opportunity.id}`)).body;
    expect(record).toMatchObject({ stage: "closed_won", description: "touched" });
    expect(record.probability ?? null).toBeNull();
    await server.request("PATCH", `/api/records/opportunity/${opportunity.id}`, { nextStep: "40" });
    const retried = await server.request("POST", `/api/admin/workflow-runs/${failed.id}/retry`);
    expect(retried.status, JSON.stringify(retried.body)).toBe(200);
    expect(retried.body.status).toBe("queued");
    const done = await finishedRun(server, "opportunity", opportunity.id, "succeeded", "retrying");
    expect(done.id).toBe(failed.id);
    expect(done.steps.map((s) => `${s.stepId}:${s.status}`)).toEqual(["first:succeeded", "parse:failed", "parse:failed", "parse:succeeded"]);
    expect((await server.request("GET", `/api/records/opportunity/${opportunity.id}`)).body.probability).toBe(40);
    expect((await server.request("POST", `/api/admin/workflow-runs/${failed.id}/retry`)).status).toBe(409);
    await server.request("POST", "/api/admin/workflows/retrying/disable");
  });

  it("finishes a run on the version it started with, whatever is saved later", async () => {
    const v1 = onboarding("pinned", { steps: [{ id: "parse", type: "updateRecord", retry: { maxAttempts: 1 }, values: { probability: "value(nextStep)" } }] });
    expect((await server.request("POST", "/api/admin/workflows", v1)).status).toBe(201);
    const { deal: opportunity } = await deal(server, "Pinned deal");
    await server.request("PATCH", `/api/records/opportunity/${opportunity.id}`, { nextStep: "later" });
    await server.request("PATCH", `/api/records/opportunity/${opportunity.id}`, { stage: "closed_won" });
    const failed = await finishedRun(server, "opportunity", opportunity.id, "failed", "pinned");
    const v2 = await server.request("PUT", "/api/admin/workflows/pinned", { ...v1, steps: [{ id: "parse", type: "updateRecord", values: { description: '"version 2"' } }] });
    expect(v2.body.version).toBe(2);
    await server.request("PATCH", `/api/records/opportunity/${opportunity.id}`, { nextStep: "12" });
    expect((await server.request("POST", `/api/admin/workflow-runs/${failed.id}/retry`)).status).toBe(200);
    const done = await finishedRun(server, "opportunity", opportunity.id, "succeeded", "pinned");
    expect(done).toMatchObject({ id: failed.id, version: 1 });
    const record = (await server.request("GET", `/api/records/opportunity/${opportunity.id}`)).body;
    expect(record.probability).toBe(12);
    expect(record.description ?? null).toBeNull();
    await server.request("POST", "/api/admin/workflows/pinned/disable");
  });

  it("cancels a run waiting for its retry", async () => {
    const definition = onboarding("cancelled", { steps: [{ id: "parse", type: "updateRecord", retry: { maxAttempts: 5, backoffMs: 600000 }, values: { probability: "value(name)" } }] });
    expect((await server.request("POST", "/api/admin/workflows", definition)).status).toBe(201);
    const { deal: opportunity } = await deal(server, "not a number");
    await server.request("PATCH", `/api/records/opportunity/${opportunity.id}`, { stage: "closed_won" });
    const waiting = await finishedRun(server, "opportunity", opportunity.id, "retrying");
    const cancelled = await server.request("POST", `/api/admin/workflow-runs/${waiting.id}/cancel`);
    expect(cancelled.status).toBe(200);
    expect(cancelled.body.status).toBe("cancelled");
    expect((await server.request("POST", `/api/admin/workflow-runs/${waiting.id}/cancel`)).status).toBe(409);
    await server.request("POST", "/api/admin/workflows/cancelled/disable");
  });

  it("finds records and loops over them, branching on each, and reads related records in the trigger's condition", async () => {
    const definition = {
      id: "account-activated",
      name: "Account activated → contacts",
      enabled: true,
      entity: "account",
      trigger: { type: "fieldChanged", field: "status", to: "active", condition: 'isChanged(status) and name != ""' },
      steps: [
        {
          id: "contacts",
          type: "findRecords",
          entity: "contact",
          where: [{ field: "account", op: "eq", value: "id" }],
          sort: "lastName",
          limit: 10,
          steps: [
            {
              id: "vip",
              type: "branch",
              branches: [{ when: 'lastName = "Alpha"', steps: [{ id: "mark-vip", type: "updateRecord", values: { description: '"VIP of " & account.name' } }] }],
              otherwise: [{ id: "mark-other", type: "updateRecord", values: { description: '"contact of " & account.name' } }],
            },
          ],
        },
        { id: "check", type: "condition", if: "count([1, 2]) = 2", then: [{ id: "done", type: "stop", outcome: "success" }], else: [{ id: "never", type: "updateRecord", values: { description: '"wrong"' } }] },
        { id: "unreached", type: "updateRecord", values: { description: '"after stop"' } },
      ],
    };
    const created = await server.request("POST", "/api/admin/workflows", definition);
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const account = (await server.request("POST", "/api/records/account", { name: "Loop Co", status: "prospect" })).body;
    const other = (await server.request("POST", "/api/records/account", { name: "Elsewhere", status: "prospect" })).body;
    const alpha = (await server.request("POST", "/api/records/contact", { lastName: "Alpha", account: account.id })).body;
    const beta = (await server.request("POST", "/api/records/contact", { lastName: "Beta", account: account.id })).body;
    const outsider = (await server.request("POST", "/api/records/contact", { lastName: "Gamma", account: other.id })).body;
    await server.request("PATCH", `/api/records/account/${account.id}`, { status: "active" });
    const run = await finishedRun(server, "account", account.id, "succeeded", "account-activated");
    expect(run.steps.map((s) => `${s.stepId}:${s.status}`)).toEqual(["contacts:succeeded", "vip:succeeded", "mark-vip:succeeded", "vip:succeeded", "mark-other:succeeded", "check:succeeded", "done:succeeded"]);
    expect(run.steps[0]!.output).toEqual({ count: 2, ids: [alpha.id, beta.id] });
    expect(run.steps[2]).toMatchObject({ recordId: alpha.id, input: { entity: "contact", id: alpha.id, changes: { description: "VIP of Loop Co" } } });
    expect((await server.request("GET", `/api/records/contact/${alpha.id}`)).body.description).toBe("VIP of Loop Co");
    expect((await server.request("GET", `/api/records/contact/${beta.id}`)).body.description).toBe("contact of Loop Co");
    expect((await server.request("GET", `/api/records/contact/${outsider.id}`)).body.description ?? null).toBeNull();
    expect((await server.request("GET", `/api/records/account/${account.id}`)).body.description ?? null).toBeNull();
    await server.request("POST", "/api/admin/workflows/account-activated/disable");
  });

  it("starts only when a trigger condition through a relation holds", async () => {
    const created = await server.request("POST", "/api/admin/workflows", onboarding("active-accounts-only", { trigger: { type: "fieldChanged", field: "stage", to: "closed_won", condition: 'account.status = "active"' } }));
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const { account, deal: active } = await deal(server, "Active deal");
    await server.request("PATCH", `/api/records/account/${account.id}`, { status: "active" });
    const { deal: prospect } = await deal(server, "Prospect deal");
    await server.request("PATCH", `/api/records/opportunity/${prospect.id}`, { stage: "closed_won" });
    await server.request("PATCH", `/api/records/opportunity/${active.id}`, { stage: "closed_won" });
    await finishedRun(server, "opportunity", active.id, "succeeded", "active-accounts-only");
    await server.runtime.workflows.dispatcher.drainNow();
    expect((await runsOf(server, "opportunity", prospect.id)).filter((r) => r.workflowId === "active-accounts-only")).toEqual([]);
    await server.request("POST", "/api/admin/workflows/active-accounts-only/disable");
  });

  it("answers hostile definitions over HTTP with 4xx problems, never a 5xx", async () => {
    let steps: unknown[] = [{ id: "leaf", type: "stop", outcome: "success" }];
    for (let i = 0; i < 40; i++) steps = [{ id: `c${i}`, type: "condition", if: "true", then: steps }];
    const deep = await server.request("POST", "/api/admin/workflows", onboarding("too-deep", { steps }));
    expect(deep.status).toBeGreaterThanOrEqual(400);
    expect(deep.status).toBeLessThan(500);
    const huge = await server.request("POST", "/api/admin/workflows", onboarding("huge", { steps: [{ id: "c", type: "condition", if: `${"(".repeat(200)}1${")".repeat(200)} = 1`, then: [{ id: "s", type: "stop", outcome: "success" }] }] }));
    expect(huge.status).toBe(422);
    expect(huge.body.issues).toEqual([expect.objectContaining({ code: "EXPRESSION_TOO_DEEP", pointer: "/steps/0/if" })]);
  });

  it("stops a workflow that triggers itself at the documented depth", async () => {
    const definition = {
      id: "self-trigger",
      name: "Touches its own record",
      enabled: true,
      entity: "account",
      trigger: { type: "recordUpdated", fields: ["description"] },
      steps: [{ id: "touch", type: "updateRecord", values: { description: 'coalesce(description, "") & "x"' } }],
    };
    expect((await server.request("POST", "/api/admin/workflows", definition)).status).toBe(201);
    const account = (await server.request("POST", "/api/records/account", { name: "Loop Ltd" })).body;
    await server.request("PATCH", `/api/records/account/${account.id}`, { description: "start" });
    const guarded = await finishedRun(server, "account", account.id, "failed");
    expect(guarded).toMatchObject({ depth: MAX_TRIGGER_DEPTH + 1, error: { code: "LOOP_DEPTH_EXCEEDED" }, steps: [] });
    const runs = await runsOf(server, "account", account.id);
    expect(runs.map((r) => r.depth).sort()).toEqual([0, 1, 2, 3, 4, 5, 6].slice(0, MAX_TRIGGER_DEPTH + 2));
    expect((await server.request("GET", `/api/records/account/${account.id}`)).body.description).toBe(`start${"x".repeat(MAX_TRIGGER_DEPTH + 1)}`);
    await server.request("POST", "/api/admin/workflows/self-trigger/disable");
  });
});
