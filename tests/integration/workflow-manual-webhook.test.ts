import { beforeAll, describe, expect, it } from "vitest";
import { loadShippedWorkflows, signWebhookPayload } from "@crm/runtime";
import { databaseTargets } from "./support/databases.ts";
import { buildOrg, type Org } from "./support/org-fixture.ts";
import { ANONYMOUS, useTestServer, type TestServer } from "./support/test-server.ts";
import { waitFor } from "./support/webhook-receiver.ts";

const FAST = { WORKFLOW_POLL_MS: "50", WORKFLOW_JOB_POLL_MS: "500" };

type Run = { id: string; workflowId: string; status: string; trigger: Record<string, unknown>; steps: Array<{ stepId: string; status: string }> };

async function finishedRun(server: TestServer, id: string): Promise<Run> {
  return waitFor(async () => {
    const run = (await server.request("GET", `/api/admin/workflow-runs/${id}`)).body as Run;
    return run.status === "succeeded" || run.status === "failed" ? run : undefined;
  }, 20_000, `run ${id} to finish`);
}

describe.each(databaseTargets)("manual and inbound webhook triggers, cancel, retention on $name", (target) => {
  const server = useTestServer(target, { env: FAST });
  let org: Org;
  const create = async (entity: string, values: Record<string, unknown>, headers?: Record<string, string>) => {
    const res = await server.request("POST", `/api/records/${entity}`, values, headers);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body as { id: string } & Record<string, unknown>;
  };
  const saveWorkflow = async (definition: unknown) => {
    const saved = await server.request("POST", "/api/admin/workflows", definition);
    expect(saved.status, JSON.stringify(saved.body)).toBe(201);
  };

  beforeAll(async () => {
    org = await buildOrg(server);
    await server.request("PATCH", `/api/admin/users/${org.users.owner.id}`, { managerId: org.users.manager.id });
  });

  describe("manual", () => {
    beforeAll(async () => {
      await saveWorkflow({
        id: "mark-for-review",
        name: "Mark for review",
        enabled: true,
        entity: "account",
        trigger: { type: "manual", selection: "many", inputs: [{ key: "reason", type: "text", required: true, label: "Why" }, { key: "rating", type: "text" }, { key: "until", type: "date" }] },
        steps: [{ id: "note", type: "updateRecord", values: { description: '"Review: " & $reason & coalesce(" until " & text($until), "")' } }],
      });
      await saveWorkflow({ id: "one-at-a-time", name: "One at a time", enabled: true, entity: "account", trigger: { type: "manual" }, steps: [{ id: "end", type: "stop", outcome: "success" }] });
      await saveWorkflow({ id: "not-a-button", name: "On create", enabled: true, entity: "account", trigger: { type: "recordCreated", condition: "false" }, steps: [{ id: "end", type: "stop", outcome: "success" }] });
    });

    it("lists an entity's manual workflows as buttons for a user who may read it", async () => {
      const list = await server.request("GET", "/api/workflows/manual?entity=account", undefined, org.users.owner.headers);
      expect(list.status).toBe(200);
      expect(list.body.items).toEqual([
        { id: "mark-for-review", name: "Mark for review", description: null, entity: "account", selection: "many", inputs: expect.arrayContaining([{ key: "reason", type: "text", required: true, label: "Why" }]) },
        expect.objectContaining({ id: "one-at-a-time", selection: "one", inputs: [] }),
      ]);
      expect((await server.request("GET", "/api/workflows/manual?entity=opportunity", undefined, org.users.owner.headers)).body.items).toEqual([]);
      expect((await server.request("GET", "/api/workflows/manual?entity=account", undefined, org.users.norole.headers)).body.items).toEqual([]);
      expect((await server.request("GET", "/api/workflows/manual", undefined, org.users.owner.headers)).status).toBe(400);
      expect((await server.request("GET", "/api/workflows/manual?entity=account", undefined, ANONYMOUS)).status).toBe(401);
    });

    it("runs on a selection of readable records with checked inputs, once per idempotency key", async () => {
      const mine = await create("account", { name: "Mine A", status: "active" }, org.users.owner.headers);
      const alsoMine = await create("account", { name: "Mine B", status: "active" }, org.users.owner.headers);
      const theirs = await create("account", { name: "Outsider's", status: "active" }, org.users.outsider.headers);
      const run = (body: unknown, headers: Record<string, string> = org.users.owner.headers, workflow = "mark-for-review") => server.request("POST", `/api/workflows/${workflow}/runs`, body, headers);

      const bad = await run({ recordIds: [mine.id, "nope", mine.id], inputs: { until: "2026-02-30", colour: "red" }, extra: 1 });
      expect(bad.status).toBe(422);
      expect(bad.headers.get("content-type")).toMatch(/application\/problem\+json/);
      expect(bad.body.issues.map((i: { pointer: string }) => i.pointer).sort()).toEqual(["/extra", "/inputs/colour", "/inputs/reason", "/inputs/until", "/recordIds/1", "/recordIds/2"]);
      const unreadable = await run({ recordIds: [mine.id, theirs.id], inputs: { reason: "audit" } });
      expect(unreadable.status).toBe(404);
      expect(unreadable.body.issues).toEqual([expect.objectContaining({ code: "RECORD_NOT_FOUND", pointer: "/recordIds/1" })]);
      expect((await run({ recordIds: [mine.id, alsoMine.id] }, org.users.owner.headers, "one-at-a-time")).body.issues).toEqual([expect.objectContaining({ pointer: "/recordIds" })]);
      expect((await run({ recordIds: [mine.id] }, org.users.owner.headers, "not-a-button")).status).toBe(409);
      expect((await run({ recordIds: [mine.id] }, org.users.owner.headers, "no-such-workflow")).status).toBe(404);

      const headers = { ...org.users.owner.headers, "idempotency-key": "review-1" };
      const started = await run({ recordIds: [mine.id, alsoMine.id], inputs: { reason: "renewal", until: "2026-06-30" } }, headers);
      expect(started.status, JSON.stringify(started.body)).toBe(202);
      expect(started.body.runs.map((r: { recordId: string }) => r.recordId)).toEqual([mine.id, alsoMine.id]);
      const again = await run({ recordIds: [mine.id, alsoMine.id], inputs: { reason: "renewal", until: "2026-06-30" } }, headers);
      expect(again.body.runs).toEqual(started.body.runs);
      for (const { id } of started.body.runs) {
        const done = await finishedRun(server, id);
        expect(done).toMatchObject({ status: "succeeded", trigger: { type: "manual", startedBy: org.users.owner.id, variables: { reason: "renewal", until: "2026-06-30", rating: null } } });
      }
      expect((await server.request("GET", `/api/records/account/${mine.id}`)).body.description).toBe("Review: renewal until 2026-06-30");
      expect((await server.sql(`select 1 from workflow_runs where workflow_id = 'mark-for-review'`)).length).toBe(2);
    });
  });

  describe("inbound webhook", () => {
    let secret: string;
    const send = (payload: unknown, options: { delivery?: string; timestamp?: number; key?: string; signature?: string } = {}) => {
      const body = JSON.stringify(payload);
      const signature = options.signature ?? signWebhookPayload(options.key ?? secret, body, options.timestamp ?? Math.floor(Date.now() / 1000));
      return server.request("POST", "/api/workflows/case-from-monitoring/webhook", body, { ...ANONYMOUS, "content-type": "application/json", "x-crm-signature": signature, ...(options.delivery ? { "x-crm-delivery": options.delivery } : {}) });
    };

    beforeAll(async () => {
      await saveWorkflow({
        id: "case-from-monitoring",
        name: "Monitoring alerts escalate cases",
        enabled: true,
        entity: "serviceCase",
        trigger: { type: "webhook", recordIdFrom: "/case/id", inputs: [{ key: "alert", type: "text", required: true }, { key: "severity", type: "number" }] },
        steps: [{ id: "note", type: "updateRecord", values: { description: '$alert & " (severity " & text($severity) & ")"', priority: 'if($severity >= 3, "urgent", "high")' } }],
      });
      const rotated = await server.request("POST", "/api/admin/workflows/case-from-monitoring/webhook-secret");
      expect(rotated.status, JSON.stringify(rotated.body)).toBe(200);
      expect(rotated.body.url).toBe("/api/workflows/case-from-monitoring/webhook");
      secret = rotated.body.secret;
      expect((await server.request("POST", "/api/admin/workflows/case-from-monitoring/webhook-secret", undefined, org.users.owner.headers)).status).toBe(403);
    });

    it("refuses missing, wrong and stale signatures with 401 problem+json", async () => {
      const payload = { alert: "disk full", case: { id: "00000000-0000-4000-8000-000000000000" } };
      for (const options of [{ signature: "" }, { key: "not-the-secret" }, { timestamp: Math.floor(Date.now() / 1000) - 600 }, { signature: "t=1,v1=zz" }]) {
        const res = await send(payload, { ...options, delivery: "d-bad" });
        expect(res.status, JSON.stringify(options)).toBe(401);
        expect(res.body).toMatchObject({ status: 401, code: "WEBHOOK_SIGNATURE_INVALID" });
        expect(res.headers.get("content-type")).toMatch(/application\/problem\+json/);
      }
      expect((await server.sql(`select 1 from workflow_runs where workflow_id = 'case-from-monitoring'`)).length).toBe(0);
    });

    it("starts one run per delivery id with the payload in its expressions, and checks the payload", async () => {
      const ticket = await create("serviceCase", { subject: "Disk alerts", priority: "low", status: "open" });
      const payload = { alert: "disk full", severity: 4, case: { id: ticket.id }, host: "db-1" };
      const first = await send(payload, { delivery: "alert-1" });
      expect(first.status, JSON.stringify(first.body)).toBe(202);
      const replay = await send(payload, { delivery: "alert-1" });
      expect(replay.status).toBe(200);
      expect(replay.body).toEqual({ runId: first.body.runId, duplicate: true });
      const run = await finishedRun(server, first.body.runId);
      expect(run).toMatchObject({ status: "succeeded", trigger: { type: "webhook", recordId: ticket.id, variables: { alert: "disk full", severity: 4, payload } } });
      expect(await server.request("GET", `/api/records/serviceCase/${ticket.id}`).then((r) => r.body)).toMatchObject({ description: "disk full (severity 4)", priority: "urgent" });

      const invalid = await send({ severity: "high", case: { id: "not-a-uuid" } }, { delivery: "alert-2" });
      expect(invalid.status).toBe(422);
      expect(invalid.body.issues.map((i: { pointer: string }) => i.pointer).sort()).toEqual(["/alert", "/case/id", "/severity"]);
      const unknownCase = await send({ alert: "x", case: { id: "00000000-0000-4000-8000-000000000000" } }, { delivery: "alert-3" });
      expect(unknownCase.body.issues).toEqual([expect.objectContaining({ code: "RECORD_NOT_FOUND", pointer: "/case/id" })]);
      expect((await send(payload, {})).status).toBe(400);
      expect((await server.sql(`select 1 from workflow_runs where workflow_id = 'case-from-monitoring'`)).length).toBe(1);
    });
  });

  it("withdraws the pending approval request of a run that is cancelled", async () => {
    await saveWorkflow(loadShippedWorkflows().find((w) => w.id === "discount-approval"));
    const account = await create("account", { name: "Discount Co", status: "active", ownerId: org.users.owner.id });
    const deal = await create("opportunity", { name: "Big discount", account: account.id, stage: "proposal", discount: 10 }, org.users.owner.headers);
    expect((await server.request("PATCH", `/api/records/opportunity/${deal.id}`, { discount: 30 }, org.users.owner.headers)).status).toBe(200);
    const request = await waitFor(
      async () => ((await server.request("GET", "/api/me/approvals", undefined, org.users.manager.headers)).body.items as Array<{ id: string; recordId: string; runId: string }>).find((r) => r.recordId === deal.id),
      20_000,
      "a pending approval",
    );
    const cancelled = await server.request("POST", `/api/admin/workflow-runs/${request.runId}/cancel`);
    expect(cancelled.status, JSON.stringify(cancelled.body)).toBe(200);
    expect((await server.request("GET", `/api/records/opportunity/${deal.id}/approvals`)).body.items).toEqual([expect.objectContaining({ id: request.id, status: "cancelled" })]);
    expect(((await server.request("GET", "/api/me/approvals", undefined, org.users.manager.headers)).body.items as Array<{ id: string }>).map((r) => r.id)).not.toContain(request.id);
    expect([404, 409]).toContain((await server.request("POST", `/api/approvals/${request.id}/decision`, { decision: "approve" }, org.users.manager.headers)).status);
  });

  it("purges finished runs and their steps past the retention, in batches, and keeps unfinished ones", async () => {
    const [waiting] = await server.sql<{ id: string }>(`select id::text as id from workflow_runs limit 1`);
    await server.sql(`update workflow_runs set status = 'waiting', finished_at = null where id = $1::uuid`, [waiting!.id]);
    const count = async (sql: string) => (await server.sql<{ n: number }>(sql))[0]!.n;
    const finished = await count(`select count(*)::int as n from workflow_runs where finished_at is not null`);
    expect(finished).toBeGreaterThanOrEqual(3);
    expect(await server.runtime.workflows.prune(new Date())).toBe(0);
    expect(await server.runtime.workflows.prune(new Date(Date.now() + 91 * 86_400_000), 2)).toBe(finished);
    expect(await count(`select count(*)::int as n from workflow_runs`)).toBe(1);
    expect(await count(`select count(*)::int as n from workflow_step_executions where run_id <> '${waiting!.id}'::uuid`)).toBe(0);
  });
});
