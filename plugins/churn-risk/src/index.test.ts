import { describe, expect, it } from "vitest";
import { fileURLToPath } from "node:url";
import { buildPlugin, createHarness, hookInputs, withHarness } from "@crm/plugin-sdk/testing";
import type { Fixtures, Harness } from "@crm/plugin-sdk/testing";
import { isAtRisk } from "./is-at-risk.ts";

const at = (path: string) => fileURLToPath(new URL(path, import.meta.url));
const manifest = at("../plugin.json");
const code = await buildPlugin({ entry: at("./index.ts") });
const now = Date.UTC(2025, 5, 30, 1, 30);
const daysAgo = (days: number) => new Date(now - days * 86_400_000).toISOString();

const old = daysAgo(400);
const records: Fixtures = {
  account: [
    { id: "quiet", name: "Quiet", status: "active", createdAt: old },
    { id: "busy", name: "Busy", status: "active", createdAt: old, churnRisk: true },
    { id: "called", name: "Called", status: "active", createdAt: old, lastFollowUpAt: daysAgo(10) },
    { id: "new", name: "New", status: "active", createdAt: daysAgo(5) },
    { id: "lead", name: "Prospect", status: "prospect", createdAt: old },
    { id: "done", name: "Done", status: "active", createdAt: old },
  ],
  activity: [
    { subject: "QBR", type: "meeting", account: "busy", createdAt: daysAgo(3) },
    { subject: "Old call", type: "call", account: "quiet", createdAt: daysAgo(200) },
    { subject: "Planned long ago, done lately", type: "task", account: "done", createdAt: daysAgo(150), completedAt: daysAgo(20) },
  ],
};

const run = <T>(settings: object, use: (h: Harness) => Promise<T>, fixtures = records) => withHarness({ manifest, code, records: fixtures, settings: settings as never, now }, use);

const flags = (h: Harness, field = "churnRisk") => Object.fromEntries(h.store.all("account").map((a) => [a.id, a[field] ?? null]));

describe("isAtRisk", () => {
  const cutoff = "2025-01-01T00:00:00.000Z";
  it.each([
    [{ createdAt: "2024-01-01T00:00:00.000Z" }, false, true],
    [{ createdAt: "2024-01-01T00:00:00.000Z" }, true, false],
    [{ createdAt: "2025-02-01T00:00:00.000Z" }, false, false],
    [{ createdAt: "2024-01-01T00:00:00.000Z", lastFollowUpAt: "2025-03-01T00:00:00.000Z" }, false, false],
    [{ createdAt: "2024-01-01T00:00:00.000Z", lastFollowUpAt: "2024-03-01T00:00:00.000Z" }, false, true],
  ])("%o, recent activity %s → %s", (account, recent, risk) => expect(isAtRisk(account, recent, cutoff)).toBe(risk));
});

describe("churn-risk plugin", () => {
  it("flags quiet customers and clears customers that are active again", async () => {
    const { result, after, logs } = await run({}, async (h) => ({ result: await h.schedule("flagInactive"), after: flags(h), logs: h.logs }));
    expect(result).toMatchObject({ outcome: "ok", usage: { rowsWritten: 2 } });
    expect(after).toEqual({ quiet: true, busy: false, called: null, new: null, lead: null, done: null });
    expect(logs).toEqual([{ level: "info", message: "Churn risk: 1 flagged, 1 cleared.", data: { flagged: 1, cleared: 1, cutoff: daysAgo(90) } }]);
  });

  it("takes the window, the flag field and the statuses from settings", async () => {
    const after = await run({ days: 7, flagField: "atRisk", statuses: ["active", "prospect"] }, async (h) => (await h.schedule("flagInactive"), flags(h, "atRisk")));
    expect(after).toEqual({ quiet: true, busy: null, called: true, new: null, lead: true, done: true });
  });

  it("writes nothing on a second run", async () => {
    const second = await run({}, async (h) => (await h.schedule("flagInactive"), h.schedule("flagInactive")));
    expect(second).toMatchObject({ outcome: "ok", usage: { rowsWritten: 0 } });
  });

  it("clears the flag as soon as an activity is logged", async () => {
    const fixtures = { ...records, account: [{ id: "q", name: "Q", status: "active", createdAt: old, churnRisk: true }], activity: [{ id: "act", subject: "Hi", type: "call", account: "q" }] };
    const after = await run({}, async (h) => {
      const result = await h.hook("afterCreate", hookInputs.afterCreate("activity", h.store.get("activity", "act")!));
      expect(result).toMatchObject({ outcome: "ok", usage: { rowsWritten: 1 } });
      return flags(h);
    }, fixtures);
    expect(after).toEqual({ q: false });
  });

  it("is refused writing a field of an entity outside its capabilities", async () => {
    const harness = await createHarness({ manifest, code: `globalThis.plugin = { schedules: { async flagInactive(i, crm) { await crm.records.update("contact", "c1", { x: 1 }); } } };`, now });
    const result = await harness.schedule("flagInactive");
    harness.dispose();
    expect(result).toMatchObject({ outcome: "error", error: { code: "CAPABILITY_REQUIRED" } });
  });
});
