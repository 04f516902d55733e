import type { EntityDefinition } from "@crm/core";

/** The layout without `key` anywhere (sections, columns, sort, kanban, calendar), so deleting a field leaves it valid. */
export function withoutFieldInLayout(layout: EntityDefinition["layout"], key: string): EntityDefinition["layout"] {
  if (!layout) return layout;
  const next = structuredClone(JSON.parse(JSON.stringify(layout))) as NonNullable<EntityDefinition["layout"]>;
  if (next.form) for (const section of next.form.sections) section.fields = section.fields.filter((f) => f !== key);
  if (next.list) {
    next.list.columns = next.list.columns.filter((c) => c.field !== key);
    if (next.list.sort) {
      const sort = next.list.sort.split(",").filter((s) => s.replace(/^-/, "") !== key).join(",");
      if (sort) next.list.sort = sort;
      else delete next.list.sort;
    }
    if (!next.list.columns.length) delete next.list;
  }
  if (next.kanban?.field === key) delete next.kanban;
  else if (next.kanban?.cardFields) next.kanban.cardFields = next.kanban.cardFields.filter((f) => f !== key);
  if (next.calendar?.startField === key) delete next.calendar;
  else if (next.calendar?.endField === key) delete next.calendar.endField;
  return next;
}
