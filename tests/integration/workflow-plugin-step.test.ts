import { execFile } from "node:child_process";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { databaseTargets } from "./support/databases.ts";
import { useTestServer, type TestServer } from "./support/test-server.ts";
import { waitFor } from "./support/webhook-receiver.ts";

const FAST = { WORKFLOW_POLL_MS: "50", WORKFLOW_BACKOFF_MS: "50", WORKFLOW_JOB_POLL_MS: "500" };
const PLUGINS = join(import.meta.dirname, "../../plugins");
const CLI = join(PLUGINS, "sdk/src/cli/crm-plugin.ts");

type Run = { id: string; status: string; error: any; steps: Array<{ stepId: string; status: string; attempt: number; input: any; output: any; error: any }> };

async function finished(server: TestServer, recordId: string, workflowId: string): Promise<Run> {
  const run = await waitFor(
    async () => ((await server.request("GET", `/api/admin/workflow-runs?entity=account&recordId=${recordId}`)).body.items as Array<Run & { workflowId: string }>).find((r) => r.workflowId === workflowId && ["succeeded", "failed"].includes(r.status)),
    30_000,
    `a finished ${workflowId} run`,
  );
  return (await server.request("GET", `/api/admin/workflow-runs/${run.id}`)).body;
}

/** A workflow on accounts whose description changes, running one plugin action. */
const onDescription = (id: string, plugin: string, action: string, retry?: { maxAttempts: number; backoffMs: number }) => ({
  id,
  name: `Run ${plugin}/${action}`,
  enabled: true,
  entity: "account",
  trigger: { type: "recordUpdated", fields: ["description"], condition: `description = "${id}"` },
  steps: [{ id: "act", type: "runPluginAction", plugin, action, ...(retry ? { retry } : {}) }],
});

describe.each(databaseTargets)("the runPluginAction step on $name", (target) => {
  const server = useTestServer(target, { env: FAST });

  beforeAll(async () => {
    // The shipped ABC grading plugin, built and installed by the SDK's CLI as a developer would.
    await new Promise<void>((resolve, reject) =>
      execFile(process.execPath, [CLI, "install", "--dir", "abc-grading", "--url", server.url, "--token", server.admin.token], { cwd: PLUGINS }, (error, _out, stderr) => (error ? reject(new Error(stderr)) : resolve())),
    );
    expect((await server.request("PUT", "/api/admin/plugins/abc-grading/settings", { months: 0 })).status).toBe(200);
    const thrower = "globalThis.plugin = { actions: { explode: async () => { throw new Error('kaboom'); } } };";
    const manifest = { id: "exploder", version: "1.0.0", engine: "^0.1.0", capabilities: { records: { read: ["account"], write: ["account"] } }, actions: [{ name: "explode", label: { en: "Explode" }, entity: "account", selection: "one" }] };
    const installed = await server.request("POST", "/api/admin/plugins", { manifest, code: thrower });
    expect(installed.status, JSON.stringify(installed.body)).toBe(201);
  }, 120_000);

  it("runs the plugin's record action in the step: its host reads and the grade it answers, written as the run", async () => {
    expect((await server.request("POST", "/api/admin/workflows", onDescription("grade-it", "abc-grading", "grade"))).status).toBe(201);
    const account = (await server.request("POST", "/api/records/account", { name: "Graded Co" })).body;
    const won = await server.request("POST", "/api/records/opportunity", { name: "Huge", account: account.id, stage: "closed_won", amount: { amount: 250000, currency: "EUR" } });
    expect(won.status, JSON.stringify(won.body)).toBe(201);
    await server.request("PATCH", `/api/records/account/${account.id}`, { description: "grade-it" });
    const run = await finished(server, account.id, "grade-it");
    expect(run.status, JSON.stringify(run)).toBe("succeeded");
    expect(run.steps).toEqual([
      expect.objectContaining({
        stepId: "act",
        status: "succeeded",
        input: { plugin: "abc-grading", action: "grade", entity: "account", id: account.id },
        output: expect.objectContaining({ message: "1 of 1 grade(s) changed.", changes: [{ id: account.id, grade: "a" }], usage: expect.objectContaining({ rowsRead: expect.any(Number) }) }),
      }),
    ]);
    expect(run.steps[0]!.output.usage.rowsRead).toBeGreaterThanOrEqual(1);
    expect((await server.request("GET", `/api/records/account/${account.id}`)).body.grade).toBe("a");
    const history = await server.request("GET", `/api/records/account/${account.id}/history`);
    expect(history.body.items[0]).toMatchObject({ actor: { kind: "workflow", id: run.id }, changes: { grade: expect.anything() } });
    const invocations = await server.request("GET", "/api/admin/plugins/abc-grading/invocations");
    expect(invocations.body.items[0]).toMatchObject({ kind: "action", name: "grade", entity: "account", recordIds: [account.id], outcome: "ok" });
  });

  it("fails the step naming the plugin, retried per the step's policy; an unknown action too", async () => {
    expect((await server.request("POST", "/api/admin/workflows", onDescription("explode-it", "exploder", "explode", { maxAttempts: 2, backoffMs: 50 }))).status).toBe(201);
    const account = (await server.request("POST", "/api/records/account", { name: "Exploding Co" })).body;
    await server.request("PATCH", `/api/records/account/${account.id}`, { description: "explode-it" });
    const run = await finished(server, account.id, "explode-it");
    expect(run.status).toBe("failed");
    expect(run.error).toMatchObject({ code: "PLUGIN_FAILED", stepId: "act", attempt: 2 });
    expect(run.error.message).toContain('Plugin "exploder"');
    expect(run.error.message).toContain("kaboom");
    expect(run.steps.map((s) => `${s.stepId}:${s.status}:${s.attempt}`)).toEqual(["act:failed:1", "act:failed:2"]);

    expect((await server.request("POST", "/api/admin/workflows", onDescription("missing-action", "abc-grading", "nope", { maxAttempts: 1, backoffMs: 50 }))).status).toBe(201);
    await server.request("PATCH", `/api/records/account/${account.id}`, { description: "missing-action" });
    const missing = await finished(server, account.id, "missing-action");
    expect(missing.error).toMatchObject({ code: "PLUGIN_ACTION_NOT_FOUND", stepId: "act" });
    expect(missing.error.message).toContain('Plugin "abc-grading" has no action "nope"');
  });
});
