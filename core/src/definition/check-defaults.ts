import { pointer } from "../issues.ts";
import { buildRecordValidator } from "../record/compile-record-validator.ts";
import type { DefinitionCheck } from "./definition-check.ts";
import type { FieldDefinition } from "./types.ts";

/**
 * Each default must be a value the field itself accepts: the record validator of a definition
 * made of the fields with defaults judges them, so defaults and record writes follow one set of
 * rules. Fields with any issue so far are skipped (their rules are not trustworthy yet).
 * @example checkDefaults(check) // reports NOT_AN_OPTION at /fields/3/default for an unknown option
 */
export function checkDefaults(check: DefinitionCheck): void {
  const judged = check.fields.filter(({ field, at }) => hasCheckableDefault(field) && check.isClean(at));
  if (judged.length === 0) return;
  // Only the judged fields are trusted: entity-level parts (label, description…) may still be invalid.
  const def = { id: "defaults", key: "defaults", label: { en: "Defaults" }, fields: judged.map((f) => f.field), uniques: [], indexes: [] };
  const values = Object.fromEntries(judged.map(({ field }) => [field.key, (field as { default?: unknown }).default]));
  const result = buildRecordValidator(def, "update")(values);
  if (result.ok) return;
  for (const issue of result.issues) {
    const [, key = "", ...rest] = issue.pointer.split("/");
    const owner = judged.find((f) => f.field.key === key.replace(/~1/g, "/").replace(/~0/g, "~"));
    if (!owner) continue;
    const at = pointer("fields", owner.index, "default") + (rest.length > 0 ? `/${rest.join("/")}` : "");
    check.report(issue.code, at, `Invalid default: ${issue.message}`);
  }
}

function hasCheckableDefault(field: FieldDefinition): boolean {
  if (!("default" in field) || field.default === undefined || field.type === "json") return false;
  // "now" is resolved when a record is created.
  return !((field.type === "date" || field.type === "datetime") && field.default === "now");
}
