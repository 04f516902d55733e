import type { Issue, Result } from "../issues.ts";
import { checkDefaults } from "./check-defaults.ts";
import { checkEntity } from "./check-entity.ts";
import { checkLayout } from "./check-layout.ts";
import { checkField } from "./check-field.ts";
import { checkNames } from "./check-names.ts";
import { checkRelation } from "./check-relation.ts";
import { createDefinitionCheck, isObject } from "./definition-check.ts";
import { schemaIssues } from "./schema-issues.ts";
import type { EntityDefinition } from "./types.ts";

/** What a definition is checked against besides itself. */
export interface DefinitionContext {
  /**
   * The other entities relations may target. A relation may always target the entity itself;
   * without this list, any other target is unknown. An entry with the validated entity's id is
   * taken as its older version and ignored.
   */
  entities?: EntityDefinition[];
}

/**
 * Validate an entity definition: first against `entity.schema.json`, then every semantic rule
 * (reserved and duplicate names, relation targets and inverses, ranges, patterns, options,
 * defaults, display field, composite constraints) on the parts that passed the schema. Returns
 * every issue at once, each with a JSON Pointer into `input`.
 *
 * @example
 * validateDefinition({ id: "account", key: "account", label: { en: "Account" },
 *   fields: [{ id: "f1", key: "select", label: { en: "Select" }, type: "text" }] });
 * // { ok: false, issues: [{ code: "RESERVED_NAME", pointer: "/fields/0/key", message: "…" }] }
 */
export function validateDefinition(input: unknown, context: DefinitionContext = {}): Result<EntityDefinition> {
  const issues: Issue[] = schemaIssues(input);
  if (!isObject(input)) return { ok: false, issues };
  const check = createDefinitionCheck(input, issues, context.entities ?? []);
  checkNames(check);
  for (const field of check.fields) {
    checkField(check, field);
    checkRelation(check, field);
  }
  checkEntity(check);
  checkLayout(check);
  checkDefaults(check);
  if (issues.length > 0) return { ok: false, issues };
  return { ok: true, value: input as unknown as EntityDefinition };
}
