import type { CheckedField, DefinitionCheck } from "./definition-check.ts";
import { isObject } from "./definition-check.ts";
import type { RelationField } from "./types.ts";

/**
 * The rules of a relation field: a target that exists (another entity given as context, or this
 * one), `onDelete` only on many-to-one and never `setNull` on a required field, and `inverse` only
 * on one-to-many, where it must name the many-to-one field on the target that points back here.
 * @example checkRelation(check, { field, index: 4, at: "/fields/4" })
 */
export function checkRelation(check: DefinitionCheck, { field, at }: CheckedField): void {
  if (field.type !== "relation") return;
  checkFlags(check, field, at);
  const targetFields = findTargetFields(check, field.target);
  if (!targetFields) {
    check.report("UNKNOWN_TARGET", `${at}/target`, `No entity has the key "${field.target}".`);
  }
  if (field.relation !== "oneToMany") return;
  if (field.inverse === undefined) {
    check.report("MISSING_INVERSE", `${at}/inverse`, `A oneToMany relation needs "inverse": the manyToOne field on "${field.target}" that points back here.`);
    return;
  }
  if (!targetFields) return;
  const inverse = targetFields.find((f) => isObject(f) && f["key"] === field.inverse);
  if (!isObject(inverse)) {
    check.report("UNKNOWN_INVERSE", `${at}/inverse`, `Entity "${field.target}" has no field "${field.inverse}".`);
  } else if (inverse["type"] !== "relation" || inverse["relation"] !== "manyToOne" || inverse["target"] !== check.def.key) {
    check.report("INVALID_INVERSE", `${at}/inverse`, `"${field.target}.${field.inverse}" must be a manyToOne relation targeting "${check.def.key}".`);
  }
}

function checkFlags(check: DefinitionCheck, field: RelationField, at: string): void {
  if (field.onDelete !== undefined && field.relation !== "manyToOne") {
    check.report("ON_DELETE_NOT_ALLOWED", `${at}/onDelete`, `"onDelete" applies only to manyToOne relations, not ${field.relation}.`);
  }
  if (field.relation === "manyToOne" && field.onDelete === "setNull" && field.required === true) {
    check.report("CONTRADICTORY_ON_DELETE", `${at}/onDelete`, `"setNull" would empty a required field when its target is deleted; use "restrict" or "cascade", or make the field optional.`);
  }
  if (field.inverse !== undefined && field.relation !== "oneToMany") {
    check.report("INVERSE_NOT_ALLOWED", `${at}/inverse`, `"inverse" applies only to oneToMany relations, not ${field.relation}.`);
  }
}

// The entity itself wins over a context entry with its id (an older version of it).
function findTargetFields(check: DefinitionCheck, target: string): unknown[] | undefined {
  if (target === check.def.key) return check.rawFields;
  const entity = check.others.find((e) => isObject(e) && e["key"] === target && e["id"] !== check.def.id);
  if (!isObject(entity)) return undefined;
  return Array.isArray(entity["fields"]) ? entity["fields"] : [];
}
