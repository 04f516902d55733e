import { flushPromises } from "@vue/test-utils";
import { describe, expect, it } from "vitest";
import { buildFilter, filterPaths, type FilterCondition } from "../../lib/filter.ts";
import { account, dealWith } from "../../test-entities.ts";
import { mountStudio } from "../../test-support.ts";
import FilterBuilder from "./FilterBuilder.vue";

const deal = dealWith("title", "seats", "account");
const paths = filterPaths(deal, (key) => (key === "account" ? account : undefined));

describe("FilterBuilder", () => {
  it("adds a condition with the first field's first operator and applies what was typed", async () => {
    const wrapper = mountStudio(FilterBuilder, { props: { paths, conditions: [], match: "all" } });
    await wrapper.findAll("button").find((b) => b.text().includes("Add condition"))!.trigger("click");
    const row = wrapper.find('[data-testid="filter-row-0"]');
    expect(row.exists()).toBe(true);
    await row.find(".value input").setValue("Acme");
    await wrapper.find("form").trigger("submit");
    const [conditions, match] = wrapper.emitted("apply")![0] as [FilterCondition[], string];
    expect(conditions).toEqual([{ path: "title", op: "contains", value: "Acme" }]);
    expect(buildFilter(conditions, "all")).toEqual(["title:contains:Acme"]);
    expect(match).toBe("all");
    wrapper.unmount();
  });

  it("shows given conditions, including one through a relation, and removes one", async () => {
    const given: FilterCondition[] = [
      { path: "account.name", op: "startsWith", value: "Ac" },
      { path: "seats", op: "in", value: ["1", "2"] },
    ];
    const wrapper = mountStudio(FilterBuilder, { props: { paths, conditions: given, match: "any" } });
    await flushPromises();
    expect(wrapper.findAll('[data-testid^="filter-row-"]')).toHaveLength(2);
    // A list operator on a number is typed comma-separated.
    expect((wrapper.find('[data-testid="filter-row-1"] .value input').element as HTMLInputElement).value).toBe("1, 2");
    await wrapper.find('button[aria-label="Remove condition 1"]').trigger("click");
    await wrapper.find("form").trigger("submit");
    const [conditions, match] = wrapper.emitted("apply")![0] as [FilterCondition[], string];
    expect(conditions).toEqual([given[1]]);
    expect(match).toBe("any");
    wrapper.unmount();
  });
});
