import type { EntityDefinition } from "@crm/core";
import { flushPromises } from "@vue/test-utils";
import { createPinia } from "pinia";
import { describe, expect, it } from "vitest";
import { createMemoryHistory, createRouter } from "vue-router";
import { useSessionStore } from "../stores/session.ts";
import { jsonResponse as json, mountStudio, useApiStub } from "../test-support.ts";
import { deal } from "../test-entities.ts";
import BoardView from "./BoardView.vue";
import RecordListView from "./RecordListView.vue";

/** `deal` with a stage pipeline of two columns and a board by stage. */
const pipeline: EntityDefinition = {
  ...deal,
  fields: deal.fields.map((f) => (f.key === "stage" ? { ...f, options: [{ key: "new", label: { en: "New" } }, { key: "won", label: { en: "Won" } }] } : f)),
  layout: { kanban: { field: "stage", cardFields: ["seats"] }, list: { columns: [{ field: "title" }] } },
} as EntityDefinition;
const view = (id: string, mode: "list" | "kanban", filter: string[], q: string | null = null) => ({ id, entity: "deal", name: id, shared: false, ownerId: "u1", mine: true, editable: true, columns: [], sort: null, filter, q, mode, createdAt: "2026-01-01T00:00:00Z", updatedAt: "2026-01-01T00:00:00Z" });
const VIEWS = [view("big-deals", "kanban", ["seats:gte:5"], "acme"), view("all-titles", "list", [])];

async function mountAt(path: string, component: typeof BoardView | typeof RecordListView) {
  const pinia = createPinia();
  const router = createRouter({
    history: createMemoryHistory(),
    routes: [
      { path: "/records/:entity", name: "list", component: { template: "<div />" } },
      { path: "/records/:entity/board", name: "board", component: { template: "<div />" } },
      { path: "/records/:entity/:id", name: "record", component: { template: "<div />" } },
    ],
  });
  await router.push(path);
  const session = useSessionStore(pinia);
  session.entities = [{ version: 1, definition: pipeline }];
  session.permissions = { userId: "u1", admin: false, entities: { deal: { read: "all", update: "all", delete: "all", create: true, import: false, export: false, transfer: false, fields: { stage: "write", title: "write", seats: "write" } } } };
  const wrapper = mountStudio(component, { props: { entity: "deal" }, global: { plugins: [router] } }, pinia);
  return { wrapper, router };
}

describe("saved views on the board", () => {
  const stub = useApiStub();
  const lists = () => stub.calls.filter((c) => c.url.startsWith("/api/records/deal?")).map((c) => new URL(c.url, "http://x").searchParams);

  it("opens a board view from the URL: every column narrowed by its filter and search; saving keeps mode kanban", async () => {
    stub.answer = (call) => {
      if (call.url === "/api/views?entity=deal") return json(200, { items: VIEWS, canShare: false });
      if (call.url.startsWith("/api/records/deal?")) return json(200, { items: [], nextCursor: null, total: 0 });
      if (call.url === "/api/views/big-deals" && call.method === "PATCH") return json(200, { ...VIEWS[0], ...(call.body as object) });
      return json(404, { code: "NOT_FOUND", title: "Not found", status: 404 });
    };
    const { wrapper, router } = await mountAt("/records/deal/board?view=big-deals", BoardView);
    await flushPromises();
    await new Promise((resolve) => setTimeout(resolve, 350));
    await flushPromises();
    const columns = lists().filter((p) => p.getAll("filter").includes("stage:eq:new") || p.getAll("filter").includes("stage:eq:won"));
    expect(columns.length).toBeGreaterThanOrEqual(2);
    for (const params of columns) {
      expect(params.getAll("filter")).toContain("seats:gte:5");
      expect(params.get("q")).toBe("acme");
    }
    expect(router.currentRoute.value.query).toMatchObject({ view: "big-deals", q: "acme", filter: ["seats:gte:5"] });
    expect((wrapper.get('[data-testid="table-link"]').attributes("href") ?? "")).toContain("q=acme");

    await wrapper.get('[data-testid="view-save"]').trigger("click");
    await flushPromises();
    expect(stub.calls.find((c) => c.method === "PATCH")?.body).toMatchObject({ mode: "kanban", filter: ["seats:gte:5"], q: "acme" });
    wrapper.unmount();
  });

  it("sends a list view picked on the board to the list, and a board view named in the list's URL to the board", async () => {
    stub.answer = (call) => {
      if (call.url === "/api/views?entity=deal") return json(200, { items: VIEWS, canShare: false });
      if (call.url.startsWith("/api/records/deal")) return json(200, { items: [], nextCursor: null, total: 0 });
      return json(404, { code: "NOT_FOUND", title: "Not found", status: 404 });
    };
    const board = await mountAt("/records/deal/board", BoardView);
    await flushPromises();
    board.wrapper.findComponent({ name: "ViewPicker" }).vm.$emit("pick", VIEWS[1]);
    await flushPromises();
    expect(board.router.currentRoute.value).toMatchObject({ name: "list", query: { view: "all-titles" } });
    board.wrapper.unmount();

    const list = await mountAt("/records/deal?view=big-deals", RecordListView);
    await flushPromises();
    await list.router.isReady();
    await flushPromises();
    expect(list.router.currentRoute.value).toMatchObject({ name: "board", query: { view: "big-deals" } });
    list.wrapper.unmount();
  });
});

describe("manual workflows on a list selection", () => {
  const stub = useApiStub();

  it("offers the workflows for a selection once rows are selected, and starts one on every selected record", async () => {
    const record = (id: string, title: string) => ({ id, version: 1, createdAt: "2026-01-01T00:00:00Z", updatedAt: "2026-01-01T00:00:00Z", ownerId: "u1", title });
    const manual = [
      { id: "w-bulk", name: "Send the brochure", description: null, entity: "deal", selection: "many", inputs: [] },
      { id: "w-single", name: "Call the customer", description: null, entity: "deal", selection: "one", inputs: [] },
    ];
    stub.answer = (call) => {
      if (call.url === "/api/views?entity=deal") return json(200, { items: [], canShare: false });
      if (call.url === "/api/workflows/manual?entity=deal") return json(200, { items: manual });
      if (call.url.startsWith("/api/records/deal?")) return json(200, { items: [record("d1", "One"), record("d2", "Two")], nextCursor: null, total: 2 });
      if (call.url === "/api/workflows/w-bulk/runs") return json(202, { runs: [{ id: "r1" }, { id: "r2" }] });
      return json(404, { code: "NOT_FOUND", title: "Not found", status: 404 });
    };
    const { wrapper } = await mountAt("/records/deal", RecordListView);
    await flushPromises();
    expect(wrapper.find('[data-testid="selection-workflows"]').exists()).toBe(false);
    const boxes = wrapper.findAll(".el-table__body .el-checkbox__original");
    expect(boxes).toHaveLength(2);
    await boxes[0]!.setValue(true);
    await flushPromises();
    expect(wrapper.findAll('[data-testid="selection-workflows"] [data-workflow]').map((b) => b.attributes("data-workflow"))).toEqual(["w-bulk", "w-single"]);
    await boxes[1]!.setValue(true);
    await flushPromises();
    expect(wrapper.findAll('[data-testid="selection-workflows"] [data-workflow]').map((b) => b.attributes("data-workflow"))).toEqual(["w-bulk"]);
    await wrapper.get('[data-workflow="w-bulk"]').trigger("click");
    await flushPromises();
    expect(stub.calls.find((c) => c.url === "/api/workflows/w-bulk/runs")).toMatchObject({ method: "POST", body: { recordIds: ["d1", "d2"], inputs: {} } });
    wrapper.unmount();
  });
});
