import { describe, expect, it } from "vitest";
import { fileURLToPath } from "node:url";
import { buildPlugin, createHarness, withHarness } from "@crm/plugin-sdk/testing";
import type { Fixtures, Harness } from "@crm/plugin-sdk/testing";
import { gradeOf, windowStart } from "./grade-of.ts";

const at = (path: string) => fileURLToPath(new URL(path, import.meta.url));
const manifest = at("../plugin.json");
const code = await buildPlugin({ entry: at("./index.ts") });
const now = Date.UTC(2025, 5, 15, 2);

const won = (account: string, amount: number, closedAt = "2025-03-01T00:00:00.000Z", currency = "EUR") => ({ name: "Deal", account, stage: "closed_won", amount: { amount, currency }, closedAt });

const records: Fixtures = {
  account: [
    { id: "a1", name: "Big", status: "active" },
    { id: "a2", name: "Mid", status: "active", grade: "a" },
    { id: "a3", name: "Small", status: "active", grade: "a" },
    { id: "a4", name: "Untouched", status: "prospect" },
  ],
  opportunity: [
    won("a1", 80_000), won("a1", 30_000),
    won("a2", 25_000),
    won("a3", 500_000, "2023-01-01T00:00:00.000Z"), // outside the 12-month window
    { name: "Open", account: "a3", stage: "negotiation", amount: { amount: 900_000, currency: "EUR" } },
    { name: "Lost", account: "a2", stage: "closed_lost", amount: { amount: 900_000, currency: "EUR" }, closedAt: "2025-04-01T00:00:00.000Z" },
  ],
};

const run = <T>(settings: object, use: (h: Harness) => Promise<T>, fixtures = records) => withHarness({ manifest, code, records: fixtures, settings: settings as never, now }, use);

const grades = (h: Harness) => Object.fromEntries(h.store.all("account").map((a) => [a.id, a.grade ?? null]));

describe("gradeOf and windowStart", () => {
  it.each([[100_000, "a"], [99_999.99, "b"], [20_000, "b"], [0, "c"]] as const)("%d → %s", (revenue, grade) => expect(gradeOf(revenue, {})).toBe(grade));
  it("windows by months, 0 for all time", () => {
    expect(windowStart(now, 12)).toBe("2024-06-15T02:00:00.000Z");
    expect(windowStart(now, 0)).toBeUndefined();
  });
});

describe("abc-grading plugin", () => {
  it("grades by won revenue in the window on its schedule, writing only changed grades", async () => {
    const { result, after, logs } = await run({}, async (h) => ({ result: await h.schedule("gradeAll"), after: grades(h), logs: h.logs }));
    expect(result).toMatchObject({ outcome: "ok", usage: { rowsWritten: 3 } });
    expect(after).toEqual({ a1: "a", a2: "b", a3: "c", a4: null });
    expect(logs.at(-1)).toMatchObject({ message: "Graded 3 accounts; 3 changed." });
  });

  it("takes thresholds, window and currency from settings", async () => {
    const fixtures = { ...records, opportunity: [...records.opportunity!, won("a2", 90_000, "2025-01-01T00:00:00.000Z", "USD")] };
    const byEur = await run({ aFrom: 20_000, bFrom: 10_000, months: 0, currency: "EUR" }, async (h) => (await h.schedule("gradeAll"), grades(h)), fixtures);
    expect(byEur).toEqual({ a1: "a", a2: "a", a3: "a", a4: null });
    const all = await run({ bFrom: 100, aFrom: 110_000 }, async (h) => (await h.schedule("gradeAll"), grades(h)), fixtures);
    expect(all).toEqual({ a1: "a", a2: "a", a3: "c", a4: null });
  });

  it("sweeps more accounts than one page", async () => {
    const many = Array.from({ length: 450 }, (_, i) => ({ id: `acc-${String(i).padStart(3, "0")}`, name: `A${i}`, status: "active", grade: "b" }));
    const result = await run({}, async (h) => [await h.schedule("gradeAll"), grades(h)] as const, { account: many, opportunity: [won("acc-449", 200_000)] });
    expect(result[0]).toMatchObject({ outcome: "ok", usage: { rowsWritten: 450 } });
    expect(Object.values(result[1]).filter((g) => g === "c")).toHaveLength(449);
    expect(result[1]["acc-449"]).toBe("a");
  });

  it("grades a selection on demand through the action", async () => {
    const result = await run({}, async (h) => h.action("grade", { entity: "account", records: [h.store.get("account", "a1")!, h.store.get("account", "a2")!] }));
    expect(result.value).toEqual({ message: "2 of 2 grade(s) changed.", changes: { a1: { grade: "a" }, a2: { grade: "b" } } });
  });

  it("fails with the budget named when the sweep outgrows rowsWritten", async () => {
    const many = Array.from({ length: 30 }, (_, i) => ({ id: `x${i}`, name: `A${i}`, status: "active", grade: "a" }));
    const harness = await createHarness({ manifest: { ...JSON.parse(await import("node:fs").then((fs) => fs.readFileSync(manifest, "utf8"))), budgets: { rowsWritten: 10 } }, code, records: { account: many }, now });
    const result = await harness.schedule("gradeAll");
    harness.dispose();
    expect(result).toMatchObject({ outcome: "budget_exceeded", budget: "rowsWritten" });
  });
});
