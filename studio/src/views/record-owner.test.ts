import { flushPromises } from "@vue/test-utils";
import { createPinia } from "pinia";
import { describe, expect, it } from "vitest";
import { createMemoryHistory, createRouter } from "vue-router";
import { useSessionStore } from "../stores/session.ts";
import { jsonResponse as json, mountStudio, useApiStub } from "../test-support.ts";
import { account } from "../test-entities.ts";
import RecordPageView from "./RecordPageView.vue";

const ANN = "00000000-0000-4000-8000-0000000000a1";
const BOB = "00000000-0000-4000-8000-0000000000b2";
const GONE = "00000000-0000-4000-8000-0000000000c3";
const DIRECTORY = [
  { id: ANN, name: "Ann", email: "ann@example.test", active: true },
  { id: BOB, name: "Bob", email: "bob@example.test", active: true },
  { id: GONE, name: "Gone", email: "gone@example.test", active: false },
];
const record = { id: "a1", version: 3, createdAt: "2026-01-01T00:00:00Z", updatedAt: "2026-01-01T00:00:00Z", ownerId: ANN, name: "Acme" };

async function mountRecord(transfer: boolean) {
  const pinia = createPinia();
  const router = createRouter({ history: createMemoryHistory(), routes: [{ path: "/:pathMatch(.*)*", name: "record", component: { template: "<div />" } }, { path: "/list", name: "list", component: { template: "<div />" } }] });
  await router.push("/records/account/a1");
  const session = useSessionStore(pinia);
  session.user = { id: BOB, email: "bob@example.test", name: "Bob", locale: "en" } as never;
  session.entities = [{ version: 1, definition: account }];
  session.permissions = { userId: BOB, admin: false, entities: { account: { read: "all", update: "all", delete: "none", create: true, import: false, export: false, transfer, fields: { name: "write", industry: "write" } } } };
  return mountStudio(RecordPageView, { props: { entity: "account", id: "a1" }, global: { plugins: [router] } }, pinia);
}

describe("a record's owner", () => {
  const stub = useApiStub();

  it("is named for everyone, and handed to another active user by those who may transfer", async () => {
    stub.answer = (call) => {
      if (call.url === "/api/users") return json(200, { items: DIRECTORY });
      if (call.url.startsWith("/api/records/account/a1") && call.method === "GET" && !call.url.includes("/a1/")) return new Response(JSON.stringify(record), { status: 200, headers: { "content-type": "application/json", etag: '"3"' } });
      if (call.url === "/api/records/account/a1" && call.method === "PATCH") return json(200, { ...record, ownerId: BOB, version: 4 });
      if (call.url.endsWith("/actions") || call.url.includes("/approvals") || call.url.includes("workflow")) return json(200, { items: [] });
      return json(404, { code: "NOT_FOUND", title: "Not found", status: 404 });
    };
    const reader = await mountRecord(false);
    await flushPromises();
    expect(reader.get('[data-testid="record-owner"]').text()).toBe("Owner: Ann");
    reader.unmount();

    const manager = await mountRecord(true);
    await flushPromises();
    const select = manager.get<HTMLSelectElement>("#record-owner");
    expect(select.findAll("option").map((o) => o.text())).toEqual(["Ann", "Bob (You)"]);
    expect(select.element.value).toBe(ANN);
    await select.setValue(BOB);
    await flushPromises();
    const patch = stub.calls.find((c) => c.method === "PATCH");
    expect(patch).toMatchObject({ url: "/api/records/account/a1", body: { ownerId: BOB } });
    manager.unmount();
  });
});
