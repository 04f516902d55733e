import { flushPromises } from "@vue/test-utils";
import { createPinia } from "pinia";
import { describe, expect, it } from "vitest";
import { createMemoryHistory, createRouter } from "vue-router";
import { useSessionStore } from "../stores/session.ts";
import { jsonResponse as json, mountStudio, useApiStub } from "../test-support.ts";
import { dealWith } from "../test-entities.ts";
import DashboardView from "./DashboardView.vue";

describe("a custom chart in the dashboard's URL", () => {
  const stub = useApiStub();

  it("is shown again from a link, with its metric, chart and filters", async () => {
    stub.answer = (call) => (call.url.includes("/aggregate") ? json(200, { groups: [{ key: { stage: "new" }, count: 2 }] }) : json(404, { code: "NOT_FOUND", title: "Not found", status: 404 }));
    const pinia = createPinia();
    const session = useSessionStore(pinia);
    session.entities = [{ version: 1, definition: dealWith("title", "seats", "stage") }];
    const router = createRouter({ history: createMemoryHistory(), routes: [{ path: "/dashboards", name: "dashboards", component: { template: "<div />" } }] });
    await router.push("/dashboards?entity=deal&groupBy=stage&metric=sum:seats&chart=pie&filter=seats:gte:5");
    const wrapper = mountStudio(DashboardView, { global: { plugins: [router] } }, pinia);
    await flushPromises();
    const aggregate = stub.calls.find((c) => c.url.startsWith("/api/records/deal/aggregate"));
    expect(aggregate, JSON.stringify(stub.calls.map((c) => c.url))).toBeDefined();
    const params = new URL(aggregate!.url, "http://x").searchParams;
    expect(params.get("groupBy")).toBe("stage");
    expect(params.getAll("filter")).toEqual(["seats:gte:5"]);
    expect(params.get("metrics") ?? "").toContain("seats");
    await new Promise((resolve) => setTimeout(resolve, 0));
    const query = router.currentRoute.value.query;
    expect({ ...query, filter: [query.filter].flat() }).toEqual({ entity: "deal", groupBy: "stage", metric: "sum:seats", chart: "pie", filter: ["seats:gte:5"] });
    wrapper.unmount();

    // What the link says that does not fit is left out, and the chart drawn goes back into the URL.
    await router.push("/dashboards?entity=deal&groupBy=stage&metric=sum:nope&chart=radar");
    const again = mountStudio(DashboardView, { global: { plugins: [router] } }, pinia);
    await flushPromises();
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(router.currentRoute.value.query).toEqual({ entity: "deal", groupBy: "stage", metric: "count", chart: "bar" });
    again.unmount();
  });
});
