import { pointer } from "../issues.ts";
import type { DefinitionCheck } from "./definition-check.ts";
import { isObject } from "./definition-check.ts";
import { isIndexable, isScalar } from "./field-traits.ts";
import type { CompositeConstraint, FieldDefinition } from "./types.ts";

/** Where a key points in `fields`: the index, and the field when it passed the schema. */
interface FoundField {
  index: number;
  field: FieldDefinition | undefined;
}

/**
 * Entity-level rules: `displayField` names a scalar field, and composite uniques and indexes list
 * existing, indexable fields once each, under ids unique across both lists.
 * @example checkEntity(check) // reports UNKNOWN_FIELD at /displayField for a missing key
 */
export function checkEntity(check: DefinitionCheck): void {
  const find = fieldFinder(check);
  const display = check.def.displayField;
  if (typeof display === "string" && check.isClean("/displayField")) {
    const found = find(display);
    if (!found) {
      check.report("UNKNOWN_FIELD", "/displayField", `No field has the key "${display}".`);
    } else if (found.field && !isScalar(found.field)) {
      check.report("INVALID_DISPLAY_FIELD", "/displayField", `"${display}" cannot be the display field: it must hold a single plain value (not a list, JSON or a to-many relation).`);
    }
  }
  const zone = check.def.pool?.timeZone;
  if (typeof zone === "string" && check.isClean("/pool/timeZone") && !isTimeZone(zone)) {
    check.report("UNKNOWN_TIME_ZONE", "/pool/timeZone", `"${zone}" is not an IANA time zone (e.g. Europe/Berlin, Asia/Shanghai).`);
  }
  const ids = new Map<string, string>();
  for (const list of ["uniques", "indexes"] as const) {
    const constraints = check.def[list];
    if (!Array.isArray(constraints)) continue;
    const shapes = new Map<string, number>();
    constraints.forEach((constraint, index) => {
      const at = pointer(list, index);
      if (!check.isClean(at)) return;
      const first = ids.get(constraint.id);
      if (first === undefined) ids.set(constraint.id, at);
      else check.report("DUPLICATE_ID", `${at}/id`, `Id "${constraint.id}" is already used by ${first}.`);
      checkConstraintFields(check, find, constraint, at);
      const shape = constraint.fields.join(",");
      const same = shapes.get(shape);
      if (same === undefined) shapes.set(shape, index);
      else check.report("DUPLICATE_CONSTRAINT", `${at}/fields`, `${list === "uniques" ? "Unique constraint" : "Index"} ${same} already covers the same fields in the same order.`);
    });
  }
}

function checkConstraintFields(check: DefinitionCheck, find: (key: string) => FoundField | undefined, constraint: CompositeConstraint, at: string): void {
  const seen = new Set<string>();
  constraint.fields.forEach((key, index) => {
    const keyAt = `${at}/fields/${index}`;
    if (seen.has(key)) {
      check.report("DUPLICATE_FIELD", keyAt, `"${key}" is listed twice.`);
      return;
    }
    seen.add(key);
    const found = find(key);
    if (!found) check.report("UNKNOWN_FIELD", keyAt, `No field has the key "${key}".`);
    else if (found.field && !isIndexable(found.field)) {
      check.report("NOT_INDEXABLE", keyAt, `"${key}" (${found.field.type}) cannot be part of an index or unique constraint.`);
    }
  });
}

function fieldFinder(check: DefinitionCheck): (key: string) => FoundField | undefined {
  const clean = new Map(check.fields.map((f) => [f.index, f.field]));
  const byKey = new Map<string, FoundField>();
  check.rawFields.forEach((raw, index) => {
    if (!isObject(raw) || typeof raw["key"] !== "string" || byKey.has(raw["key"])) return;
    byKey.set(raw["key"], { index, field: clean.get(index) });
  });
  return (key) => byKey.get(key);
}

/** Whether the runtime knows `zone` as an IANA time zone. @example isTimeZone("Asia/Shanghai") // true */
export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat("en", { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}
