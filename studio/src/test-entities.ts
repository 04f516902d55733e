import type { EntityDefinition } from "@crm/core";

/** Definitions the studio's unit and component tests share. */
export const account: EntityDefinition = {
  id: "e-account",
  key: "account",
  label: { en: "Account" },
  fields: [
    { id: "f-name", key: "name", type: "text", label: { en: "Name" } },
    { id: "f-industry", key: "industry", type: "select", label: { en: "Industry" }, options: [{ key: "tech", label: { en: "Tech" } }] },
  ],
};

/** One field of each kind the studio treats differently. */
export const deal: EntityDefinition = {
  id: "e-deal",
  key: "deal",
  label: { en: "Deal" },
  fields: [
    { id: "f-title", key: "title", type: "text", label: { en: "Title" }, required: true, maxLength: 10 },
    { id: "f-seats", key: "seats", type: "integer", label: { en: "Seats" }, max: 10 },
    { id: "f-stage", key: "stage", type: "select", label: { en: "Stage" }, options: [{ key: "new", label: { en: "New" }, color: "#00aa00" }] },
    { id: "f-margin", key: "margin", type: "decimal", label: { en: "Margin" } },
    { id: "f-amount", key: "amount", type: "currency", label: { en: "Amount" } },
    { id: "f-tags", key: "tags", type: "multiSelect", label: { en: "Tags" }, options: [] },
    { id: "f-data", key: "data", type: "json", label: { en: "Data" } },
    { id: "f-no", key: "number", type: "autoNumber", label: { en: "No." } },
    { id: "f-account", key: "account", type: "relation", relation: "manyToOne", target: "account", label: { en: "Account" } },
    { id: "f-lines", key: "lines", type: "relation", relation: "oneToMany", target: "line", inverse: "deal", label: { en: "Lines" } },
    { id: "f-contacts", key: "contacts", type: "relation", relation: "manyToMany", target: "contact", label: { en: "Contacts" } },
  ],
};

/** `deal` with only the given fields. */
export function dealWith(...keys: string[]): EntityDefinition {
  return { ...deal, fields: deal.fields.filter((f) => keys.includes(f.key)) };
}
