import { definePlugin, findAll } from "@crm/plugin-sdk";
import type { Crm } from "@crm/plugin-sdk";
import type { Entities } from "@crm/plugin-sdk/crm";
import { gradeOf, windowStart } from "./grade-of.ts";
import type { Grade, GradingSettings } from "./grade-of.ts";

type Api = Crm<Entities, GradingSettings>;

/** Won revenue per account id within the window (of `accounts` only, when given). */
async function wonRevenue(crm: Api, settings: GradingSettings, accounts?: string[]): Promise<Map<string, number>> {
  const filter = ["stage:eq:closed_won"];
  const since = windowStart(crm.now(), settings.months);
  if (since !== undefined) filter.push(`closedAt:gte:${since}`);
  if (settings.currency !== undefined) filter.push(`amount.currency:eq:${settings.currency}`);
  if (accounts !== undefined) filter.push(`account:in:(${accounts.join(",")})`);
  const revenue = new Map<string, number>();
  for await (const deal of findAll(crm, "opportunity", { filter, fields: "account,amount" })) {
    if (deal.account == null || deal.amount == null) continue;
    revenue.set(deal.account, (revenue.get(deal.account) ?? 0) + deal.amount.amount);
  }
  return revenue;
}

/** Write grades that changed; returns how many. */
async function applyGrades(crm: Api, current: Map<string, string | null>, revenue: Map<string, number>, settings: GradingSettings): Promise<number> {
  let changed = 0;
  for (const [id, grade] of current) {
    const next: Grade = gradeOf(revenue.get(id) ?? 0, settings);
    if (next === grade) continue;
    await crm.records.update("account", id, { grade: next });
    changed++;
  }
  return changed;
}

export default definePlugin<Entities, GradingSettings>({
  schedules: {
    // Accounts with won revenue, and accounts graded before (which may have fallen to C).
    async gradeAll(_input, crm) {
      const settings = await crm.settings();
      const revenue = await wonRevenue(crm, settings);
      const current = new Map<string, string | null>();
      for await (const account of findAll(crm, "account", { filter: "grade:isNull:false", fields: "grade" })) current.set(account.id, account.grade ?? null);
      for (const id of revenue.keys()) if (!current.has(id)) current.set(id, null);
      const changed = await applyGrades(crm, current, revenue, settings);
      await crm.log.info(`Graded ${current.size} accounts; ${changed} changed.`, { accounts: current.size, changed });
    },
  },
  actions: {
    async grade(input, crm) {
      if (input.entity !== "account") return;
      const settings = await crm.settings();
      const ids = input.records.map((r) => r.id);
      const revenue = new Map<string, number>();
      // A filter list holds at most 200 values.
      for (let i = 0; i < ids.length; i += 100) for (const [id, sum] of await wonRevenue(crm, settings, ids.slice(i, i + 100))) revenue.set(id, sum);
      const changes: Record<string, { grade: Grade }> = {};
      for (const account of input.records) {
        const grade = gradeOf(revenue.get(account.id) ?? 0, settings);
        if (grade !== account.grade) changes[account.id] = { grade };
      }
      return { message: `${Object.keys(changes).length} of ${input.records.length} grade(s) changed.`, changes };
    },
  },
});
