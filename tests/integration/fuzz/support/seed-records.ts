import type { EntityDefinition } from "@crm/core";
import type { Definitions } from "./entity-paths.ts";
import { jsonRequest } from "./fuzz-client.ts";
import type { Probe } from "./probe.ts";
import type { IdPool } from "./record-arbitraries.ts";

/** The live definitions, as the meta API serves them. */
export async function loadDefinitions(probe: Probe): Promise<Definitions> {
  const response = await probe.send(jsonRequest("GET", "/api/meta/entities"), "list");
  const items = (JSON.parse(response.text) as { items: Array<{ definition: EntityDefinition }> }).items;
  return new Map(items.map((item) => [item.definition.key, item.definition]));
}

const INDUSTRIES = ["technology", "finance", "retail", "energy"];
const STAGES = ["prospecting", "proposal", "closed_won", "closed_lost"];
const pick = <T>(list: T[], i: number): T => list[i % list.length]!;
const day = (i: number) => new Date(Date.UTC(2025, i % 12, 1 + (i % 27))).toISOString();

/** Realistic records for every shipped entity, related to each other, so reads and writes hit real rows. */
function recordsFor(key: string, i: number, pool: IdPool): Record<string, unknown> | undefined {
  const id = (entity: string) => pick(pool.get(entity) ?? [], i * 7 + 3);
  switch (key) {
    case "account":
      return { name: `Account ${i} "Quoted", Inc.`, industry: pick(INDUSTRIES, i), employees: i * 17, annualRevenue: { amount: i * 1000.5 }, lastFollowUpAt: i % 3 ? day(i) : null, city: pick(["Paris", "北京", "São Paulo"], i) };
    case "contact":
      return { lastName: `Contact ${i}`, firstName: pick(["Ann", "Björn", "李"], i), email: `c${i}@example.com`, account: id("account"), birthday: day(i).slice(0, 10) };
    case "campaign":
      return { name: `Campaign ${i}`, budget: { amount: 5000 + i, currency: "EUR" }, startDate: day(i).slice(0, 10), expectedResponse: (i * 7) % 100 };
    case "product":
      return { name: `Product ${i}`, code: `P-${i}`, unitPrice: { amount: 10 * i + 0.99 }, family: pick(["software", "service"], i) };
    case "lead":
      return { lastName: `Lead ${i}`, company: `Company ${i}`, score: (i * 13) % 100, status: pick(["new", "working", "qualified"], i) };
    case "opportunity":
      return { name: `Deal ${i}`, account: id("account"), stage: pick(STAGES, i), amount: { amount: i * 250.25 }, probability: (i * 11) % 100, expectedCloseDate: day(i).slice(0, 10), products: [id("product")], primaryContact: id("contact") };
    case "serviceCase":
      return { subject: `Case ${i}`, account: id("account"), priority: pick(["low", "high", "urgent"], i), slaDueAt: day(i) };
    case "activity":
      return { subject: `Call ${i}`, dueAt: day(i), account: id("account"), opportunity: id("opportunity"), durationMinutes: i * 5 };
    case "campaignMember":
      return { campaign: pick(pool.get("campaign") ?? [], i), contact: pick(pool.get("contact") ?? [], i) };
    default:
      return undefined;
  }
}

const ORDER = ["account", "contact", "campaign", "product", "lead", "opportunity", "serviceCase", "activity", "campaignMember"];

/** POST `perEntity` records to each shipped entity, in dependency order; returns their ids. */
export async function seedRecords(probe: Probe, definitions: Definitions, perEntity = 12): Promise<IdPool> {
  const pool: IdPool = new Map();
  for (const key of ORDER) {
    if (!definitions.has(key)) continue;
    const count = key === "campaignMember" ? 3 : perEntity;
    const records = Array.from({ length: count }, (_, i) => recordsFor(key, i, pool)).filter((r) => r !== undefined);
    const response = await probe.send(jsonRequest("POST", `/api/records/${key}`, records), "list");
    if (response.status !== 201) throw new Error(`seeding ${key}: ${response.status} ${response.text.slice(0, 500)}`);
    pool.set(key, (JSON.parse(response.text) as { items: Array<{ id: string }> }).items.map((r) => r.id));
  }
  return pool;
}
