import { describe, expect, it } from "vitest";
import { bulkBody, bulkFields, issuesByRecord } from "./bulk-edit.ts";
import { aggregateQuery, chartData, type ChartSpec } from "./chart-data.ts";
import { conflictRows, resolveConflict } from "./conflict.ts";
import { deal, dealWith } from "../test-entities.ts";

describe("bulk edit", () => {
  it("offers only editable fields the caller may write, never unique ones", () => {
    const def = { ...deal, fields: [...deal.fields, { id: "f-code", key: "code", type: "text" as const, label: { en: "Code" }, unique: true }] };
    const keys = bulkFields(def, (key) => key !== "seats").map((f) => f.key);
    expect(keys).toContain("stage");
    expect(keys).toContain("contacts");
    expect(keys).not.toContain("seats");
    expect(keys).not.toContain("code");
    expect(keys).not.toContain("number");
    expect(keys).not.toContain("lines");
    expect(keys).not.toContain("data");
  });

  it("sends the same changes for every record with its version, clearing to null or []", () => {
    expect(bulkBody(deal, [{ id: "a", version: 2 }, { id: "b", version: 5 }], { stage: "new", tags: [], margin: "" })).toEqual([
      { id: "a", version: 2, stage: "new", tags: [], margin: null },
      { id: "b", version: 5, stage: "new", tags: [], margin: null },
    ]);
  });

  it("reads a batch's issues by record and field", () => {
    expect(issuesByRecord([{ code: "X", pointer: "/1/seats", message: "too many" }, { code: "Y", pointer: "", message: "batch" }])).toEqual([
      { index: 1, field: "seats", message: "too many" },
      { index: undefined, field: undefined, message: "batch" },
    ]);
  });
});

describe("412 compare", () => {
  const def = dealWith("title", "seats", "stage");
  it("lists each changed field with the server's value, marking those someone else changed too", () => {
    const rows = conflictRows(def, { title: "Mine", seats: 4 }, { title: "Start", seats: 2, stage: "new" }, { title: "Theirs", seats: 2, stage: "won" });
    expect(rows.map((r) => [r.field.key, r.mine, r.theirs, r.clash])).toEqual([
      ["title", "Mine", "Theirs", true],
      ["seats", 4, 2, false],
    ]);
    expect(resolveConflict({ title: "Theirs", seats: 2, stage: "won" }, rows, { title: "theirs" })).toEqual({ title: "Theirs", seats: 4, stage: "won" });
  });
});

describe("charts", () => {
  const spec: ChartSpec = { entity: "deal", groupBy: "stage", metric: "sum", metricField: "amount", chart: "bar", filter: ["seats:gt:1"] };
  it("asks the aggregate endpoint for one group and one metric, dates by bucket in time order", () => {
    expect(aggregateQuery(spec)).toEqual({ groupBy: "stage", metrics: "sum:amount", sort: "-sum:amount", limit: 50, filter: ["seats:gt:1"] });
    expect(aggregateQuery({ entity: "deal", groupBy: "closeDate", bucket: "month", metric: "count", chart: "line" })).toEqual({ groupBy: "closeDate:month", metrics: "count", sort: "closeDate", limit: 120 });
  });

  it("labels groups by option and bucket, and reads the metric", () => {
    const stage = deal.fields.find((f) => f.key === "stage");
    expect(chartData(spec, [{ key: { stage: "new" }, count: 2, sum: { amount: 1500.5 } }, { key: { stage: null }, count: 1, sum: { amount: null } }], stage, "en", "(none)")).toEqual({ labels: ["New", "(none)"], values: [1500.5, 0] });
    const monthly: ChartSpec = { entity: "deal", groupBy: "closeDate", bucket: "quarter", metric: "count", chart: "line" };
    expect(chartData(monthly, [{ key: { closeDate: "2026-04-01" }, count: 3 }], undefined, "en", "-")).toEqual({ labels: ["2026 Q2"], values: [3] });
  });
});
