import type { EntityDefinition } from "@crm/core";
import { describe, expect, it } from "vitest";
import { deal } from "../test-entities.ts";
import { defaultSort, formatSort, formSections, listColumns, parseSort } from "./layout.ts";

const laidOut: EntityDefinition = {
  ...deal,
  layout: {
    list: { columns: [{ field: "title", width: 200 }, { field: "hidden" }, { field: "data" }, { field: "amount" }, { field: "ownerId" }], sort: "-amount,hidden,createdAt" },
    form: {
      sections: [
        { id: "main", label: { en: "Main" }, columns: 3, fields: ["title", "hidden", "stage", "lines"] },
        { id: "more", collapsed: true, fields: ["seats", "title"] },
        { id: "empty", fields: ["hidden"] },
      ],
    },
  },
};

describe("layouts as the studio shows them", () => {
  it("lists the layout's columns the caller can read, system fields included", () => {
    expect(listColumns(laidOut).map((c) => [c.key, c.width])).toEqual([
      ["title", 200],
      ["amount", undefined],
      ["ownerId", undefined],
    ]);
    expect(listColumns(deal).map((c) => c.key)).toEqual(["title", "seats", "stage", "margin", "amount", "tags"]);
  });

  it("sorts by the layout's default sort, less unknown fields", () => {
    expect(defaultSort(laidOut)).toEqual([
      { field: "amount", desc: true },
      { field: "createdAt", desc: false },
    ]);
    expect(parseSort(" -a , b ")).toEqual([
      { field: "a", desc: true },
      { field: "b", desc: false },
    ]);
    expect(formatSort(parseSort("-a,b"))).toBe("-a,b");
    expect(formatSort([])).toBeUndefined();
  });

  it("puts each readable field in one section, the unplaced ones last", () => {
    const sections = formSections(laidOut);
    expect(sections.map((s) => [s.id, s.columns, s.collapsed, s.fields.map((f) => f.key)])).toEqual([
      ["main", 3, false, ["title", "stage"]],
      ["more", 2, true, ["seats"]],
      ["other", 2, false, ["margin", "amount", "tags", "data", "number", "account", "contacts"]],
    ]);
    expect(formSections(deal).map((s) => s.id)).toEqual(["other"]);
  });
});
