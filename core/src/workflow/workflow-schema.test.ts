import workflowSchema from "@crm/schemas/workflow.schema.json" with { type: "json" };
import { describe, expect, it } from "vitest";
import { STEP_TYPES, TRIGGER_TYPES } from "./types.ts";
import { retryDelayMs } from "./retry-delay.ts";

describe("workflow.schema.json", () => {
  it("lists exactly the step and trigger types core knows", () => {
    const types = (name: "step" | "trigger") => workflowSchema.$defs[name].oneOf.map((branch) => branch.properties.type.const);
    expect(types("step")).toEqual([...STEP_TYPES]);
    expect(types("trigger")).toEqual([...TRIGGER_TYPES]);
  });
});

describe("retryDelayMs", () => {
  it("doubles the backoff per attempt and stops after the last one", () => {
    const step = { id: "a", type: "stop" as const, outcome: "success" as const, retry: { maxAttempts: 4, backoffMs: 100 } };
    expect([1, 2, 3, 4].map((attempt) => retryDelayMs(step, attempt))).toEqual([100, 200, 400, undefined]);
    expect(retryDelayMs({ id: "b", type: "stop", outcome: "success" }, 1)).toBe(1000);
  });
});
