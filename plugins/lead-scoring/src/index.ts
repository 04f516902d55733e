import { definePlugin } from "@crm/plugin-sdk";
import type { Crm } from "@crm/plugin-sdk";
import type { Entities, Lead } from "@crm/plugin-sdk/crm";
import { RESPONDED, ratingOf, scoreLead } from "./score-lead.ts";
import type { Engagement, ScoringSettings } from "./score-lead.ts";

type Api = Crm<Entities, ScoringSettings>;

/** Enough rows to reach the engagement cap (4 activities, 3 responses), no more. */
async function engagementOf(crm: Api, leadId: string | undefined): Promise<Engagement> {
  if (leadId === undefined) return { activities: 0, responses: 0 };
  const activities = await crm.records.find("activity", { filter: `lead:eq:${leadId}`, fields: "lead", limit: 4 });
  const responses = await crm.records.find("campaignMember", { filter: [`lead:eq:${leadId}`, `status:in:(${RESPONDED.join(",")})`], fields: "lead", limit: 3 });
  return { activities: activities.length, responses: responses.length };
}

async function scoreChanges(crm: Api, lead: Partial<Lead>, id: string | undefined): Promise<Partial<Lead>> {
  const settings = await crm.settings();
  const score = scoreLead(lead, await engagementOf(crm, id), settings);
  return settings.setRating === false ? { score } : { score, rating: ratingOf(score, settings) };
}

export default definePlugin<Entities, ScoringSettings>({
  hooks: {
    async beforeCreate(input, crm) {
      if (input.entity !== "lead") return;
      return { changes: await scoreChanges(crm, input.record, undefined) };
    },
    async beforeUpdate(input, crm) {
      if (input.entity !== "lead") return;
      return { changes: await scoreChanges(crm, input.record, input.id) };
    },
    // New engagement rescores its lead; the update runs beforeUpdate, which scores it again alike.
    async afterCreate(input, crm) {
      if (input.entity !== "activity" && input.entity !== "campaignMember") return;
      const leadId = input.record?.lead;
      if (leadId == null) return;
      const lead = await crm.records.get("lead", leadId);
      if (lead === null) return;
      const changes = await scoreChanges(crm, lead, leadId);
      if (changes.score !== lead.score || (changes.rating !== undefined && changes.rating !== lead.rating)) await crm.records.update("lead", leadId, changes);
    },
  },
  actions: {
    async rescore(input, crm) {
      if (input.entity !== "lead") return;
      const changes: Record<string, Partial<Lead>> = {};
      for (const lead of input.records) changes[lead.id] = await scoreChanges(crm, lead, lead.id);
      return { message: `Rescored ${input.records.length} lead(s).`, changes: changes as Record<string, Record<string, string | number>> };
    },
  },
});
