import { parseFilter } from "@crm/core";
import { describe, expect, it } from "vitest";
import { account, deal } from "../test-entities.ts";
import { buildFilter, filterPaths, isSortable, operatorsFor, quoteValue, serializeCondition } from "./filter.ts";

describe("filter syntax", () => {
  it.each([
    [{ path: "stage", op: "eq", value: "won" }, "stage:eq:won"],
    [{ path: "name", op: "eq", value: "Acme, Inc." }, 'name:eq:"Acme, Inc."'],
    [{ path: "name", op: "contains", value: 'say "hi"' }, 'name:contains:"say \\"hi\\""'],
    [{ path: "account.industry", op: "in", value: ["tech", "a, b"] }, 'account.industry:in:(tech,"a, b")'],
    [{ path: "closedAt", op: "isNull", value: true }, "closedAt:isNull"],
    [{ path: "closedAt", op: "isNull", value: false }, "closedAt:isNull:false"],
    [{ path: "amount", op: "gte", value: 1000 }, "amount:gte:1000"],
    [{ path: "amount", op: "gte", value: { amount: 5, currency: "EUR" } }, "amount:gte:5"],
    [{ path: "done", op: "eq", value: false }, "done:eq:false"],
    [{ path: "closedAt", op: "gte", value: "2026-03-01T08:30:00.000Z" }, "closedAt:gte:2026-03-01T08:30:00.000Z"],
    [{ path: "note", op: "eq", value: "back\\slash" }, 'note:eq:"back\\\\slash"'],
  ] as const)("%j → %s", (condition, expected) => {
    const text = serializeCondition({ ...condition, value: structuredClone(condition.value) });
    expect(text).toBe(expected);
    // What the server's own parser reads back: the same path, operator and value(s).
    const parsed = parseFilter(text!);
    expect(parsed.ok, JSON.stringify(parsed)).toBe(true);
    if (!parsed.ok || !("path" in parsed.value)) throw new Error("expected one condition");
    expect(parsed.value.path.join(".")).toBe(condition.path);
    expect(parsed.value.op).toBe(condition.op);
    const value = condition.value as unknown;
    if (Array.isArray(value)) expect(parsed.value.value).toEqual(value);
    else if (typeof value === "string") expect(parsed.value.value).toBe(value);
  });

  it("leaves incomplete conditions out", () => {
    expect(serializeCondition({ path: "name", op: "eq", value: "" })).toBeUndefined();
    expect(serializeCondition({ path: "name", op: "in", value: [] })).toBeUndefined();
    expect(serializeCondition({ path: "", op: "eq", value: "x" })).toBeUndefined();
  });

  it("ANDs by repeating the parameter and ORs in one group", () => {
    const conditions = [
      { path: "a", op: "eq", value: "1" },
      { path: "b", op: "lt", value: 2 },
    ] as const;
    expect(buildFilter(conditions.map((c) => ({ ...c })), "all")).toEqual(["a:eq:1", "b:lt:2"]);
    expect(buildFilter(conditions.map((c) => ({ ...c })), "any")).toEqual(["or(a:eq:1,b:lt:2)"]);
    expect(buildFilter([{ path: "a", op: "eq", value: "1" }], "any")).toEqual(["a:eq:1"]);
  });

  it("quotes only what needs it", () => {
    expect(quoteValue("plain")).toBe("plain");
    expect(quoteValue(" padded")).toBe('" padded"');
    expect(quoteValue("(x)")).toBe('"(x)"');
  });
});

describe("operators and paths", () => {
  it("offers the operators core allows per type (what the server checks)", () => {
    const ops = (key: string) => operatorsFor(deal, deal.fields.find((f) => f.key === key)!);
    expect(ops("title")).toContain("startsWith");
    expect(ops("seats")).not.toContain("contains");
    expect(ops("stage")).toEqual(["eq", "ne", "in", "nin", "isNull"]);
    expect(ops("tags")).toEqual(["contains", "in", "nin", "isNull"]);
    expect(ops("account")).toEqual(["eq", "ne", "in", "nin", "isNull"]);
    expect(ops("contacts")).toEqual([]);
    expect(ops("number")).toContain("contains");
  });

  it("sorts by stored scalar values only", () => {
    const sortable = deal.fields.filter((f) => isSortable(deal, f)).map((f) => f.key);
    expect(sortable).toEqual(["title", "seats", "stage", "margin", "amount", "number"]);
  });

  it("reaches the fields of readable many-to-one targets", () => {
    const paths = filterPaths(deal, (key) => (key === "account" ? account : undefined)).map((p) => p.path);
    const own = ["title", "seats", "stage", "margin", "amount", "tags", "number", "account"];
    expect(paths).toEqual([...own, "account.name", "account.industry"]);
    expect(filterPaths(deal, () => undefined).map((p) => p.path)).toEqual(own);
  });
});
