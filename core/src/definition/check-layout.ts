import type { DefinitionCheck } from "./definition-check.ts";
import { isScalar, isStored } from "./field-traits.ts";
import { SYSTEM_FIELDS, type FieldDefinition } from "./types.ts";

type Find = (key: string) => FieldDefinition | undefined;

/**
 * The layout's rules: every key names a field of the entity (list columns and card fields may also
 * name a system field); a field sits in at most one form section and one list column; a kanban
 * groups by a select field; a calendar places records by date or datetime fields; the default sort
 * names sortable fields. Only the parts that passed the schema are looked at.
 * @example checkLayout(check) // reports NOT_A_SELECT_FIELD at /layout/kanban/field for a text field
 */
export function checkLayout(check: DefinitionCheck): void {
  const layout = check.def.layout;
  if (!layout || !check.isClean("/layout")) return;
  const byKey = new Map(check.fields.map(({ field }) => [field.key, field]));
  const known = new Set(check.rawFields.map((raw) => (raw as { key?: unknown } | null)?.key).filter((key) => typeof key === "string"));
  const find: Find = (key) => byKey.get(key);
  /** The entity field a key names; reported when there is none. */
  const fieldAt = (key: string, at: string): FieldDefinition | undefined => {
    const field = find(key);
    // A field with its own schema issue is reported there, not again here.
    if (!field && !known.has(key)) check.report("UNKNOWN_FIELD", at, `No field has the key "${key}".`);
    return field;
  };
  /** The same, where a system field (`createdAt`, `ownerId`…) may stand too. */
  const columnAt = (key: string, at: string): FieldDefinition | "system" | undefined =>
    (SYSTEM_FIELDS as readonly string[]).includes(key) ? "system" : fieldAt(key, at);

  const sectionIds = new Map<string, number>();
  const placed = new Map<string, string>();
  layout.form?.sections.forEach((section, index) => {
    const at = `/layout/form/sections/${index}`;
    const first = sectionIds.get(section.id);
    if (first === undefined) sectionIds.set(section.id, index);
    else check.report("DUPLICATE_ID", `${at}/id`, `Section ${first} already has the id "${section.id}".`);
    section.fields.forEach((key, i) => {
      const keyAt = `${at}/fields/${i}`;
      fieldAt(key, keyAt);
      const earlier = placed.get(key);
      if (earlier) check.report("DUPLICATE_FIELD", keyAt, `"${key}" is already on the form at ${earlier}.`);
      else placed.set(key, keyAt);
    });
  });

  const columns = new Set<string>();
  layout.list?.columns.forEach((column, index) => {
    const at = `/layout/list/columns/${index}/field`;
    if (columns.has(column.field)) check.report("DUPLICATE_FIELD", at, `"${column.field}" is already a column.`);
    columns.add(column.field);
    const field = columnAt(column.field, at);
    if (field && field !== "system" && !isStored(field)) {
      check.report("NOT_LISTABLE", at, `"${column.field}" is a to-many relation: show it as a related list on the record page, not as a column.`);
    }
  });
  const sort = layout.list?.sort;
  if (sort) {
    for (const term of sort.split(",")) {
      const key = term.replace(/^-/, "");
      const field = columnAt(key, "/layout/list/sort");
      if (field && field !== "system" && !isScalar(field)) check.report("NOT_SORTABLE", "/layout/list/sort", `Records cannot be sorted by "${key}" (${field.type}).`);
    }
  }

  const kanban = layout.kanban;
  if (kanban) {
    const field = fieldAt(kanban.field, "/layout/kanban/field");
    if (field && field.type !== "select") check.report("NOT_A_SELECT_FIELD", "/layout/kanban/field", `A kanban needs a select field for its columns; "${kanban.field}" is ${field.type}.`);
    kanban.cardFields?.forEach((key, index) => {
      const at = `/layout/kanban/cardFields/${index}`;
      const card = columnAt(key, at);
      if (card && card !== "system" && !isScalar(card)) check.report("NOT_LISTABLE", at, `"${key}" (${card.type}) cannot be shown on a card.`);
    });
  }

  const calendar = layout.calendar;
  if (calendar) {
    for (const part of ["startField", "endField"] as const) {
      const key = calendar[part];
      if (key === undefined) continue;
      const at = `/layout/calendar/${part}`;
      const field = fieldAt(key, at);
      if (field && field.type !== "date" && field.type !== "datetime") check.report("NOT_A_DATE_FIELD", at, `A calendar needs a date or datetime field; "${key}" is ${field.type}.`);
    }
  }
}
