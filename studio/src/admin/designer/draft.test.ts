import { describe, expect, it } from "vitest";
import type { MigrationPreview } from "../../api/admin.ts";
import { canApply, cleanDefinition, IssueMap, keyFromLabel, moveItem, newEntity, newField, unconfirmed, withType } from "./draft.ts";
import { addSection, moveFieldToSection, tidyLayout, unplacedFields } from "./layout-edit.ts";
import { withoutFieldInLayout } from "./removeField.ts";
import { dealDefinition } from "./fixtures.test-support.ts";

const entity = dealDefinition;

describe("entity designer drafts", () => {
  it("gives new fields a free key, a fresh id and the shape their type needs", () => {
    const def = entity();
    const select = newField("multiSelect", def);
    expect(select.key).toBe("field1");
    expect(def.fields.map((f) => f.id)).not.toContain(select.id);
    expect(select).toMatchObject({ type: "multiSelect", options: [{ key: "option_1" }] });
    const relation = newField("relation", def);
    expect(relation).toMatchObject({ type: "relation", relation: "manyToOne", target: "deal" });
    expect(newField("currency", def)).toMatchObject({ type: "currency", defaultCurrency: "USD" });
  });

  it("keeps common settings and only matching type settings when the type changes", () => {
    const text = { id: "f9", key: "code", type: "text", label: { en: "Code" }, required: true, unique: true, maxLength: 20, pattern: "^[A-Z]+$" } as const;
    expect(withType(text, "email", "deal")).toEqual({ id: "f9", key: "code", type: "email", label: { en: "Code" }, required: true, unique: true, maxLength: 20, pattern: "^[A-Z]+$" });
    expect(withType(text, "integer", "deal")).toEqual({ id: "f9", key: "code", type: "integer", label: { en: "Code" }, required: true, unique: true });
    expect(withType(text, "longText", "deal")).not.toHaveProperty("unique");
    const select = entity().fields[1]!;
    expect(withType(select, "multiSelect", "deal")).toMatchObject({ options: [{ key: "open" }] });
  });

  it("removes what cleared inputs leave (empty strings, empty translations, nulls) before sending", () => {
    const def = newEntity();
    def.key = "ticket";
    def.label = { en: "Ticket", "zh-CN": "" };
    def.fields[0] = { ...def.fields[0]!, help: { en: "", "zh-CN": "" }, maxLength: undefined, pattern: "" } as never;
    const clean = cleanDefinition(def);
    expect(clean.label).toEqual({ en: "Ticket" });
    expect(clean.fields[0]).not.toHaveProperty("help");
    expect(clean.fields[0]).not.toHaveProperty("pattern");
    expect(clean.fields[0]).not.toHaveProperty("maxLength");
  });

  it("moves items and derives keys from labels", () => {
    expect(moveItem(["a", "b", "c"], 2, 0)).toEqual(["c", "a", "b"]);
    expect(moveItem(["a", "b"], 1, 2)).toEqual(["a", "b"]);
    expect(keyFromLabel("Service contract")).toBe("serviceContract");
    expect(keyFromLabel("2 things")).toBe("");
  });

  it("finds issues at an input's pointer or below it, also with the request body's /definition prefix", () => {
    const map = new IssueMap([
      { code: "TOO_LONG", pointer: "/definition/fields/1/options/0/key", message: "bad option" },
      { code: "REQUIRED", pointer: "/label", message: "name it" },
    ]);
    expect(map.at("/fields/1/options/0")).toBe("bad option");
    expect(map.at("/fields/1/options/0/key")).toBe("bad option");
    expect(map.at("/fields/10")).toBeUndefined();
    expect(map.count("/fields/1")).toBe(1);
    expect(map.at("/label")).toBe("name it");
  });

  it("applies only when every lossy step is ticked and nothing blocks", () => {
    const preview = { requiresConfirmation: ["s1", "s2"], blocked: false, steps: [] } as unknown as MigrationPreview;
    expect(unconfirmed(preview, new Set(["s1"]))).toEqual(["s2"]);
    expect(canApply(preview, new Set(["s1"]))).toBe(false);
    expect(canApply(preview, new Set(["s1", "s2"]))).toBe(true);
    expect(canApply({ ...preview, blocked: true }, new Set(["s1", "s2"]))).toBe(false);
  });
});

describe("layout designer edits", () => {
  it("starts sections from the unplaced fields, moves fields between sections and tidies empty parts away", () => {
    const def = entity();
    expect(unplacedFields(def)).toEqual(["name", "stage", "due"]);
    const first = addSection(def, unplacedFields(def));
    const second = addSection(def);
    moveFieldToSection(def, "due", second.id);
    expect(first.fields).toEqual(["name", "stage"]);
    expect(second.fields).toEqual(["due"]);
    expect(unplacedFields(def)).toEqual([]);
    def.layout!.form!.sections.splice(0, 2);
    tidyLayout(def);
    expect(def.layout).toBeUndefined();
  });

  it("takes a deleted field out of every part of the layout", () => {
    const layout = {
      form: { sections: [{ id: "main", fields: ["name", "stage"] }] },
      list: { columns: [{ field: "stage" }], sort: "-stage,name" },
      kanban: { field: "stage" },
      calendar: { startField: "due" },
    };
    expect(withoutFieldInLayout(layout, "stage")).toEqual({ form: { sections: [{ id: "main", fields: ["name"] }] }, calendar: { startField: "due" } });
    expect(withoutFieldInLayout(layout, "due")).not.toHaveProperty("calendar");
  });
});
