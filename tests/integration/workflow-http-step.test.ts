import { describe, expect, it } from "vitest";
import { verifyWebhookSignature } from "@crm/runtime";
import { databaseTargets } from "./support/databases.ts";
import { useTestServer, type TestServer } from "./support/test-server.ts";
import { useWebhookReceiver, waitFor } from "./support/webhook-receiver.ts";

const ENV = {
  WORKFLOW_POLL_MS: "50",
  WORKFLOW_BACKOFF_MS: "50",
  WORKFLOW_JOB_POLL_MS: "500",
  // The receiver listens on loopback: allowed here as in the webhook tests, and named in the allow-list.
  WEBHOOK_ALLOW_PRIVATE_TARGETS: "true",
  WORKFLOW_HTTP_ALLOWED_HOSTS: "127.0.0.1, *.example.test",
  WORKFLOW_HTTP_SECRET: "workflow-secret",
};

type Run = { id: string; status: string; error: { message?: string } | null; steps: Array<{ stepId: string; status: string; attempt: number; output: any; error: any }> };

async function finished(server: TestServer, recordId: string, workflowId: string): Promise<Run> {
  const run = await waitFor(
    async () => ((await server.request("GET", `/api/admin/workflow-runs?entity=account&recordId=${recordId}`)).body.items as Array<Run & { workflowId: string }>).find((r) => r.workflowId === workflowId && (r.status === "succeeded" || r.status === "failed")),
    20_000,
    `a finished ${workflowId} run`,
  );
  return (await server.request("GET", `/api/admin/workflow-runs/${run.id}`)).body;
}

describe.each(databaseTargets)("the HTTP request step on $name", (target) => {
  const receiver = useWebhookReceiver();
  const server = useTestServer(target, { env: ENV });

  const workflow = (id: string, url: string, extra: Record<string, unknown> = {}) => ({
    id,
    name: id,
    enabled: true,
    entity: "account",
    trigger: { type: "recordCreated", condition: `name = "${id}"` },
    steps: [{ id: "call", type: "httpRequest", method: "POST", url, headers: { "X-Source": '"crm"' }, body: { id: "id", name: "name", revenue: "annualRevenue" }, sign: true, timeoutMs: 2000, ...extra }],
  });

  it("posts the computed body, signed, with the step's idempotency key, and retries a failed call with the same key", async () => {
    const path = "/crm/accounts";
    receiver.failNext(path, 1);
    expect((await server.request("POST", "/api/admin/workflows", workflow("push-account", `"${receiver.origin}${path}"`))).status).toBe(201);
    const created = await server.request("POST", "/api/records/account", { name: "push-account", annualRevenue: { amount: 1250000.5, currency: "EUR" } });
    const run = await finished(server, created.body.id, "push-account");
    expect(run.status, JSON.stringify(run)).toBe("succeeded");
    expect(run.steps.map((s) => [s.status, s.attempt])).toEqual([["failed", 1], ["succeeded", 2]]);
    expect(run.steps[1]!.output).toMatchObject({ status: 200, body: "ok" });
    const calls = receiver.to(path);
    expect(calls).toHaveLength(2);
    const [first, second] = calls;
    expect(JSON.parse(second!.body)).toEqual({ id: created.body.id, name: "push-account", revenue: { amount: 1250000.5, currency: "EUR" } });
    expect(second!.headers["x-source"]).toBe("crm");
    expect(second!.headers["idempotency-key"]).toBe(first!.headers["idempotency-key"]);
    expect(verifyWebhookSignature("workflow-secret", second!.headers["x-crm-signature"] as string, second!.body)).toBe(true);
  });

  it("refuses hosts outside the allow-list and URLs that are not http, failing the run with the reason", async () => {
    const definition = workflow("push-elsewhere", '"https://api.example.org/accounts"', { retry: { maxAttempts: 1 } });
    expect((await server.request("POST", "/api/admin/workflows", definition)).status).toBe(201);
    const created = await server.request("POST", "/api/records/account", { name: "push-elsewhere" });
    const run = await finished(server, created.body.id, "push-elsewhere");
    expect(run.status).toBe("failed");
    expect(JSON.stringify(run.steps[0]!.error)).toContain("api.example.org is not an allowed host");

    const file = workflow("push-file", '"file:///etc/passwd"', { retry: { maxAttempts: 1 } });
    expect((await server.request("POST", "/api/admin/workflows", file)).status).toBe(201);
    const other = await server.request("POST", "/api/records/account", { name: "push-file" });
    expect(JSON.stringify((await finished(server, other.body.id, "push-file")).steps[0]!.error)).toContain("Only http and https URLs");
  });
});
