import { describe, expect, it } from "vitest";
import { formatSort, type SortKey } from "../../lib/layout.ts";
import { deal } from "../../test-entities.ts";
import { mountStudio } from "../../test-support.ts";
import SortBar from "./SortBar.vue";

describe("SortBar", () => {
  it("toggles and removes sort keys, keeping their precedence", async () => {
    const keys: SortKey[] = [
      { field: "stage", desc: false },
      { field: "amount", desc: true },
    ];
    const wrapper = mountStudio(SortBar, { props: { fields: deal.fields, modelValue: keys } });
    const chips = wrapper.findAll(".chip");
    expect(chips.map((c) => c.text())).toEqual(["1. Stage ↑✕", "2. Amount ↓✕"]);
    await wrapper.find('button[aria-label="Sort Stage ascending; change direction"]').trigger("click");
    expect(formatSort(wrapper.emitted("update:modelValue")![0]![0] as SortKey[])).toBe("-stage,-amount");
    await wrapper.find('button[aria-label="Remove sort by Stage"]').trigger("click");
    expect(formatSort(wrapper.emitted("update:modelValue")![1]![0] as SortKey[])).toBe("-amount");
    wrapper.unmount();
  });
});
