import type { EntityDefinition, FieldDefinition, LocalizedText } from "@crm/core";
import { isColumnField } from "./display.ts";
import { isEditable } from "./record-values.ts";

/** System fields a list can show. */
export const SYSTEM_COLUMNS = ["createdAt", "updatedAt", "ownerId"] as const;
export type SystemColumn = (typeof SYSTEM_COLUMNS)[number];

export interface ListColumnView {
  key: string;
  /** Absent for a system field. */
  field?: FieldDefinition;
  width?: number;
}

export interface SortKey {
  field: string;
  desc: boolean;
}

export interface FormSectionView {
  id: string;
  label?: LocalizedText;
  columns: 1 | 2 | 3;
  collapsed: boolean;
  fields: FieldDefinition[];
}

const isSystemColumn = (key: string): key is SystemColumn => (SYSTEM_COLUMNS as readonly string[]).includes(key);

/**
 * The list's columns: the layout's, less fields the caller cannot read (the definition from
 * /api/me/entities has only readable ones); without a layout, the display field and the next
 * scalar fields, six in all.
 */
export function listColumns(def: EntityDefinition): ListColumnView[] {
  const byKey = new Map(def.fields.map((f) => [f.key, f]));
  const given = def.layout?.list?.columns;
  if (given?.length) {
    return given.flatMap<ListColumnView>((column) => {
      const field = byKey.get(column.field);
      if (field) return isColumnField(field) ? [{ key: field.key, field, width: column.width }] : [];
      return isSystemColumn(column.field) ? [{ key: column.field, width: column.width }] : [];
    });
  }
  const display = def.displayField ? byKey.get(def.displayField) : undefined;
  const rest = def.fields.filter((f) => f !== display && isColumnField(f));
  return [...(display ? [display] : []), ...rest].slice(0, 6).map((field) => ({ key: field.key, field }));
}

/**
 * A `sort` parameter as sort keys.
 * @example parseSort("-amount,name") // [{ field: "amount", desc: true }, { field: "name", desc: false }]
 */
export function parseSort(sort: string | undefined): SortKey[] {
  if (!sort) return [];
  return sort.split(",").map((s) => s.trim()).filter(Boolean).map((s) => (s.startsWith("-") ? { field: s.slice(1), desc: true } : { field: s, desc: false }));
}

export function formatSort(keys: readonly SortKey[]): string | undefined {
  return keys.map((s) => (s.desc ? "-" : "") + s.field).join(",") || undefined;
}

/** The layout's default sort, less fields the caller cannot read. */
export function defaultSort(def: EntityDefinition): SortKey[] {
  const known = new Set([...def.fields.map((f) => f.key), ...SYSTEM_COLUMNS]);
  return parseSort(def.layout?.list?.sort).filter((s) => known.has(s.field));
}

/**
 * The form's sections: the layout's, with only readable form fields; fields no section names come
 * last in a section of their own (nothing readable is left off the form). Without a layout, one
 * section of every field.
 */
export function formSections(def: EntityDefinition): FormSectionView[] {
  const onForm = def.fields.filter((f) => isEditable(f) || f.type === "autoNumber");
  const byKey = new Map(onForm.map((f) => [f.key, f]));
  const placed = new Set<string>();
  const sections: FormSectionView[] = (def.layout?.form?.sections ?? []).map((section) => {
    const fields = section.fields.flatMap((key) => {
      const field = byKey.get(key);
      if (!field || placed.has(key)) return [];
      placed.add(key);
      return [field];
    });
    return { id: section.id, label: section.label, columns: section.columns ?? 2, collapsed: section.collapsed ?? false, fields };
  });
  const rest = onForm.filter((f) => !placed.has(f.key));
  if (rest.length) sections.push({ id: "other", columns: 2, collapsed: false, fields: rest });
  return sections.filter((s) => s.fields.length > 0);
}
