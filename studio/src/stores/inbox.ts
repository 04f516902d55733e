import { defineStore } from "pinia";
import { ref, shallowRef } from "vue";
import { approvalsApi, notificationsApi, type ApprovalRequest, type Notification } from "../api/index.ts";

/**
 * The signed-in user's in-app notifications (newest first, paged, with the unread count) and the
 * approval requests waiting for them: what the bell and the approvals inbox show.
 */
export const useInboxStore = defineStore("inbox", () => {
  const notifications = shallowRef<Notification[]>([]);
  const unread = ref(0);
  const nextCursor = ref<string | null>(null);
  const pending = shallowRef<ApprovalRequest[]>([]);

  /** The first page again (and the unread count). */
  async function refresh(): Promise<void> {
    const page = await notificationsApi.page();
    notifications.value = page.items;
    unread.value = page.unread;
    nextCursor.value = page.nextCursor;
  }

  async function loadMore(): Promise<void> {
    if (!nextCursor.value) return;
    const page = await notificationsApi.page({ cursor: nextCursor.value });
    notifications.value = [...notifications.value, ...page.items];
    unread.value = page.unread;
    nextCursor.value = page.nextCursor;
  }

  async function markRead(id: string): Promise<void> {
    await notificationsApi.markRead(id);
    const at = new Date().toISOString();
    if (notifications.value.some((n) => n.id === id && !n.readAt)) unread.value = Math.max(0, unread.value - 1);
    notifications.value = notifications.value.map((n) => (n.id === id && !n.readAt ? { ...n, readAt: at } : n));
  }

  async function markAllRead(): Promise<void> {
    await notificationsApi.markAllRead();
    const at = new Date().toISOString();
    notifications.value = notifications.value.map((n) => (n.readAt ? n : { ...n, readAt: at }));
    unread.value = 0;
  }

  async function loadPending(): Promise<void> {
    pending.value = await approvalsApi.mine("pending");
  }

  /** Decide one request; it leaves the pending list whether this decision or an earlier one settled it. */
  async function decide(id: string, decision: "approve" | "reject", comment?: string): Promise<ApprovalRequest> {
    try {
      return await approvalsApi.decide(id, decision, comment);
    } finally {
      pending.value = pending.value.filter((r) => r.id !== id);
    }
  }

  function clear(): void {
    notifications.value = [];
    unread.value = 0;
    nextCursor.value = null;
    pending.value = [];
  }

  return { notifications, unread, nextCursor, pending, refresh, loadMore, markRead, markAllRead, loadPending, decide, clear };
});
