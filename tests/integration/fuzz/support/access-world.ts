import type { EntityDefinition, FieldDefinition } from "@crm/core";
import { entity } from "../../support/definitions.ts";
import type { Definitions } from "./entity-paths.ts";

/**
 * The world of the access differential test: four entities, an organisation with fixed ids, and a
 * probe user whose role reads deals of its team, its own companies and its department's labels, with
 * a hidden field or relation on each, and no region at all.
 */

const options = (...keys: string[]) => keys.map((key) => ({ key, label: { en: key } }));

export const DEFINITIONS: EntityDefinition[] = [
  entity("region", [
    { key: "name", type: "text" },
    { key: "code", type: "text" },
  ]),
  entity("label", [
    { key: "name", type: "text" },
    { key: "color", type: "select", options: options("red", "green", "blue") },
    { key: "code", type: "text" },
  ]),
  entity("company", [
    { key: "name", type: "text" },
    { key: "city", type: "text" },
    { key: "tier", type: "select", options: options("gold", "silver", "bronze") },
    { key: "revenue", type: "currency", defaultCurrency: "EUR" },
    { key: "founded", type: "date" },
    { key: "notes", type: "longText" },
    { key: "parent", type: "relation", relation: "manyToOne", target: "company", onDelete: "setNull" },
    { key: "region", type: "relation", relation: "manyToOne", target: "region", onDelete: "setNull" },
    { key: "deals", type: "relation", relation: "oneToMany", target: "deal", inverse: "company" },
    { key: "partnerDeals", type: "relation", relation: "oneToMany", target: "deal", inverse: "partner" },
  ] as Array<Partial<FieldDefinition> & { key: string; type: FieldDefinition["type"] }>),
  entity("deal", [
    { key: "title", type: "text" },
    { key: "description", type: "longText" },
    { key: "amount", type: "currency", defaultCurrency: "EUR" },
    { key: "stage", type: "select", options: options("lead", "won", "lost") },
    { key: "closeDate", type: "date" },
    { key: "closedAt", type: "datetime" },
    { key: "probability", type: "integer" },
    { key: "secret", type: "text" },
    { key: "margin", type: "decimal", precision: 10, scale: 2 },
    { key: "company", type: "relation", relation: "manyToOne", target: "company", onDelete: "setNull" },
    { key: "partner", type: "relation", relation: "manyToOne", target: "company", onDelete: "setNull" },
    { key: "labels", type: "relation", relation: "manyToMany", target: "label" },
  ] as Array<Partial<FieldDefinition> & { key: string; type: FieldDefinition["type"] }>),
];

export const DEFINITION_MAP: Definitions = new Map(DEFINITIONS.map((d) => [d.key, d]));

/** Field keys the probe may not read, per entity (`region`: nothing at all). */
export const HIDDEN: Record<string, readonly string[]> = {
  deal: ["secret", "margin", "partner"],
  company: ["notes"],
  label: ["code"],
};

/** Entities the probe may read, with the scope its role grants. */
export const PROBE_SCOPES = { deal: "team", company: "own", label: "department" } as const;

const fieldId = (entityKey: string, key: string) => `t-${entityKey.toLowerCase()}-${key.toLowerCase()}`;

/** The probe's role: scopes above, every hidden field `none`, no grant on region. */
export const PROBE_PERMISSIONS = {
  entities: Object.fromEntries(
    Object.entries(PROBE_SCOPES).map(([key, read]) => [`t-${key}`, { read, fields: Object.fromEntries((HIDDEN[key] ?? []).map((f) => [fieldId(key, f), "none"])) }]),
  ),
};

/** A fixed, valid v4 UUID per kind and number, not sorting in creation order. */
export function fixedId(kind: number, n: number): string {
  const scrambled = ((n * 2654435761) >>> 0).toString(16).padStart(8, "0");
  return `${scrambled}-${kind.toString(16).padStart(4, "0")}-4000-8000-${n.toString(16).padStart(12, "0")}`;
}

/** Departments HQ > Sales, and Other; teams Alpha (probe, mate) and Beta (peer, outsider). */
export const ORG = {
  departments: { hq: fixedId(1, 1), sales: fixedId(1, 2), other: fixedId(1, 3) },
  teams: { alpha: fixedId(2, 1), beta: fixedId(2, 2) },
  users: { probe: fixedId(3, 1), mate: fixedId(3, 2), peer: fixedId(3, 3), outsider: fixedId(3, 4), boss: fixedId(3, 5) },
} as const;

export type UserName = keyof typeof ORG.users;

/** Users whose records the probe reads, per entity (from the scopes and the organisation above). */
export const VISIBLE_OWNERS: Record<keyof typeof PROBE_SCOPES, readonly UserName[]> = {
  deal: ["probe", "mate"],
  company: ["probe"],
  label: ["probe", "mate", "peer"],
};

/** Owners of records the probe must not see (`null`: a record without owner). */
export const HIDDEN_OWNERS: Record<keyof typeof PROBE_SCOPES | "region", ReadonlyArray<UserName | null>> = {
  deal: ["peer", "outsider", "boss", null],
  company: ["mate", "peer", "outsider", "boss", null],
  label: ["outsider", "boss", null],
  region: ["probe", "mate", "peer", null],
};

/**
 * Whether a dotted path names something the probe cannot read: a hidden field, or anything of a
 * region. With `expand`, the path's relations are embedded, so reaching a region is already too far.
 */
export function isHiddenPath(root: string, path: string, expand = false): boolean {
  let entityKey = root;
  for (const segment of path.split(".")) {
    if (entityKey === "region" || HIDDEN[entityKey]?.includes(segment)) return true;
    const field = DEFINITION_MAP.get(entityKey)?.fields.find((f) => f.key === segment);
    if (field?.type !== "relation") return false;
    entityKey = field.target;
  }
  return expand && entityKey === "region";
}
