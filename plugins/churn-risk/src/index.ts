import { definePlugin, findAll } from "@crm/plugin-sdk";
import type { Entities } from "@crm/plugin-sdk/crm";
import { DAY_MS, isAtRisk } from "./is-at-risk.ts";
import type { ChurnSettings } from "./is-at-risk.ts";

export default definePlugin<Entities, ChurnSettings>({
  schedules: {
    async flagInactive(_input, crm) {
      const settings = await crm.settings();
      const flag = settings.flagField ?? "churnRisk";
      const cutoff = new Date(crm.now() - (settings.days ?? 90) * DAY_MS).toISOString();
      const recent = new Set<string>();
      for await (const activity of findAll(crm, "activity", { filter: ["account:isNull:false", `or(createdAt:gte:${cutoff},completedAt:gte:${cutoff})`], fields: "account" })) {
        recent.add(activity.account!);
      }
      const statuses = settings.statuses ?? ["active"];
      let flagged = 0;
      let cleared = 0;
      for await (const account of findAll(crm, "account", { filter: `status:in:(${statuses.join(",")})`, fields: `${flag},lastFollowUpAt` })) {
        const atRisk = isAtRisk(account, recent.has(account.id), cutoff);
        if (atRisk === (Reflect.get(account, flag) === true)) continue;
        await crm.records.update("account", account.id, { [flag]: atRisk });
        if (atRisk) flagged++;
        else cleared++;
      }
      await crm.log.info(`Churn risk: ${flagged} flagged, ${cleared} cleared.`, { flagged, cleared, cutoff });
    },
  },
  hooks: {
    // An activity is the end of a quiet spell: clear the flag at once rather than tomorrow night.
    async afterCreate(input, crm) {
      if (input.entity !== "activity" || input.record?.account == null) return;
      const flag = (await crm.settings()).flagField ?? "churnRisk";
      const account = await crm.records.get("account", input.record.account!);
      if (account !== null && Reflect.get(account, flag) === true) await crm.records.update("account", account.id, { [flag]: false });
    },
  },
});
