import { flushPromises } from "@vue/test-utils";
import { createPinia } from "pinia";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { RecordData } from "../api/index.ts";
import { useSessionStore } from "../stores/session.ts";
import { dealWith } from "../test-entities.ts";
import { mountStudio } from "../test-support.ts";
import RecordForm from "./form/RecordForm.vue";
import BulkEditDialog from "./list/BulkEditDialog.vue";
import ViewPicker from "./list/ViewPicker.vue";

const deal = dealWith("title", "seats", "stage");
type Call = { method: string; url: string; body: unknown; headers: Record<string, string> };

/** Answers requests in order from `replies`, recording each. */
function serve(replies: Array<{ status: number; body?: unknown }>): Call[] {
  const calls: Call[] = [];
  vi.stubGlobal("fetch", async (url: string, init: RequestInit) => {
    calls.push({ method: init.method ?? "GET", url, body: init.body ? JSON.parse(String(init.body)) : undefined, headers: init.headers as Record<string, string> });
    const reply = replies.shift() ?? { status: 500, body: { code: "NO_REPLY", title: "no reply" } };
    const type = reply.status >= 400 ? "application/problem+json" : "application/json";
    return new Response(reply.body === undefined ? null : JSON.stringify(reply.body), { status: reply.status, headers: { "content-type": type } });
  });
  return calls;
}

function withSession() {
  const pinia = createPinia();
  return {
    pinia,
    grant(fields: Record<string, "read" | "write">) {
      useSessionStore(pinia).permissions = { userId: "u1", admin: false, entities: { deal: { read: "all", update: "all", delete: "none", create: true, import: false, export: false, transfer: false, fields } } };
    },
  };
}

const record = (values: Partial<RecordData>): RecordData => ({ id: "d1", version: 1, createdAt: "2026-01-01T00:00:00Z", updatedAt: "2026-01-01T00:00:00Z", ownerId: "u1", title: "Start", seats: 2, stage: "new", ...values });

afterEach(() => vi.unstubAllGlobals());

describe("RecordForm on 412", () => {
  it("compares my changes with the current version and re-saves my choices on it", async () => {
    const { pinia, grant } = withSession();
    const wrapper = mountStudio(RecordForm, { props: { definition: deal, record: record({}) } }, pinia);
    grant({ title: "write", seats: "write", stage: "write" });
    await flushPromises();
    const calls = serve([
      { status: 412, body: { code: "PRECONDITION_FAILED", title: "The record changed since it was read" } },
      { status: 200, body: record({ version: 2, title: "Theirs", seats: 2 }) },
      { status: 200, body: record({ version: 3, title: "Theirs", seats: 5 }) },
    ]);
    await wrapper.find("#field-title").setValue("Mine");
    await wrapper.find("#field-seats").setValue("5");
    await wrapper.find("#field-seats").trigger("blur");
    await wrapper.find("form").trigger("submit");
    await flushPromises();
    expect(wrapper.find('[data-testid="conflict"]').exists()).toBe(true);

    await wrapper.find('[data-testid="compare-open"]').trigger("click");
    await flushPromises();
    const rows = wrapper.findAll('[data-testid="compare"] tbody tr');
    expect(rows.map((r) => [r.attributes("data-field"), r.find('[data-testid="mine"]').text(), r.find('[data-testid="theirs"]').text()])).toEqual([
      ["title", "Mine", "Theirs"],
      ["seats", "5", "2 (no conflict)"],
    ]);
    await wrapper.find('[data-testid="take-theirs-title"] input').setValue(true);
    await wrapper.find('[data-testid="compare-save"]').trigger("click");
    await flushPromises();

    expect(calls.map((c) => `${c.method} ${c.url}`)).toEqual(["PATCH /api/records/deal/d1", "GET /api/records/deal/d1", "PATCH /api/records/deal/d1"]);
    expect(calls[2]!.headers["if-match"]).toBe('"2"');
    expect(calls[2]!.body).toEqual({ seats: 5 });
    expect(wrapper.emitted("saved")).toHaveLength(1);
    wrapper.unmount();
  });
});

describe("BulkEditDialog", () => {
  it("sets the chosen field on every selected record in one batch and lists the API's issues per record", async () => {
    const { pinia, grant } = withSession();
    grant({ title: "write", seats: "write", stage: "read" });
    const records = [record({ id: "a", title: "Alpha", version: 3 }), record({ id: "b", title: "Beta", version: 7 })];
    const wrapper = mountStudio(BulkEditDialog, { props: { definition: deal, records } }, pinia);
    await flushPromises();
    const calls = serve([{ status: 422, body: { code: "RECORD_INVALID", title: "The record is invalid", issues: [{ code: "TOO_BIG", pointer: "/1/seats", message: "at most 10" }] } }]);
    (wrapper.vm as unknown as { chosen: string[] }).chosen = ["seats"];
    await flushPromises();
    await wrapper.find('[data-field="seats"] input').setValue("9");
    await wrapper.find('[data-field="seats"] input').trigger("blur");
    await wrapper.find('[data-testid="bulk-form"]').trigger("submit");
    await flushPromises();
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({ method: "PATCH", url: "/api/records/deal", body: [{ id: "a", version: 3, seats: 9 }, { id: "b", version: 7, seats: 9 }] });
    expect(wrapper.find('[data-testid="bulk-problems"]').text()).toBe("Beta · Seats: at most 10");
    expect(wrapper.emitted("done")).toBeUndefined();
    wrapper.unmount();
  });
});

describe("ViewPicker", () => {
  it("saves the current list as a new view, shared when the user may share", async () => {
    const state = { columns: ["title"], sort: "-seats", filter: ["stage:eq:new"], q: null, mode: "list" as const };
    const wrapper = mountStudio(ViewPicker, { props: { entity: "deal", views: [], canShare: true, state } });
    await flushPromises();
    const saved = { id: "v1", entity: "deal", name: "New deals", shared: true, ownerId: "u1", mine: true, editable: true, ...state, createdAt: "", updatedAt: "" };
    const calls = serve([{ status: 201, body: saved }]);
    await wrapper.find('[data-testid="view-save-as"]').trigger("click");
    await flushPromises();
    const form = document.body.querySelector('[data-testid="view-form"]')!;
    const name = form.querySelector("#view-name") as HTMLInputElement;
    name.value = "New deals";
    name.dispatchEvent(new Event("input"));
    (form.querySelector('[data-testid="view-share"] input') as HTMLInputElement).click();
    await flushPromises();
    form.dispatchEvent(new Event("submit"));
    await flushPromises();
    expect(calls[0]).toMatchObject({ method: "POST", url: "/api/views", body: { entity: "deal", name: "New deals", shared: true, ...state } });
    expect(wrapper.emitted("changed")![0]).toEqual([saved]);
    wrapper.unmount();
  });
});
