import { describe, expect, it } from "vitest";
import type { PluginManifest } from "@crm/core";
import { createHarness } from "./create-harness.ts";

const manifest: PluginManifest = {
  id: "harness-probe",
  version: "1.0.0",
  engine: "^0.1.0",
  capabilities: { records: { read: ["account", "opportunity"], write: ["account"] }, http: { fetch: ["https://api.example.com/v1/"] } },
  budgets: { rowsRead: 5, hostCalls: 20 },
  hooks: { beforeCreate: { entities: ["account"] } },
  actions: [{ name: "probe", label: { en: "Probe" }, entity: "account", selection: "many" }],
  schedules: [{ name: "nightly", cron: "0 3 * * *" }],
};

// A plugin whose action runs whatever the input asks for, so each test probes one host call.
const code = `globalThis.plugin = {
  hooks: { async beforeCreate(input) { return { changes: { name: input.record.name.trim() } }; } },
  actions: {
    async probe(input, crm) {
      const ask = input.input;
      try {
        if (ask.op === "find") return { message: JSON.stringify(await crm.records.find(ask.entity, ask.query)) };
        if (ask.op === "create") return { message: JSON.stringify(await crm.records.create(ask.entity, ask.values)) };
        if (ask.op === "fetch") return { message: JSON.stringify(await crm.http.fetch(ask.url)) };
        if (ask.op === "clock") return { message: JSON.stringify([crm.now(), new Date().toISOString(), Math.random() === crm.random() ? "same" : "seeded"]) };
      } catch (error) { return { message: error.code + ": " + error.message }; }
    },
  },
  schedules: { async nightly(input, crm) { await crm.log.info("ran", input); } },
};`;

const records = {
  account: [
    { id: "a1", name: "Acme", employees: 50, annualRevenue: { amount: 1000, currency: "EUR" } },
    { id: "a2", name: "Globex", employees: 500, annualRevenue: { amount: 90000, currency: "EUR" } },
    { id: "a3", name: "Initech", employees: null },
  ],
  opportunity: [{ id: "o1", name: "Deal", account: "a2", stage: "closed_won" }],
};

const probe = async (ask: Record<string, unknown>) => {
  const harness = await createHarness({ manifest, code, records });
  try {
    const result = await harness.action("probe", { entity: "account", records: [], input: ask as never });
    return { result, message: (result.value as { message: string }).message, harness };
  } finally {
    harness.dispose();
  }
};

describe("createHarness", () => {
  it("runs a before-hook in the sandbox and reports usage", async () => {
    const harness = await createHarness({ manifest, code });
    const result = await harness.hook("beforeCreate", { entity: "account", record: { name: "  Acme " } });
    harness.dispose();
    expect(result).toMatchObject({ outcome: "ok", value: { changes: { name: "Acme" } }, usage: { hostCalls: 0, rowsRead: 0 } });
  });

  it("refuses to run a hook the manifest does not declare for the entity", async () => {
    const harness = await createHarness({ manifest, code });
    expect(() => harness.hook("beforeCreate", { entity: "contact", record: {} })).toThrow(/no beforeCreate hook for entity "contact"/);
    harness.dispose();
  });

  it.each([
    ["employees:gte:100", ["a2"]],
    ["annualRevenue.amount:lt:5000", ["a1"]],
    ["employees:isNull", ["a3"]],
    ["or(name:startsWith:ac,name:contains:TECH)", ["a1", "a3"]],
    ["employees:ne:50", ["a2", "a3"]],
  ])("finds with the REST filter %s", async (filter, ids) => {
    const { message } = await probe({ op: "find", entity: "account", query: { filter, sort: "name" } });
    expect(JSON.parse(message).map((r: { id: string }) => r.id)).toEqual(ids);
  });

  it("follows relation paths and sorts descending with nulls first", async () => {
    const related = await probe({ op: "find", entity: "opportunity", query: { filter: "account.name:eq:Globex" } });
    expect(JSON.parse(related.message).map((r: { id: string }) => r.id)).toEqual(["o1"]);
    const sorted = await probe({ op: "find", entity: "account", query: { sort: "-employees", fields: "name" } });
    expect(JSON.parse(sorted.message).map((r: { name: string; employees?: number }) => [r.name, r.employees])).toEqual([["Initech", undefined], ["Globex", undefined], ["Acme", undefined]]);
  });

  it("refuses entities outside the manifest's capabilities with CAPABILITY_REQUIRED", async () => {
    expect((await probe({ op: "find", entity: "contact", query: {} })).message).toMatch(/^CAPABILITY_REQUIRED: Plugin "harness-probe" may not read contact records/);
    expect((await probe({ op: "create", entity: "opportunity", values: { name: "x" } })).message).toMatch(/^CAPABILITY_REQUIRED: .*may not write opportunity/);
    expect((await probe({ op: "find", entity: "account", query: { filter: "name:bogus:1" } })).message).toMatch(/^INVALID_QUERY/);
  });

  it("pages as the server does: at most 200 records a page, nextCursor to continue, a bad cursor refused; fields as a list refused", async () => {
    const many = { account: Array.from({ length: 450 }, (_, i) => ({ id: `acc-${String(i).padStart(3, "0")}`, name: `Account ${i}` })) };
    const pager = `globalThis.plugin = { actions: { async probe(input, crm) {
      const sizes = []; const seen = new Set(); const cursors = [];
      let page = await crm.records.find("account", { sort: "-name", limit: input.input.limit });
      for (;;) {
        sizes.push(page.length); for (const r of page) seen.add(r.id); cursors.push(typeof page.nextCursor);
        if (!page.nextCursor) break;
        page = await crm.records.find("account", { sort: "-name", limit: input.input.limit, cursor: page.nextCursor });
      }
      let bad = ""; try { await crm.records.find("account", { cursor: "nonsense" }); } catch (e) { bad = e.code + ": " + e.message; }
      return { sizes, distinct: seen.size, cursors, json: JSON.stringify(page).slice(0, 1), bad };
    } } };`;
    const wide = await createHarness({ manifest: { ...manifest, budgets: { rowsRead: 1000 } }, code: pager, records: many });
    const over = await wide.action("probe", { entity: "account", records: [], input: { limit: 500 } });
    const unlimited = await wide.action("probe", { entity: "account", records: [], input: {} });
    wide.dispose();
    for (const result of [over, unlimited]) {
      expect(result.outcome).toBe("ok");
      expect(result.value).toEqual({ sizes: [200, 200, 50], distinct: 450, cursors: ["string", "string", "object"], json: "[", bad: expect.stringMatching(/^INVALID_QUERY: .*\/cursor/) });
    }
    expect((await probe({ op: "find", entity: "account", query: { fields: ["name", "employees"] } })).message).toMatch(/^INVALID_QUERY: fields is one comma-separated string/);
  });

  it("refuses URLs outside the allow-list", async () => {
    expect((await probe({ op: "fetch", url: "https://evil.example.com/" })).message).toMatch(/^URL_NOT_ALLOWED/);
  });

  it("enforces the manifest's counted budgets like production", async () => {
    const { result } = await probe({ op: "find", entity: "account", query: { limit: 50 } });
    expect(result.outcome).toBe("ok");
    expect(result.usage.rowsRead).toBe(3);
    const tight = await createHarness({ manifest: { ...manifest, budgets: { rowsRead: 2 } }, code, records });
    const over = await tight.action("probe", { entity: "account", records: [], input: { op: "find", entity: "account", query: {} } });
    tight.dispose();
    expect(over).toMatchObject({ outcome: "budget_exceeded", budget: "rowsRead" });
  });

  it("injects the clock and a seeded random", async () => {
    const { message } = await probe({ op: "clock" });
    expect(JSON.parse(message)).toEqual([Date.UTC(2025, 0, 1), "2025-01-01T00:00:00.000Z", "seeded"]);
  });

  it("passes schedules their name and firing time; writes land in the store", async () => {
    const harness = await createHarness({ manifest, code, now: Date.UTC(2025, 5, 1, 3) });
    const result = await harness.schedule("nightly");
    harness.dispose();
    expect(result.outcome).toBe("ok");
    expect(harness.logs).toEqual([{ level: "info", message: "ran", data: { schedule: "nightly", userId: null, scheduledAt: "2025-06-01T03:00:00.000Z" } }]);
  });

  it("refuses an invalid manifest with every issue", async () => {
    await expect(createHarness({ manifest: { ...manifest, version: "one" }, code })).rejects.toThrow(/\/version/);
  });
});
