import { createAjv } from "../definition/create-ajv.ts";
import type { EntityDefinition } from "../definition/types.ts";
import type { Result } from "../issues.ts";
import { decimalKeyword } from "./decimal-keyword.ts";
import { recordIssues } from "./record-issues.ts";
import { deriveRecordSchema } from "./record-schema.ts";
import type { WriteMode } from "./record-schema.ts";

/** Checks one record write; on success `value` is the record itself (nothing is coerced). */
export type RecordValidator = (record: unknown) => Result<Record<string, unknown>>;

const ajv = createAjv();
ajv.addKeyword(decimalKeyword);

// Versions are immutable, so a validator per (entity id, version, mode) never goes stale; the cap
// only bounds memory in a long-lived server that sees many versions.
const MAX_VERSIONS = 1000;
const byVersion = new Map<string, RecordValidator>();
const byDefinition = new WeakMap<EntityDefinition, Partial<Record<WriteMode, RecordValidator>>>();

/**
 * Compile (without caching) the validator of record writes for a definition that passed
 * `validateDefinition`.
 * @example buildRecordValidator(account, "update")({ name: "Acme" }) // { ok: true, value: { name: "Acme" } }
 */
export function buildRecordValidator(def: EntityDefinition, mode: WriteMode): RecordValidator {
  const schema = deriveRecordSchema(def, mode);
  const validate = ajv.compile(schema);
  // ajv keeps every compiled schema in its cache; the function does not need that entry.
  ajv.removeSchema(schema);
  return function validateRecord(record) {
    if (validate(record)) return { ok: true, value: record as Record<string, unknown> };
    return { ok: false, issues: recordIssues(validate.errors, def) };
  };
}

/**
 * The validator of record writes for a definition, compiled once and cached: by
 * (entity id, version, mode) when a version is given, else by the definition object itself.
 *
 * @example
 * const check = compileRecordValidator(account, "create", 7);
 * check({ name: "" });
 * // { ok: false, issues: [{ code: "TOO_SHORT", pointer: "/name", message: "\"Name\" must not be empty." }] }
 */
export function compileRecordValidator(def: EntityDefinition, mode: WriteMode, version?: number | string): RecordValidator {
  if (version === undefined) {
    const cached = byDefinition.get(def) ?? {};
    const validator = cached[mode] ?? buildRecordValidator(def, mode);
    byDefinition.set(def, { ...cached, [mode]: validator });
    return validator;
  }
  const key = `${def.id}\u0000${String(version)}\u0000${mode}`;
  const found = byVersion.get(key);
  if (found) return found;
  const validator = buildRecordValidator(def, mode);
  byVersion.set(key, validator);
  if (byVersion.size > MAX_VERSIONS) byVersion.delete(byVersion.keys().next().value ?? key);
  return validator;
}
