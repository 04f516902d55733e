import { describe, expect, it } from "vitest";
import { createEffectRecorder } from "./effect-recorder.ts";
import type { StepContext } from "./step-context.ts";

const context = (stepId: string) => ({ run: { id: "run-1", workflowId: "wf" }, step: { id: stepId }, now: new Date("2026-01-01T00:00:00Z") }) as unknown as StepContext;

describe("createEffectRecorder", () => {
  it("tags a step's record writes with its run and step, with changes from → to and no bookkeeping columns", async () => {
    const recorder = createEffectRecorder();
    await recorder.wrap({ updateRecord: async () => ({ move: { kind: "next" } }) }).updateRecord!(context("noop"));
    await (recorder.wrap({
      updateRecord: async () => {
        await recorder.events.enqueue({} as never, { entity: "deal", type: "updated", records: [{ id: "d1", before: { a: 1, b: "x", version: 1 }, record: { a: 2, b: "x", version: 2, updatedAt: "now" } }] });
        return { move: { kind: "next" } };
      },
    }).updateRecord!(context("set")));
    expect(recorder.all()).toEqual([{ kind: "recordUpdated", entity: "deal", id: "d1", changes: { a: { from: 1, to: 2 } }, runId: "run-1", workflowId: "wf", stepId: "set", invocation: 2, at: "2026-01-01T00:00:00.000Z" }]);
    expect(recorder.calls().map((c) => c.stepId)).toEqual(["noop", "set"]);
  });

  it("ignores writes outside steps (fixtures), drops a failed step's database effects but keeps its HTTP calls", async () => {
    const recorder = createEffectRecorder({ respond: () => ({ status: 201, body: { ok: true } }) });
    await recorder.events.enqueue({} as never, { entity: "deal", type: "created", records: [{ id: "d0", record: { a: 1 } }], actor: { kind: "user", userId: "u" } });
    const failing = recorder.wrap({
      httpRequest: async () => {
        await recorder.events.enqueue({} as never, { entity: "deal", type: "created", records: [{ id: "d1", record: { a: 1 } }] });
        const answer = await recorder.request("https://x.test/a", { method: "POST", headers: {}, body: "{}", signal: AbortSignal.timeout(1000), redirect: "manual" });
        expect([answer.status, await answer.text(), answer.headers.get("content-type")]).toEqual([201, '{"ok":true}', "application/json"]);
        throw new Error("later failure");
      },
    });
    await expect(failing.httpRequest!(context("call"))).rejects.toThrow("later failure");
    expect(recorder.take().map((e) => `${e.stepId}:${e.kind}`)).toEqual(["call:httpRequest"]);
    expect(recorder.all()).toEqual([]);
  });
});
