import { STEP_TYPES, type WorkflowDefinition } from "@crm/core";
import { describe, expect, it } from "vitest";
import { account, deal } from "../../test-entities.ts";
import { checkDraft, literalValue, move, newStep, newWorkflow, stepIds, withTriggerType } from "./workflow-draft.ts";

const entities = [account, deal];
const draft = (steps: WorkflowDefinition["steps"], trigger: WorkflowDefinition["trigger"] = { type: "recordCreated" }): WorkflowDefinition => ({ ...newWorkflow("deal"), id: "deal-flow", name: "Deals", trigger, steps });

describe("workflow draft", () => {
  it("starts every step type in a shape core's compileWorkflow accepts, with fresh ids", () => {
    const steps = STEP_TYPES.map((type, i, all) => newStep(type, all.slice(0, i), deal));
    expect(new Set(steps.map((s) => s.id)).size).toBe(steps.length);
    expect(checkDraft(draft(steps), entities)).toEqual([]);
    expect(stepIds(steps)).toEqual(expect.arrayContaining(steps.map((s) => s.id)));
    // The form shows approval's empty then/else lists; they are left out of what is checked and saved.
    expect(checkDraft(draft([{ id: "ask", type: "approval", approvers: { owner: true }, then: [], else: [] }]), entities)).toEqual([]);
  });

  it("reports an expression's type error at its pointer with its span in the text", () => {
    const issues = checkDraft(draft([{ id: "big", type: "condition", if: "seats + 1", then: [{ id: "done", type: "stop", outcome: "success" }] }], { type: "recordCreated", condition: "titel = 'x'" }), entities);
    const condition = issues.find((i) => i.pointer === "/trigger/condition")!;
    expect(condition).toMatchObject({ code: "UNKNOWN_FIELD", offset: 0, length: 5, line: 1, column: 1 });
    const ifIssue = issues.find((i) => i.pointer === "/steps/0/if")!;
    expect(ifIssue.code).toBe("TYPE_MISMATCH");
    expect(ifIssue.offset).toBe(0);
  });

  it("checks expressions while other parts are still incomplete (no steps yet, a step missing its subject)", () => {
    const noSteps = checkDraft({ ...draft([], { type: "recordCreated", condition: "titel = 'x'" }), name: "" }, entities);
    expect(noSteps.map((i) => `${i.pointer} ${i.code}`)).toEqual(expect.arrayContaining(["/steps TOO_FEW_ITEMS", "/trigger/condition UNKNOWN_FIELD"]));
    const incomplete = checkDraft(draft([{ id: "tell", type: "notify", recipients: {}, subject: "x" } as never, { id: "bad", type: "condition", if: "seats", then: [{ id: "done", type: "stop", outcome: "success" }] }]), entities);
    expect(incomplete.map((i) => i.pointer)).toEqual(expect.arrayContaining(["/steps/0/recipients", "/steps/1/if"]));
  });

  it("reorders within bounds and keeps a trigger's condition across types that have one", () => {
    const list = ["a", "b", "c"];
    move(list, 0, 1);
    expect(list).toEqual(["b", "a", "c"]);
    move(list, 0, -1);
    expect(list).toEqual(["b", "a", "c"]);
    expect(withTriggerType({ type: "recordCreated", condition: "seats > 1" }, "fieldChanged", deal)).toEqual({ type: "fieldChanged", field: "title", condition: "seats > 1" });
    expect(withTriggerType({ type: "recordCreated", condition: "seats > 1" }, "manual", deal)).toEqual({ type: "manual", selection: "one" });
    expect([literalValue(""), literalValue("won"), literalValue('"won"'), literalValue("3")]).toEqual([undefined, "won", "won", 3]);
  });
});
