import type { EntityDefinition } from "@crm/core";
import { describe, expect, it } from "vitest";
import { nextTick, reactive } from "vue";
import type { MigrationPreview as Preview } from "../../api/admin.ts";
import { mountStudio } from "../../test-support.ts";
import { useEntityDesignerStore } from "./designer-store.ts";
import { IssueMap } from "./draft.ts";
import { dealDefinition } from "./fixtures.test-support.ts";
import FieldEditor from "./FieldEditor.vue";
import LayoutDesigner from "./LayoutDesigner.vue";
import MigrationPreview from "./MigrationPreview.vue";

const preview: Preview = {
  entityId: "deal",
  entityKey: "deal",
  currentVersion: 3,
  stale: false,
  blocked: false,
  requiresConfirmation: ["drop-1"],
  steps: [
    { id: "add-1", kind: "addColumn", class: "additive", description: "Add column note", pointer: "/fields/3", sql: ['ALTER TABLE "data"."deal" ADD COLUMN "note" text'], impacts: [], requiresConfirmation: false },
    { id: "drop-1", kind: "parkColumn", class: "lossy", description: "Delete field stage", pointer: "/fields/1", sql: ["ALTER TABLE x RENAME"], impacts: [{ count: 42, message: "42 records hold a value", blocks: false }], requiresConfirmation: true },
  ],
};

describe("migration preview", () => {
  it("lists steps with class and impact, shows SQL on demand, and enables Apply only once each lossy step is ticked", async () => {
    const wrapper = mountStudio(MigrationPreview, { props: { preview, confirmed: new Set<string>(), applying: false } });
    expect(wrapper.findAll("li.step").map((li) => li.attributes("data-step-class"))).toEqual(["additive", "lossy"]);
    expect(wrapper.text()).toContain("42 records hold a value");
    expect(wrapper.find("pre.sql").exists()).toBe(false);
    await wrapper.findAll("button").find((b) => b.text().includes("Show SQL of step 1"))!.trigger("click");
    expect(wrapper.find("pre.sql").text()).toContain("ADD COLUMN");
    const apply = wrapper.get('[data-testid="apply-migration"]');
    expect(apply.attributes("disabled")).toBeDefined();
    expect(wrapper.text()).toContain("1 left");
    await wrapper.get('input[data-confirm="drop-1"]').setValue(true);
    expect(wrapper.emitted("confirm")).toEqual([["drop-1", true]]);
    await wrapper.setProps({ confirmed: new Set(["drop-1"]) });
    expect(wrapper.get('[data-testid="apply-migration"]').attributes("disabled")).toBeUndefined();
    await wrapper.get('[data-testid="apply-migration"]').trigger("click");
    expect(wrapper.emitted("apply")).toHaveLength(1);
    await wrapper.setProps({ applying: true });
    expect(wrapper.text()).toContain("Applying the migration");
    wrapper.unmount();
  });
});

const deal = dealDefinition;

describe("field editor", () => {
  it("shows the inputs of the field's type and the issue at each input's pointer", async () => {
    const def = deal();
    const issues = new IssueMap([{ code: "INVALID_OPTION_KEY", pointer: "/fields/1/options/0/key", message: "Option keys are lowercase" }]);
    const wrapper = mountStudio(FieldEditor, { props: { field: def.fields[1]!, index: 1, entity: def, targets: [], issues } });
    const key = wrapper.get("#field-1-option-0-key");
    expect(key.attributes("aria-invalid")).toBe("true");
    expect(wrapper.get(`#${key.attributes("aria-describedby")}`).text()).toBe("Option keys are lowercase");
    expect(wrapper.find("#field-1-maxLength").exists()).toBe(false);
    await wrapper.findAll("button").find((b) => b.text() === "Add option")!.trigger("click");
    expect((def.fields[1] as { options: unknown[] }).options).toHaveLength(2);
    await wrapper.get("#field-1-type").setValue("text");
    expect(wrapper.emitted("replace")![0]![0]).toMatchObject({ id: "f2", key: "stage", type: "text" });
    wrapper.unmount();
  });

  it("offers the target entities of a relation and writes the kind", async () => {
    const def = deal();
    def.fields.push({ id: "f3", key: "account", type: "relation", relation: "manyToOne", target: "deal", label: { en: "Account" } });
    const account: EntityDefinition = { id: "account", key: "account", label: { en: "Account" }, fields: [{ id: "a1", key: "name", type: "text", label: { en: "Name" } }] };
    const wrapper = mountStudio(FieldEditor, { props: { field: def.fields[3]!, index: 3, entity: def, targets: [account], issues: new IssueMap() } });
    expect(wrapper.findAll("#field-3-target option").map((o) => o.attributes("value"))).toEqual(["deal", "account"]);
    await wrapper.get("#field-3-target").setValue("account");
    await wrapper.get("#field-3-relation").setValue("manyToMany");
    expect(def.fields[3]).toMatchObject({ target: "account", relation: "manyToMany" });
    wrapper.unmount();
  });
});

describe("layout designer", () => {
  it("arranges sections, columns, sort and the kanban on the definition", async () => {
    const def = reactive(deal());
    const wrapper = mountStudio(LayoutDesigner, { props: { definition: def, issues: new IssueMap() } });
    await wrapper.get('[data-testid="add-section"]').trigger("click");
    await wrapper.get('[data-testid="add-section"]').trigger("click");
    await nextTick();
    const [first, second] = def.layout!.form!.sections;
    expect(first!.fields).toEqual(["name", "stage", "due"]);
    await wrapper.get('select[aria-label="Move Stage to section"]').setValue(second!.id);
    expect(second!.fields).toEqual(["stage"]);
    await wrapper.get("#section-1-columns").setValue("3");
    expect(second!.columns).toBe(3);
    await wrapper.get("#layout-add-column").setValue("stage");
    await wrapper.get("#layout-add-column").setValue("createdAt");
    await wrapper.get('input[aria-label="Width of Stage (px)"]').setValue("160");
    await wrapper.get('button[aria-label="Move column Created up"]').trigger("click");
    await wrapper.get('button[aria-label="Move column Created down"]').trigger("click");
    await wrapper.get("#layout-sort").setValue("-createdAt");
    await wrapper.get("#layout-kanban").setValue("stage");
    expect(def.layout!.list).toEqual({ columns: [{ field: "stage", width: 160 }, { field: "createdAt" }], sort: "-createdAt" });
    expect(def.layout!.kanban).toEqual({ field: "stage" });
    wrapper.unmount();
  });
});

describe("entity designer store", () => {
  it("checks the draft with core's validator and keeps its issues by pointer", () => {
    mountStudio({ template: "<div />" }).unmount();
    const store = useEntityDesignerStore();
    store.draft.label = { en: "Ticket" };
    store.draft.key = "select";
    expect(store.checked()).toBeNull();
    expect(store.issues.at("/key")).toBeTruthy();
    store.draft.key = "ticket";
    store.draft.fields.push({ id: "fx", key: "Bad Key", type: "text", label: { en: "x" } });
    expect(store.checked()).toBeNull();
    expect(store.issues.at("/fields/1/key")).toBeTruthy();
    store.draft.fields.pop();
    expect(store.checked()).toMatchObject({ id: "ticket", key: "ticket" });
    expect(store.issues.size).toBe(0);
  });

  it("is ready to apply once every lossy step of the preview is confirmed", () => {
    mountStudio({ template: "<div />" }).unmount();
    const store = useEntityDesignerStore();
    store.preview = preview;
    expect(store.ready).toBe(false);
    store.confirmStep("drop-1", true);
    expect(store.ready).toBe(true);
    store.confirmStep("drop-1", false);
    expect(store.ready).toBe(false);
  });
});
