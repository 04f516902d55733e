import type { WorkflowTrigger } from "@crm/core";
import { describe, expect, it } from "vitest";
import { reactive } from "vue";
import { deal } from "../../test-entities.ts";
import { mountStudio } from "../../test-support.ts";
import { IssueMap } from "../designer/draft.ts";
import TriggerEditor from "./TriggerEditor.vue";

describe("trigger editor: inputs of a manual trigger", () => {
  it("adds typed inputs with a label and required flag, shows an issue on its row, and removes them", async () => {
    const trigger = reactive<WorkflowTrigger>({ type: "manual", selection: "one" });
    const issues = new IssueMap([{ code: "INVALID_KEY", pointer: "/trigger/inputs/1/key", message: "Use letters and digits." }]);
    const wrapper = mountStudio(TriggerEditor, { props: { trigger, entity: deal, issues } });
    await wrapper.get('[data-testid="add-input"]').trigger("click");
    await wrapper.get('[data-testid="add-input"]').trigger("click");
    const rows = () => wrapper.findAll("[data-input]");
    expect(rows()).toHaveLength(2);
    await rows()[0]!.get('input[aria-label="Key of input 1"]').setValue("percent");
    await rows()[0]!.get("select").setValue("number");
    const label = rows()[0]!.get('input[aria-label="Label of input 1 (optional)"]');
    await label.setValue("Discount in %");
    await label.trigger("change");
    await rows()[0]!.get('input[type="checkbox"]').setValue(true);
    expect(trigger).toEqual({ type: "manual", selection: "one", inputs: [{ key: "percent", type: "number", label: "Discount in %", required: true }, { key: "input2", type: "text" }] });
    expect(rows()[1]!.text()).toContain("Use letters and digits.");
    expect(rows()[1]!.get('input[aria-label="Key of input 2"]').attributes("aria-invalid")).toBe("true");

    await rows()[0]!.get('input[type="checkbox"]').setValue(false);
    await rows()[1]!.get('button[aria-label="Remove input 2"]').trigger("click");
    await rows()[0]!.get('button[aria-label="Remove input 1"]').trigger("click");
    expect(trigger).toEqual({ type: "manual", selection: "one" });
    wrapper.unmount();
  });

  it("has no inputs for record triggers", () => {
    const wrapper = mountStudio(TriggerEditor, { props: { trigger: reactive<WorkflowTrigger>({ type: "recordCreated" }), entity: deal, issues: new IssueMap() } });
    expect(wrapper.find('[data-testid="trigger-inputs"]').exists()).toBe(false);
    wrapper.unmount();
  });
});
