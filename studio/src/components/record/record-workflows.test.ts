import { flushPromises } from "@vue/test-utils";
import { describe, expect, it } from "vitest";
import { jsonResponse as json, mountStudio, useApiStub } from "../../test-support.ts";
import RecordWorkflows from "./RecordWorkflows.vue";

const run = (id: string, status: string, steps: unknown[] = [], error: unknown = null) => ({ id, workflowId: "w-follow", workflowName: "Follow up", version: 2, status, error, startedAt: "2026-01-01T09:00:00Z", finishedAt: null, resumeAt: null, steps });
const step = (status: "succeeded" | "failed", errorCode: string | null = null) => ({ stepId: "remind", name: "Remind the owner", type: "notify", status, attempt: status === "failed" ? 2 : 1, errorCode, startedAt: "2026-01-01T09:00:00Z", durationMs: 12 });

describe("a record's workflows", () => {
  const stub = useApiStub();
  const calls = stub.calls;

  it("lists the record's runs with each step's status and error code, and says when there are none", async () => {
    stub.answer = (call) => {
      if (call.url === "/api/workflows/manual?entity=account") return json(200, { items: [] });
      if (call.url === "/api/records/account/a1/workflow-runs?limit=20") return json(200, { items: [run("r2", "failed", [step("succeeded"), step("failed", "HTTP_STEP_FAILED")], { code: "WORKFLOW_STEP_FAILED", stepId: "remind" }), run("r1", "succeeded", [step("succeeded")])] });
      if (call.url === "/api/records/account/a2/workflow-runs?limit=20") return json(200, { items: [] });
      return json(404, { code: "NOT_FOUND", title: "Not found", status: 404 });
    };
    const wrapper = mountStudio(RecordWorkflows, { props: { entity: "account", id: "a1" } });
    await flushPromises();
    const runs = wrapper.findAll("[data-run]");
    expect(runs.map((r) => r.attributes("data-status"))).toEqual(["failed", "succeeded"]);
    expect(runs[0]!.text()).toContain("Follow up");
    expect(runs[0]!.text()).toContain("WORKFLOW_STEP_FAILED");
    expect(runs[0]!.text()).toContain("HTTP_STEP_FAILED");
    expect(runs[0]!.text()).toContain("attempt 2");
    wrapper.unmount();

    const empty = mountStudio(RecordWorkflows, { props: { entity: "account", id: "a2" } });
    await flushPromises();
    expect(empty.text()).toContain("No workflow has run on this record.");
    empty.unmount();
  });

  it("starts a manual workflow on the record, asking for its inputs first and showing a refusal on the input", async () => {
    let refuse = true;
    const manual = [
      { id: "w-call", name: "Log a call", description: null, entity: "account", selection: "one", inputs: [] },
      { id: "w-discount", name: "Offer a discount", description: "Ask for approval", entity: "account", selection: "many", inputs: [{ key: "percent", type: "number", label: "Percent", required: true }, { key: "note", type: "text" }] },
    ];
    stub.answer = (call) => {
      if (call.url === "/api/workflows/manual?entity=account") return json(200, { items: manual });
      if (call.url.startsWith("/api/records/account/a1/workflow-runs")) return json(200, { items: [] });
      if (call.url === "/api/workflows/w-call/runs") return json(202, { runs: [{ id: "r9" }] });
      if (call.url === "/api/workflows/w-discount/runs") {
        if (refuse) return json(422, { code: "VALIDATION_FAILED", title: "Unprocessable", status: 422, detail: "see issues", issues: [{ code: "TOO_LARGE", pointer: "/inputs/percent", message: "At most 50." }] });
        return json(202, { runs: [{ id: "r10" }] });
      }
      return json(404, { code: "NOT_FOUND", title: "Not found", status: 404 });
    };
    const wrapper = mountStudio(RecordWorkflows, { props: { entity: "account", id: "a1" } });
    await flushPromises();

    await wrapper.get('[data-workflow="w-call"]').trigger("click");
    await flushPromises();
    expect(calls.find((c) => c.url === "/api/workflows/w-call/runs")).toMatchObject({ method: "POST", body: { recordIds: ["a1"], inputs: {} } });
    expect(wrapper.emitted("started")).toHaveLength(1);

    await wrapper.get('[data-workflow="w-discount"]').trigger("click");
    const form = wrapper.get('[data-testid="workflow-inputs"]');
    await form.get('input[name="percent"]').setValue("80");
    await form.trigger("submit");
    await flushPromises();
    expect(calls.at(-1)).toMatchObject({ url: "/api/workflows/w-discount/runs", body: { recordIds: ["a1"], inputs: { percent: 80 } } });
    expect(wrapper.get('[data-testid="workflow-inputs"]').text()).toContain("At most 50.");
    expect(wrapper.emitted("started")).toHaveLength(1);

    refuse = false;
    await wrapper.get('input[name="percent"]').setValue("20");
    await wrapper.get('input[name="note"]').setValue("loyal customer");
    await wrapper.get('[data-testid="workflow-inputs"]').trigger("submit");
    await flushPromises();
    expect(calls.at(-2)).toMatchObject({ url: "/api/workflows/w-discount/runs", body: { inputs: { percent: 20, note: "loyal customer" } } });
    expect(wrapper.find('[data-testid="workflow-inputs"]').exists()).toBe(false);
    expect(wrapper.emitted("started")).toHaveLength(2);
    wrapper.unmount();
  });
});
