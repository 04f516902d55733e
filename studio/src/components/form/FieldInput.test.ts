import type { FieldDefinition } from "@crm/core";
import { flushPromises } from "@vue/test-utils";
import { describe, expect, it } from "vitest";
import { mountStudio } from "../../test-support.ts";
import FieldInput from "./FieldInput.vue";

/** Mounted and settled: Element Plus gives its inner input the id after the first render. */
async function mountField(field: FieldDefinition, modelValue: unknown) {
  const wrapper = mountStudio(FieldInput, { props: { field, modelValue, id: "f" } });
  await flushPromises();
  return wrapper;
}
const emitted = (wrapper: Awaited<ReturnType<typeof mountField>>) => wrapper.emitted("update:modelValue")?.at(-1)?.[0];

describe("FieldInput gives each field type its widget and the API's value", () => {
  it("currency: an amount with a code, the field's default code when none was chosen", async () => {
    const field: FieldDefinition = { id: "f-price", key: "price", type: "currency", label: { en: "Price" }, defaultCurrency: "EUR", currencies: ["EUR", "USD"] };
    const wrapper = await mountField(field, null);
    await wrapper.find("input#f").setValue("12.5");
    await wrapper.find("input#f").trigger("blur");
    expect(emitted(wrapper)).toEqual({ amount: 12.5, currency: "EUR" });
    expect(wrapper.find('[aria-label="Currency"]').exists()).toBe(true);
    wrapper.unmount();
  });

  it("datetime: shows the ISO value and keeps it in UTC", async () => {
    const field: FieldDefinition = { id: "f-at", key: "at", type: "datetime", label: { en: "At" } };
    const wrapper = await mountField(field, "2026-03-01T08:30:00.000Z");
    await flushPromises();
    const shown = (wrapper.find("input#f").element as HTMLInputElement).value;
    const local = new Date("2026-03-01T08:30:00.000Z");
    expect(shown).toContain(String(local.getDate()).padStart(2, "0"));
    expect(shown).toContain(String(local.getMinutes()).padStart(2, "0"));
    wrapper.unmount();
  });

  it("text, long text and numbers: a cleared value is null, not an empty string", async () => {
    const wrapper = await mountField({ id: "f-n", key: "n", type: "integer", label: { en: "N" } }, 3);
    await wrapper.find("input#f").setValue("");
    await wrapper.find("input#f").trigger("blur");
    expect(emitted(wrapper)).toBeNull();
    wrapper.unmount();
    const long = await mountField({ id: "f-d", key: "d", type: "longText", label: { en: "D" } }, null);
    expect(long.find("textarea#f").exists()).toBe(true);
    await flushPromises();
    long.unmount();
  });

  it("JSON: parsed when valid, flagged when not", async () => {
    const wrapper = await mountField({ id: "f-j", key: "j", type: "json", label: { en: "J" } }, null);
    await wrapper.find("textarea#f").setValue('{"a": [1, 2]}');
    expect(emitted(wrapper)).toEqual({ a: [1, 2] });
    await wrapper.find("textarea#f").setValue("{oops");
    expect(wrapper.find("textarea#f").attributes("aria-invalid")).toBe("true");
    expect(wrapper.text()).toContain("Not valid JSON");
    await flushPromises();
    wrapper.unmount();
  });

  it("auto numbers are shown read only", async () => {
    const wrapper = await mountField({ id: "f-no", key: "no", type: "autoNumber", label: { en: "No." } }, "C-000042");
    const input = wrapper.find("input#f").element as HTMLInputElement;
    expect(input.value).toBe("C-000042");
    expect(input.disabled).toBe(true);
    wrapper.unmount();
  });
});
