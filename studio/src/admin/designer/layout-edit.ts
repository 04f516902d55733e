import type { EntityDefinition, EntityLayout, FormSection } from "@crm/core";
import { moveItem, newId } from "./draft.ts";

/** System fields a list column may show besides the entity's own fields. */
export const SYSTEM_COLUMNS = ["createdAt", "updatedAt", "ownerId", "createdBy", "updatedBy", "id"] as const;

/** The definition's layout, created empty on first use. */
export function layoutOf(definition: EntityDefinition): EntityLayout {
  definition.layout ??= {};
  return definition.layout;
}

/** Drops the parts the schema refuses empty (no sections, no columns) and an empty layout. */
export function tidyLayout(definition: EntityDefinition): void {
  const layout = definition.layout;
  if (!layout) return;
  if (layout.form && layout.form.sections.length === 0) delete layout.form;
  if (layout.list && layout.list.columns.length === 0) delete layout.list;
  if (layout.list && !layout.list.sort) delete layout.list.sort;
  if (Object.keys(layout).length === 0) delete definition.layout;
}

/** Field keys placed in no section (shown by the studio in a last section of their own). */
export function unplacedFields(definition: EntityDefinition): string[] {
  const placed = new Set((definition.layout?.form?.sections ?? []).flatMap((s) => s.fields));
  return definition.fields.filter((f) => f.type !== "relation" || f.relation === "manyToOne").map((f) => f.key).filter((k) => !placed.has(k));
}

export function addSection(definition: EntityDefinition, fields: string[] = []): FormSection {
  const layout = layoutOf(definition);
  layout.form ??= { sections: [] };
  const section: FormSection = { id: newId("s", layout.form.sections.map((s) => s.id)), label: { en: "", "zh-CN": "" }, columns: 2, fields };
  layout.form.sections.push(section);
  return section;
}

/** Put `key` at the end of section `to` (out of whichever section held it). */
export function moveFieldToSection(definition: EntityDefinition, key: string, to: string): void {
  const sections = definition.layout?.form?.sections ?? [];
  const target = sections.find((s) => s.id === to);
  if (!target) return;
  for (const section of sections) section.fields = section.fields.filter((f) => f !== key);
  target.fields.push(key);
}

export function moveWithin<T>(list: T[], from: number, to: number): void {
  list.splice(0, list.length, ...moveItem(list, from, to));
}
