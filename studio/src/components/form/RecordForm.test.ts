import { flushPromises } from "@vue/test-utils";
import { createPinia } from "pinia";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { useSessionStore } from "../../stores/session.ts";
import { dealWith } from "../../test-entities.ts";
import { mountStudio } from "../../test-support.ts";
import RecordForm from "./RecordForm.vue";

const deal = dealWith("title", "seats", "stage", "margin");

async function mountForm() {
  const pinia = createPinia();
  const wrapper = mountStudio(RecordForm, { props: { definition: deal } }, pinia);
  const session = useSessionStore(pinia);
  session.permissions = {
    userId: "u1",
    admin: false,
    entities: { deal: { read: "own", update: "own", delete: "none", create: true, import: false, export: false, transfer: false, fields: { title: "write", seats: "write", stage: "write", margin: "read" } } },
  };
  await flushPromises();
  return wrapper;
}

describe("RecordForm", () => {
  const requests: string[] = [];
  beforeEach(() => {
    // No request may leave while the client-side check fails; any that does is recorded and refused.
    vi.stubGlobal("fetch", async (url: string) => {
      requests.push(url);
      throw new Error("no server in component tests");
    });
  });
  afterEach(() => {
    vi.unstubAllGlobals();
    requests.length = 0;
  });

  it("labels every field, and makes a field the user may only read read-only", async () => {
    const wrapper = await mountForm();
    await flushPromises();
    for (const key of ["title", "seats", "stage", "margin"]) {
      const item = wrapper.find(`[data-field="${key}"]`);
      const label = item.find("label");
      expect(label.attributes("for")).toBe(`field-${key}`);
      expect(wrapper.find(`#field-${key}`).exists(), key).toBe(true);
    }
    expect(wrapper.find('[data-field="margin"] label').text()).toContain("read only");
    expect((wrapper.find("#field-margin").element as HTMLInputElement).disabled).toBe(true);
    wrapper.unmount();
  });

  it("checks with core's record validator before sending and puts each issue on its field", async () => {
    const wrapper = await mountForm();
    await wrapper.find("#field-title").setValue("far too long a title");
    await wrapper.find("form").trigger("submit");
    await flushPromises();
    expect(requests).toEqual([]);
    expect(wrapper.find('[data-field="title"]  [data-testid="field-error"]').text()).toMatch(/Title/);
    expect(wrapper.find("#field-title").attributes("aria-invalid")).toBe("true");
    expect(wrapper.find("#field-title").attributes("aria-describedby")).toBe("field-title-error");
    expect(wrapper.find('[data-testid="form-errors"]').exists()).toBe(true);
    wrapper.unmount();
  });

  it("refuses a missing required field on create", async () => {
    const wrapper = await mountForm();
    await wrapper.find("form").trigger("submit");
    await flushPromises();
    expect(requests).toEqual([]);
    expect(wrapper.find('[data-field="title"]  [data-testid="field-error"]').exists()).toBe(true);
    wrapper.unmount();
  });

  it("sends a valid record", async () => {
    const wrapper = await mountForm();
    await wrapper.find("#field-title").setValue("Deal");
    await wrapper.find("form").trigger("submit");
    await flushPromises();
    expect(requests).toEqual(["/api/records/deal"]);
    wrapper.unmount();
  });
});
