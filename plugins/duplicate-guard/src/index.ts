import { definePlugin } from "@crm/plugin-sdk";
import type { Crm, BeforeResult } from "@crm/plugin-sdk";
import type { Entities } from "@crm/plugin-sdk/crm";
import { WATCHED, candidateFilter, findDuplicate } from "./find-duplicate.ts";
import type { Criterion, Duplicate, Guarded } from "./find-duplicate.ts";

interface GuardSettings {
  mode?: "reject" | "link";
  linkField?: string;
  matchOn?: Criterion[];
}

type Api = Crm<Entities, GuardSettings>;
type Candidate = { id?: string; [field: string]: any };

const LABEL: Record<string, string> = { name: "name", lastName: "name", email: "email", phone: "phone", mobile: "mobile" };

async function guard(crm: Api, entity: Guarded, record: Candidate): Promise<BeforeResult<Candidate>> {
  const settings = await crm.settings();
  const on = settings.matchOn ?? ["name", "email", "phone"];
  const filter = candidateFilter(entity, record, on);
  if (filter === undefined) return;
  const filters = record.id === undefined ? [filter] : [filter, `id:ne:${record.id}`];
  const existing = await crm.records.find(entity, { filter: filters, limit: 50 });
  const duplicate = findDuplicate(entity, record, existing, on);
  if (duplicate === undefined) return;
  if (settings.mode === "link") return link(crm, entity, record, duplicate, settings.linkField);
  return {
    reject: {
      message: `This ${entity} looks like a duplicate of ${duplicate.title} (${entity} ${duplicate.id}).`,
      fields: Object.fromEntries(duplicate.fields.map((field) => [field, `${duplicate.title} (${duplicate.id}) has the same ${LABEL[field] ?? field}.`])),
    },
  };
}

async function link(crm: Api, entity: Guarded, record: Candidate, duplicate: Duplicate, linkField: string | undefined): Promise<BeforeResult<Candidate>> {
  const changes: Candidate = {};
  if (linkField !== undefined) changes[linkField] = duplicate.id;
  if (entity === "contact" && record.account == null && duplicate.account != null) changes.account = duplicate.account;
  await crm.log.info(`Linked a ${entity} to its duplicate ${duplicate.id}.`, { duplicate: duplicate.id, fields: duplicate.fields });
  return Object.keys(changes).length > 0 ? { changes } : undefined;
}

const isGuarded = (entity: string): entity is Guarded => entity === "account" || entity === "contact";

export default definePlugin<Entities, GuardSettings>({
  hooks: {
    async beforeCreate(input, crm) {
      if (!isGuarded(input.entity)) return;
      return guard(crm, input.entity, input.record as Candidate);
    },
    async beforeUpdate(input, crm) {
      if (!isGuarded(input.entity)) return;
      const watched = WATCHED[input.entity];
      if (!Object.keys(input.changes).some((key) => watched.includes(key))) return;
      return guard(crm, input.entity, { ...input.record, id: input.id } as Candidate);
    },
  },
});
