import type { EntityDefinition, FieldDefinition } from "../definition/types.ts";
import { columnDefaults } from "./column-defaults.ts";
import { fieldColumns } from "./field-columns.ts";
import type { FieldState } from "./plan-env.ts";
import { ident, raw } from "./sql.ts";
import type { ParkedField } from "./types.ts";

function optionKeys(field: FieldDefinition): string[] | undefined {
  return field.type === "select" || field.type === "multiSelect" ? field.options.map((o) => o.key) : undefined;
}

function textBound(field: FieldDefinition): number | undefined {
  return "maxLength" in field ? field.maxLength : undefined;
}

function onDeleteOf(field: FieldDefinition) {
  return field.type === "relation" && field.relation === "manyToOne" ? (field.onDelete ?? "restrict") : undefined;
}

/** A field as it stands in the previous definition; its values are its own columns. */
export function existingFieldState(entity: Pick<EntityDefinition, "id">, field: FieldDefinition): FieldState {
  const columns = fieldColumns(field).map((c) => c.name);
  return {
    field,
    columns,
    notNull: field.required === true && columns.length > 0,
    defaults: columnDefaults(entity, field),
    unique: field.unique === true && columns.length > 0,
    index: field.indexed === true && columns.length > 0,
    onDelete: onDeleteOf(field),
    values: columns.map((c) => ident(c)),
    options: optionKeys(field),
    maxLength: textBound(field),
    dataChanged: false,
    columnsChanged: false,
    typeChanged: false,
    valueMapApplied: false,
  };
}

/**
 * A parked field just restored under its new key. Parking relaxed NOT NULL and switched the foreign
 * key to ON DELETE SET NULL; defaults, unique constraint and index were kept.
 */
export function restoredFieldState(entity: Pick<EntityDefinition, "id">, parked: ParkedField, key: string): FieldState {
  const field = { ...parked.field, key };
  const columns = fieldColumns(field).map((c) => c.name);
  return {
    ...existingFieldState(entity, field),
    notNull: false,
    onDelete: onDeleteOf(field) === undefined ? undefined : "setNull",
    values: parked.columns.map((c) => ident(c)),
    columns,
  };
}

/** A field just added by `addColumn`: existing rows hold its default (or nothing). */
export function addedFieldState(entity: Pick<EntityDefinition, "id">, field: FieldDefinition): FieldState {
  const state = existingFieldState(entity, field);
  const hasDefault = state.defaults[0] !== undefined;
  return {
    ...state,
    notNull: field.required === true && state.columns.length > 0 && hasDefault,
    unique: false,
    index: false,
    values: field.type === "autoNumber" ? [null] : state.defaults.map((d) => raw(d === undefined ? "NULL" : `(${d})`)),
  };
}
