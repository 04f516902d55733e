import type { EntityDefinition } from "../definition/types.ts";
import type { Issue } from "../issues.ts";
import { describeField } from "./resolve-path.ts";
import type { ExpandTree, ResolvedExpand } from "./types.ts";
import { MAX_EXPAND_DEPTH } from "./parse-list-query.ts";

/**
 * Resolve `expand`: relation fields only (manyToOne, oneToMany, manyToMany), at most two levels.
 * @example resolveExpand({ contacts: { account: {} } }, account, entities, issues) // [{ field: contacts, target: contact, children: [{ field: account, … }] }]
 */
export function resolveExpand(tree: ExpandTree, entity: EntityDefinition, entities: readonly EntityDefinition[], issues: Issue[], prefix = "", depth = 1): ResolvedExpand[] {
  const expands: ResolvedExpand[] = [];
  for (const [key, children] of Object.entries(tree)) {
    const text = prefix + key;
    if (depth > MAX_EXPAND_DEPTH) {
      issues.push({ code: "EXPAND_TOO_DEEP", pointer: "/expand", message: `expand: "${text}" is deeper than ${MAX_EXPAND_DEPTH} levels` });
      continue;
    }
    const field = entity.fields.find((f) => f.key === key);
    if (!field) {
      issues.push({ code: "UNKNOWN_FIELD", pointer: "/expand", message: `expand: ${entity.key} has no field "${key}" (in "${text}")` });
      continue;
    }
    if (field.type !== "relation") {
      issues.push({ code: "NOT_A_RELATION", pointer: "/expand", message: `expand: "${text}" is ${describeField(field)}; only relations can be expanded` });
      continue;
    }
    const target = entities.find((e) => e.key === field.target);
    if (!target) {
      issues.push({ code: "UNKNOWN_ENTITY", pointer: "/expand", message: `expand: the target entity "${field.target}" of "${text}" is not defined` });
      continue;
    }
    if (field.relation === "oneToMany" && !target.fields.some((f) => f.key === field.inverse)) {
      issues.push({ code: "UNKNOWN_FIELD", pointer: "/expand", message: `expand: "${text}" has no inverse field on ${target.key}` });
      continue;
    }
    expands.push({ source: entity, field, target, children: resolveExpand(children, target, entities, issues, `${text}.`, depth + 1) });
  }
  return expands;
}
