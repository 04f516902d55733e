import { describe, expect, it } from "vitest";
import { fileURLToPath } from "node:url";
import { buildPlugin, hookInputs, withHarness } from "@crm/plugin-sdk/testing";
import type { Fixtures, Harness } from "@crm/plugin-sdk/testing";
import { scoreLead } from "./score-lead.ts";

const at = (path: string) => fileURLToPath(new URL(path, import.meta.url));
const manifest = at("../plugin.json");
const code = await buildPlugin({ entry: at("./index.ts") });

const run = <T>(records: Fixtures, settings: object, use: (h: Harness) => Promise<T>) => withHarness({ manifest, code, records, settings: settings as never }, use);

const lead = { id: "l1", lastName: "Lovelace", company: "Analytical", status: "working", source: "referral", employees: 300, score: 0 };

describe("scoreLead", () => {
  it.each([
    [{ source: "referral", employees: 300 }, { activities: 1, responses: 1 }, 75],
    [{ source: "cold_call", employees: 10 }, { activities: 0, responses: 0 }, 10],
    [{ source: null, employees: null }, { activities: 0, responses: 0 }, 0],
    [{ source: "partner", employees: 5000 }, { activities: 9, responses: 9 }, 95],
  ] as const)("%o with %o scores %i", (fields, engagement, score) => {
    expect(scoreLead(fields, engagement)).toBe(score);
  });
});

describe("lead-scoring plugin", () => {
  it("scores a new lead from source and size and sets its rating", async () => {
    const result = await run({}, {}, (h) => h.hook("beforeCreate", hookInputs.beforeCreate("lead", { lastName: "Hopper", company: "Navy", source: "event", employees: 1200 })));
    expect(result).toMatchObject({ outcome: "ok", value: { changes: { score: 50, rating: "warm" } }, usage: { hostCalls: 1, rowsRead: 0 } });
  });

  it("counts engagement on update: activities and campaign responses, not other statuses", async () => {
    const records = {
      lead: [lead],
      activity: [{ subject: "Call", type: "call", lead: "l1" }, { subject: "Demo", type: "meeting", lead: "l1" }, { subject: "Other", type: "call", lead: "l2" }],
      campaignMember: [{ campaign: "c1", lead: "l1", status: "attended" }, { campaign: "c2", lead: "l1", status: "bounced" }],
    };
    const result = await run(records, {}, (h) => h.hook("beforeUpdate", hookInputs.beforeUpdate("lead", lead, { employees: 20 })));
    // referral 30 + 20 employees 5 + 2 activities 20 + 1 response 15
    expect(result.value).toEqual({ changes: { score: 70, rating: "hot" } });
    expect(result.usage.rowsRead).toBe(3);
  });

  it("takes source points and thresholds from settings, and can leave the rating alone", async () => {
    const settings = { sourcePoints: { cold_call: 40 }, hotScore: 90, warmScore: 45, setRating: true };
    const rated = await run({}, settings, (h) => h.hook("beforeCreate", hookInputs.beforeCreate("lead", { source: "cold_call", employees: 60 })));
    expect(rated.value).toEqual({ changes: { score: 50, rating: "warm" } });
    const unrated = await run({}, { setRating: false }, (h) => h.hook("beforeCreate", hookInputs.beforeCreate("lead", { source: "web" })));
    expect(unrated.value).toEqual({ changes: { score: 15 } });
  });

  it("rescores the lead when an activity is logged on it", async () => {
    const stored = await run({ lead: [lead], activity: [{ id: "a1", subject: "Call", type: "call", lead: "l1" }] }, {}, async (h) => {
      const result = await h.hook("afterCreate", hookInputs.afterCreate("activity", h.store.get("activity", "a1")!));
      expect(result).toMatchObject({ outcome: "ok", usage: { rowsWritten: 1 } });
      return h.store.get("lead", "l1");
    });
    expect(stored).toMatchObject({ score: 60, rating: "warm", version: 2 });
  });

  it("ignores activities without a lead and writes nothing when the score is unchanged", async () => {
    const scored = { ...lead, score: 50, rating: "warm" };
    const usage = await run({ lead: [scored], activity: [{ id: "a1", subject: "x", type: "call" }] }, {}, async (h) => {
      const none = await h.hook("afterCreate", hookInputs.afterCreate("activity", h.store.get("activity", "a1")!));
      const same = await h.hook("afterCreate", hookInputs.afterCreate("campaignMember", { id: "m1", lead: "l1", status: "sent" }));
      return [none.usage, same.usage];
    });
    expect(usage.map((u) => u.rowsWritten)).toEqual([0, 0]);
    expect(usage[0]!.hostCalls).toBe(0);
  });

  it("rescores a selection through the action", async () => {
    const other = { ...lead, id: "l2", source: "web", employees: 0 };
    const result = await run({ lead: [lead, other] }, {}, (h) => h.action("rescore", { entity: "lead", records: [lead, other] }));
    expect(result.value).toEqual({ message: "Rescored 2 lead(s).", changes: { l1: { score: 50, rating: "warm" }, l2: { score: 15, rating: "cold" } } });
  });
});
