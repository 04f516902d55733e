import { flushPromises } from "@vue/test-utils";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createMemoryHistory, createRouter } from "vue-router";
import { account, deal } from "../../test-entities.ts";
import { mountStudio } from "../../test-support.ts";
import DryRunPanel from "./DryRunPanel.vue";
import WorkflowEditor from "./WorkflowEditor.vue";
import WorkflowRuns from "./WorkflowRuns.vue";

const blank = { template: "<div />" };
const router = () =>
  createRouter({
    history: createMemoryHistory(),
    routes: ["adminWorkflow", "adminWorkflowRuns", "adminWorkflowNew", "record"].map((name) => ({ path: `/${name}/:workflowId?/:entity?/:id?`, name, component: blank })),
  });

type Call = { method: string; url: string; body: unknown };
const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { "content-type": status < 300 ? "application/json" : "application/problem+json" } });

describe("workflow editor", () => {
  const calls: Call[] = [];
  let answer: (call: Call) => Response;
  beforeEach(() => {
    vi.stubGlobal("fetch", async (url: string, init: RequestInit = {}) => {
      const call = { method: init.method ?? "GET", url, body: init.body ? JSON.parse(String(init.body)) : undefined };
      calls.push(call);
      if (url === "/api/meta/entities") return json(200, { items: [account, deal].map((definition, i) => ({ id: definition.id, key: definition.key, version: 1, status: "live", definition: { ...definition, id: `e${i}` } })) });
      return answer(call);
    });
  });
  afterEach(() => {
    vi.unstubAllGlobals();
    calls.length = 0;
  });

  it("checks expressions as they are typed and marks the error's position; steps are added and reordered; the server's 422 lands on its input", async () => {
    const wrapper = mountStudio(WorkflowEditor, { global: { plugins: [router()] } });
    await flushPromises();
    await wrapper.get("#wf-id").setValue("account-flow");
    await wrapper.get("#wf-name").setValue("Account flow");
    expect(wrapper.get('[data-testid="workflow-issue-count"]').text()).toContain("1 problem");
    await wrapper.get('[data-testid="add-step-type/steps"]').setValue("condition");
    await wrapper.get('[data-testid="add-step/steps"]').trigger("click");
    expect(wrapper.find('[data-testid="workflow-checked"]').exists()).toBe(true);

    await wrapper.get("#wf-steps-0-if").setValue('industry = "tech" and nme = "x"');
    const error = wrapper.get('[data-pointer="/steps/0/if"] [data-testid="expression-error"]');
    expect(error.get("mark").text()).toBe("nme");
    expect(error.text()).toMatch(/account has no field "nme"|nme/);
    expect(wrapper.get("#wf-steps-0-if").attributes("aria-invalid")).toBe("true");
    await wrapper.get("#wf-steps-0-if").setValue('industry = "tech"');
    expect(wrapper.find('[data-pointer="/steps/0/if"] [data-testid="expression-error"]').exists()).toBe(false);

    await wrapper.get('[data-testid="add-step-type/steps"]').setValue("notify");
    await wrapper.get('[data-testid="add-step/steps"]').trigger("click");
    const order = () => wrapper.findAll('[data-pointer="/steps"] > ol > li').map((li) => li.attributes("data-step"));
    const [first, second] = order();
    await wrapper.get(`[data-step="${second}"] button[aria-label^="Move"][aria-label$="up"]`).trigger("click");
    expect(order()).toEqual([second, first]);
    await wrapper.get(`[data-step="${first}"] button[aria-label^="Remove"]`).trigger("click");
    expect(order()).toEqual([second]);

    answer = () => json(422, { type: "about:blank", code: "WORKFLOW_INVALID", title: "Unprocessable", status: 422, detail: "The workflow definition has problems; see issues.", issues: [{ code: "UNKNOWN_USER", pointer: "/name", message: "Not a name the server likes." }] });
    await wrapper.get("form").trigger("submit");
    await flushPromises();
    const sent = calls.find((c) => c.method === "POST")!;
    expect(sent.url).toBe("/api/admin/workflows");
    expect(sent.body).toMatchObject({ id: "account-flow", entity: "account", steps: [{ type: "notify" }] });
    expect(wrapper.get("#wf-name").attributes("aria-invalid")).toBe("true");
    expect(wrapper.text()).toContain("Not a name the server likes.");
    wrapper.unmount();
  }, 15_000);

  it("lets the runs act as a chosen active user, or as whoever saves the version", async () => {
    const ANN = "00000000-0000-4000-8000-00000000000a";
    const user = (id: string, name: string, active = true) => ({ id, email: `${id}@example.test`, name, locale: "en", active, departmentId: null, managerId: null, roleIds: [] });
    answer = (call) => (call.url.startsWith("/api/admin/users") ? json(200, { items: [user(ANN, "Ann"), user("00000000-0000-4000-8000-00000000000b", "Gone", false)] }) : json(201, { ...(call.body as object), version: 1, enabled: false }));
    const wrapper = mountStudio(WorkflowEditor, { global: { plugins: [router()] } });
    await flushPromises();
    const options = wrapper.findAll("#wf-run-as option").map((o) => o.attributes("value"));
    expect(options).toEqual(["", ANN]);
    await wrapper.get("#wf-id").setValue("as-ann");
    await wrapper.get("#wf-name").setValue("As Ann");
    await wrapper.get('[data-testid="add-step-type/steps"]').setValue("notify");
    await wrapper.get('[data-testid="add-step/steps"]').trigger("click");
    await wrapper.get("#wf-run-as").setValue(ANN);
    await wrapper.get("form").trigger("submit");
    await flushPromises();
    expect(calls.find((c) => c.method === "POST" && c.url === "/api/admin/workflows")?.body, wrapper.text()).toMatchObject({ id: "as-ann", runAs: { userId: ANN } });
    await wrapper.get("#wf-run-as").setValue("");
    expect((wrapper.get("#wf-run-as").element as HTMLSelectElement).value).toBe("");
    wrapper.unmount();
  });

  it("shows a run's steps, retries a failed run from the failed step and cancels it while queued", async () => {
    const run = { id: "r1", workflowId: "w", version: 2, status: "failed", record: { entity: "account", id: "a1" }, trigger: {}, attempts: 3, depth: 0, error: { message: "boom" }, resumeAt: null, startedAt: "2026-01-01T00:00:00Z", updatedAt: "2026-01-01T00:00:00Z", finishedAt: "2026-01-01T00:00:01Z" };
    const steps = [
      { id: 1, stepId: "set", pointer: "/steps/0", type: "updateRecord", recordId: "a1", attempt: 1, status: "succeeded", input: { values: { name: "x" } }, output: { changed: ["name"] }, error: null, startedAt: run.startedAt, durationMs: 4 },
      { id: 2, stepId: "call", pointer: "/steps/1", type: "httpRequest", recordId: "a1", attempt: 3, status: "failed", input: null, output: null, error: { message: "connection refused" }, startedAt: run.startedAt, durationMs: 12 },
    ];
    answer = (call) => {
      if (call.url.startsWith("/api/admin/workflows/w/runs")) return json(200, { items: [run] });
      if (call.url === "/api/admin/workflow-runs/r1" ) return json(200, { ...run, steps });
      if (call.url === "/api/admin/workflow-runs/r1/retry") return json(200, { ...run, status: "queued", steps });
      if (call.url === "/api/admin/workflow-runs/r1/cancel") return json(200, { ...run, status: "cancelled", steps });
      return json(404, { code: "NOT_FOUND", title: "Not found", status: 404 });
    };
    const wrapper = mountStudio(WorkflowRuns, { props: { workflowId: "w" }, global: { plugins: [router()] } });
    await flushPromises();
    await wrapper.get('[data-run="r1"] button').trigger("click");
    await flushPromises();
    expect(wrapper.findAll('[data-testid="run-steps"] tbody tr').map((tr) => tr.attributes("data-status"))).toEqual(["succeeded", "failed"]);
    expect(wrapper.get('[data-step="call"]').text()).toContain("connection refused");
    expect(wrapper.get(`[data-step="call"]`).text()).toContain("12.0 ms");
    expect(wrapper.find('[data-testid="cancel-run"]').exists()).toBe(false);
    await wrapper.get('[data-testid="retry-run"]').trigger("click");
    await flushPromises();
    expect(calls.some((c) => c.method === "POST" && c.url === "/api/admin/workflow-runs/r1/retry")).toBe(true);
    expect(wrapper.get('[data-testid="run-notice"]').text()).toContain("failed step");
    expect(wrapper.find('[data-testid="retry-run"]').exists()).toBe(false);
    await wrapper.get('[data-testid="cancel-run"]').trigger("click");
    await flushPromises();
    expect(calls.some((c) => c.method === "POST" && c.url === "/api/admin/workflow-runs/r1/cancel")).toBe(true);
    expect(wrapper.get('[data-testid="run-notice"]').text()).toBe("Cancelled.");
    expect(wrapper.find('[data-testid="cancel-run"]').exists()).toBe(false);
    wrapper.unmount();
  }, 15_000);

  it("dry-runs the draft on a record and lists each step's effects", async () => {
    const report = { dryRun: true, workflowId: "w", version: null, record: { entity: "account", id: "a1" }, status: "waiting", error: null, pausedAt: { stepId: "ask", type: "approval", reason: "approval", until: null }, steps: [{ stepId: "set", pointer: "/steps/0", type: "updateRecord", recordId: "a1", attempt: 1, status: "succeeded", input: null, output: null, error: null, durationMs: 1, effects: [{ kind: "update", entity: "account", id: "a1" }] }] };
    answer = () => json(200, report);
    const definition = { id: "w", name: "W", entity: "account", trigger: { type: "recordCreated" as const }, steps: [] };
    const wrapper = mountStudio(DryRunPanel, { props: { workflowId: "w", definition: () => definition } });
    await wrapper.get("#wf-dry-record").setValue("a1");
    await wrapper.get("form").trigger("submit");
    await flushPromises();
    expect(calls.at(-1)).toMatchObject({ method: "POST", url: "/api/admin/workflows/w/dry-run", body: { recordId: "a1", definition } });
    expect(wrapper.get('[data-testid="dry-run-status"]').text()).toContain("waiting");
    expect(wrapper.get('[data-step="set"]').text()).toContain('"kind": "update"');
    wrapper.unmount();
  }, 15_000);
});
