import { describe, expect, it } from "vitest";
import { validateDefinition } from "./validate-definition.ts";

const L = (en: string) => ({ en });

/** A deal with one field of each kind a layout cares about. */
function deal(layout: unknown): Record<string, unknown> {
  return {
    id: "deal",
    key: "deal",
    label: L("Deal"),
    fields: [
      { id: "d-name", key: "name", type: "text", label: L("Name") },
      { id: "d-stage", key: "stage", type: "select", label: L("Stage"), options: [{ key: "open", label: L("Open") }, { key: "won", label: L("Won") }] },
      { id: "d-close", key: "closeDate", type: "date", label: L("Close date") },
      { id: "d-meet", key: "meetingAt", type: "datetime", label: L("Meeting") },
      { id: "d-tags", key: "tags", type: "multiSelect", label: L("Tags"), options: [{ key: "a", label: L("A") }] },
      { id: "d-lines", key: "lines", type: "relation", relation: "oneToMany", target: "line", inverse: "deal", label: L("Lines") },
    ],
    layout,
  };
}
const line = {
  id: "line",
  key: "line",
  label: L("Line"),
  fields: [{ id: "l-deal", key: "deal", type: "relation", relation: "manyToOne", target: "deal", label: L("Deal") }],
};
const validate = (layout: unknown) => validateDefinition(deal(layout), { entities: [line as never] });
const issuesOf = (layout: unknown) => {
  const result = validate(layout);
  return result.ok ? [] : result.issues.map((i) => [i.code, i.pointer]);
};

describe("entity layout", () => {
  it("accepts a full layout", () => {
    const layout = {
      form: { sections: [{ id: "main", label: L("Deal"), columns: 2, fields: ["name", "stage", "closeDate"] }, { id: "more", collapsed: true, fields: ["meetingAt", "tags", "lines"] }] },
      list: { columns: [{ field: "name", width: 240 }, { field: "stage" }, { field: "createdAt" }, { field: "ownerId" }], sort: "-closeDate,name" },
      kanban: { field: "stage", cardFields: ["closeDate", "ownerId"] },
      calendar: { startField: "meetingAt", endField: "closeDate" },
    };
    expect(validate(layout)).toEqual({ ok: true, value: expect.objectContaining({ layout }) });
  });

  it.each([
    ["an unknown form field", { form: { sections: [{ id: "s", fields: ["nope"] }] } }, "UNKNOWN_FIELD", "/layout/form/sections/0/fields/0"],
    ["a system field in a form section", { form: { sections: [{ id: "s", fields: ["createdAt"] }] } }, "UNKNOWN_FIELD", "/layout/form/sections/0/fields/0"],
    ["a field in two sections", { form: { sections: [{ id: "a", fields: ["name"] }, { id: "b", fields: ["name"] }] } }, "DUPLICATE_FIELD", "/layout/form/sections/1/fields/0"],
    ["two sections with one id", { form: { sections: [{ id: "a", fields: [] }, { id: "a", fields: [] }] } }, "DUPLICATE_ID", "/layout/form/sections/1/id"],
    ["a to-many column", { list: { columns: [{ field: "lines" }] } }, "NOT_LISTABLE", "/layout/list/columns/0/field"],
    ["a repeated column", { list: { columns: [{ field: "name" }, { field: "name" }] } }, "DUPLICATE_FIELD", "/layout/list/columns/1/field"],
    ["an unknown column", { list: { columns: [{ field: "amount" }] } }, "UNKNOWN_FIELD", "/layout/list/columns/0/field"],
    ["sorting by a multi-select", { list: { columns: [{ field: "name" }], sort: "-tags" } }, "NOT_SORTABLE", "/layout/list/sort"],
    ["a kanban on a text field", { kanban: { field: "name" } }, "NOT_A_SELECT_FIELD", "/layout/kanban/field"],
    ["a kanban card with a to-many relation", { kanban: { field: "stage", cardFields: ["lines"] } }, "NOT_LISTABLE", "/layout/kanban/cardFields/0"],
    ["a calendar on a select", { calendar: { startField: "stage" } }, "NOT_A_DATE_FIELD", "/layout/calendar/startField"],
    ["a calendar end on an unknown field", { calendar: { startField: "closeDate", endField: "endsAt" } }, "UNKNOWN_FIELD", "/layout/calendar/endField"],
  ])("refuses %s", (_name, layout, code, pointer) => {
    expect(issuesOf(layout)).toContainEqual([code, pointer]);
  });

  it("refuses malformed layouts through the schema, with pointers", () => {
    expect(issuesOf({ form: { sections: [] } }).map(([, p]) => p)).toContain("/layout/form/sections");
    expect(issuesOf({ list: { columns: [{ field: "name", width: 5 }] } }).map(([, p]) => p)).toContain("/layout/list/columns/0/width");
    expect(issuesOf({ kanban: { field: "stage", extra: true } }).length).toBeGreaterThan(0);
    expect(issuesOf({ list: { columns: [{ field: "name" }], sort: "name;drop" } }).map(([, p]) => p)).toContain("/layout/list/sort");
  });

  it("does not report a field twice when the field itself is broken", () => {
    const definition = deal({ form: { sections: [{ id: "s", fields: ["stage"] }] } });
    (definition["fields"] as Array<Record<string, unknown>>)[1]!["options"] = "not a list";
    const result = validateDefinition(definition, { entities: [line as never] });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.issues.filter((i) => i.pointer.startsWith("/layout"))).toEqual([]);
  });
});

describe("entity pool", () => {
  const withPool = (pool: unknown) => validateDefinition({ ...deal(undefined), layout: undefined, pool }, { entities: [line as never] });
  it("accepts quotas and a time zone", () => {
    expect(withPool({ claimsPerDay: 10, maxOwned: 200, timeZone: "Asia/Shanghai" }).ok).toBe(true);
    expect(withPool({}).ok).toBe(true);
  });
  it.each([
    [{ claimsPerDay: 0 }, "/pool/claimsPerDay"],
    [{ maxOwned: 1.5 }, "/pool/maxOwned"],
    [{ timeZone: "Mars/Olympus_Mons" }, "/pool/timeZone"],
    [{ timeZone: "UTC; drop" }, "/pool/timeZone"],
    [{ quota: 3 }, "/pool"],
  ])("refuses %j at %s", (pool, pointer) => {
    const result = withPool(pool);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.issues.map((i) => i.pointer)).toContainEqual(expect.stringMatching(new RegExp(`^${pointer}`)));
  });
});
