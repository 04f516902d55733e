import { describe, expect, it } from "vitest";
import { filterPaths } from "./filter.ts";
import { filterToConditions, fromViewState, queryToState, stateFilter, stateToQuery, toViewState, type ListState } from "./view-state.ts";
import { account, dealWith } from "../test-entities.ts";

const paths = filterPaths(dealWith("title", "seats", "stage", "amount", "account"), (key) => (key === "account" ? account : undefined));

describe("view state", () => {
  it("reads the builder's own filters back as rows: ANDed conditions, or one or() group", () => {
    expect(filterToConditions(["title:contains:Acme", "seats:gte:3", "amount:isNull:false"], paths)).toEqual({
      conditions: [
        { path: "title", op: "contains", value: "Acme" },
        { path: "seats", op: "gte", value: 3 },
        { path: "amount", op: "isNull", value: false },
      ],
      match: "all",
      extra: [],
    });
    expect(filterToConditions(['or(stage:in:(new),account.name:startsWith:"Ac, Inc")'], paths)).toEqual({
      conditions: [
        { path: "stage", op: "in", value: ["new"] },
        { path: "account.name", op: "startsWith", value: "Ac, Inc" },
      ],
      match: "any",
      extra: [],
    });
  });

  it("keeps filters the builder cannot show (nested groups, unknown fields) as extra filters", () => {
    const read = filterToConditions(["and(or(seats:eq:1,seats:eq:2),title:eq:x)", "secret:eq:1", "title:eq:y"], paths);
    expect(read.conditions).toEqual([{ path: "title", op: "eq", value: "y" }]);
    expect(read.extra).toEqual(["and(or(seats:eq:1,seats:eq:2),title:eq:x)", "secret:eq:1"]);
    expect(stateFilter(read)).toEqual(["title:eq:y", "and(or(seats:eq:1,seats:eq:2),title:eq:x)", "secret:eq:1"]);
  });

  it("round-trips a list through a saved view and through the URL", () => {
    const state: ListState = { columns: ["title", "stage"], sort: "-seats", conditions: [{ path: "stage", op: "eq", value: "new" }, { path: "seats", op: "lt", value: 5 }], match: "any", extra: [], q: " acme " };
    const saved = toViewState(state, "kanban");
    expect(saved).toEqual({ columns: ["title", "stage"], sort: "-seats", filter: ["or(stage:eq:new,seats:lt:5)"], q: "acme", mode: "kanban" });
    expect(fromViewState(saved, paths)).toEqual({ ...state, q: "acme" });

    const query = stateToQuery(state, "view-1");
    expect(query).toEqual({ view: "view-1", q: "acme", sort: "-seats", columns: "title,stage", filter: ["or(stage:eq:new,seats:lt:5)"] });
    const back = queryToState(query as Record<string, string | string[]>, paths);
    expect(back.viewId).toBe("view-1");
    expect(back.state).toEqual({ q: "acme", sort: "-seats", columns: ["title", "stage"], conditions: state.conditions, match: "any", extra: [] });
    expect(queryToState({}, paths)).toEqual({ viewId: undefined, state: {} });
  });
});
