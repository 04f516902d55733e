import type { EntityDefinition } from "@crm/core";

/** A small entity for the designers' tests: a text, a select and a date field. */
export const dealDefinition = (): EntityDefinition => ({
  id: "deal",
  key: "deal",
  label: { en: "Deal" },
  fields: [
    { id: "f1", key: "name", type: "text", label: { en: "Name" } },
    { id: "f2", key: "stage", type: "select", label: { en: "Stage" }, options: [{ key: "open", label: { en: "Open" } }] },
    { id: "f3", key: "due", type: "date", label: { en: "Due" } },
  ],
});
