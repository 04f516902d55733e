import { flushPromises } from "@vue/test-utils";
import { describe, expect, it } from "vitest";
import { createMemoryHistory, createRouter } from "vue-router";
import { useInboxStore } from "../../stores/inbox.ts";
import { jsonResponse as json, mountStudio, useApiStub } from "../../test-support.ts";
import RecordActions from "../record/RecordActions.vue";
import NotificationBell from "./NotificationBell.vue";

const note = (id: string, readAt: string | null) => ({ id, subject: `Note ${id}`, body: null, link: { entity: "account", recordId: "a1" }, source: { kind: "workflow", id: null }, createdAt: "2026-01-01T00:00:00Z", readAt });
const approval = (id: string) => ({ id, runId: "r", workflowId: "w", entity: "opportunity", recordId: "o1", subject: `Discount ${id}`, message: null, approvers: ["u1"], status: "pending", dueAt: null, escalatedAt: null, decidedBy: null, decidedHow: null, comment: null, decidedAt: null, createdAt: "2026-01-01T00:00:00Z" });

describe("inbox: notifications, approvals and record actions", () => {
  const stub = useApiStub();
  const calls = stub.calls;

  it("the store counts unread notifications down as they are read, and drops a decided approval from the pending list", async () => {
    stub.answer = (call) => {
      if (call.url.startsWith("/api/me/notifications?")) return json(200, { items: [note("n1", null), note("n2", null), note("n3", "2026-01-01T00:00:00Z")], unread: 2, nextCursor: null });
      if (call.url === "/api/me/notifications/n1/read") return json(204);
      if (call.url === "/api/me/notifications/read") return json(200, { marked: 1 });
      if (call.url.startsWith("/api/me/approvals")) return json(200, { items: [approval("p1"), approval("p2")] });
      if (call.url === "/api/approvals/p1/decision") return json(200, { ...approval("p1"), status: "approved" });
      if (call.url === "/api/approvals/p2/decision") return json(409, { code: "APPROVAL_DECIDED", title: "Conflict", status: 409, detail: "Someone decided this request already." });
      return json(404, { code: "NOT_FOUND", title: "Not found", status: 404 });
    };
    const inbox = useInboxStore();
    await inbox.refresh();
    expect(inbox.unread).toBe(2);
    await inbox.markRead("n1");
    await inbox.markRead("n1");
    expect(inbox.unread).toBe(1);
    await inbox.markAllRead();
    expect([inbox.unread, inbox.notifications.every((n) => n.readAt)]).toEqual([0, true]);
    await inbox.loadPending();
    expect((await inbox.decide("p1", "approve", "fine")).status).toBe("approved");
    expect(calls.find((c) => c.url === "/api/approvals/p1/decision")!.body).toEqual({ decision: "approve", comment: "fine" });
    await expect(inbox.decide("p2", "reject")).rejects.toThrow("Someone decided");
    expect(inbox.pending).toEqual([]);
  });

  it("the bell shows the unread count, lists notifications and marks one read", async () => {
    stub.answer = (call) => {
      if (call.url.startsWith("/api/me/notifications?")) return json(200, { items: [note("n1", null)], unread: 1, nextCursor: null });
      return json(204);
    };
    const router = createRouter({ history: createMemoryHistory(), routes: [{ path: "/records/:entity/:id", name: "record", component: { template: "<div />" } }, { path: "/", component: { template: "<div />" } }] });
    const wrapper = mountStudio(NotificationBell, { global: { plugins: [router] } });
    await flushPromises();
    expect(wrapper.get('[data-testid="bell"]').attributes("aria-label")).toBe("Notifications, 1 unread");
    expect(wrapper.get('[data-testid="unread-count"]').text()).toBe("1");
    await wrapper.get('[data-testid="bell"]').trigger("click");
    await flushPromises();
    await wrapper.get('button[aria-label="Mark “Note n1” read"]').trigger("click");
    await flushPromises();
    expect(calls.some((c) => c.method === "POST" && c.url === "/api/me/notifications/n1/read")).toBe(true);
    expect(wrapper.find('[data-testid="unread-count"]').exists()).toBe(false);
    wrapper.unmount();
  });

  it("record actions run as buttons: a success tells the page to reload, a refusal shows the problem", async () => {
    let fail = false;
    stub.answer = (call) => {
      if (call.method === "GET") return json(200, { items: [{ pluginId: "grader", name: "grade", label: { en: "Grade now" } }] });
      if (fail) return json(422, { code: "PLUGIN_FAILED", title: "Unprocessable", status: 422, detail: "Plugin \"grader\" failed.", issues: [{ code: "X", pointer: "/1/rating", message: "Not an option." }] });
      return json(200, { message: "Graded A", updated: [] });
    };
    const wrapper = mountStudio(RecordActions, { props: { entity: "account", id: "a1" } });
    await flushPromises();
    await wrapper.get('[data-action="grader/grade"]').trigger("click");
    await flushPromises();
    expect(calls.at(-1)).toMatchObject({ method: "POST", url: "/api/records/account/a1/actions/grader/grade" });
    expect(wrapper.emitted("done")).toHaveLength(1);
    fail = true;
    await wrapper.get('[data-action="grader/grade"]').trigger("click");
    await flushPromises();
    expect(wrapper.get('[data-testid="action-problem"]').text()).toContain('Plugin "grader" failed.');
    expect(wrapper.get('[data-testid="action-problem"]').text()).toContain("Not an option.");
    expect(wrapper.emitted("done")).toHaveLength(1);
    wrapper.unmount();
  });
});
