import { cloneJson } from "./clone.ts";
import type { EntityDefinition, FieldDefinition } from "@crm/core";

/** Fields a form edits: not computed (auto numbers), not owned by the other side (one-to-many). */
export function isEditable(field: FieldDefinition): boolean {
  if (field.type === "autoNumber") return false;
  if (field.type === "relation" && field.relation === "oneToMany") return false;
  return true;
}

/** "Nothing entered" for a field's widget. */
export function isEmpty(value: unknown): boolean {
  return value === undefined || value === null || value === "" || (Array.isArray(value) && value.length === 0);
}

/** An expanded relation (`{ id, … }`) back to its id, as writes take it. */
function idsOf(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(idsOf);
  if (value && typeof value === "object" && "id" in value) return (value as { id: unknown }).id;
  return value;
}

/** A field's default for a new record, as the form shows it ("now" is left to the server). */
function defaultOf(field: FieldDefinition): unknown {
  const value = "default" in field ? field.default : undefined;
  return value === "now" ? undefined : value;
}

/**
 * A record's values as the form edits them, keyed by field: relations as ids, missing values as null;
 * without a record (a new one), the fields' defaults.
 * @example formValues(account, { id: "…", name: "Acme", parent: { id: "p1", name: "Group" } }) // { name: "Acme", parent: "p1", … }
 */
export function formValues(def: EntityDefinition, record?: Record<string, unknown>): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const field of def.fields) {
    if (!isEditable(field)) continue;
    const value = record === undefined ? defaultOf(field) : record[field.key];
    values[field.key] = field.type === "relation" ? (idsOf(value) ?? null) : cloneJson(value ?? null);
  }
  return values;
}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}

/**
 * The body of a write: for a new record every entered value; for an update only what changed, with
 * cleared values as null (a cleared many-to-many as an empty list).
 * @example writeBody(account, { name: "Acme", phone: "" }) // { name: "Acme" }
 */
export function writeBody(def: EntityDefinition, values: Record<string, unknown>, original?: Record<string, unknown>): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  for (const field of def.fields) {
    if (!isEditable(field) || !(field.key in values)) continue;
    const value = values[field.key];
    if (original === undefined) {
      if (!isEmpty(value)) body[field.key] = value;
      continue;
    }
    if (same(isEmpty(value) ? null : value, isEmpty(original[field.key]) ? null : original[field.key])) continue;
    const many = field.type === "multiSelect" || (field.type === "relation" && field.relation === "manyToMany");
    body[field.key] = isEmpty(value) ? (many ? [] : null) : value;
  }
  return body;
}
