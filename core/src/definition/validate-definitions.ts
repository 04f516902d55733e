import { pointer } from "../issues.ts";
import type { Issue, Result } from "../issues.ts";
import { isObject } from "./definition-check.ts";
import type { EntityDefinition } from "./types.ts";
import { validateDefinition } from "./validate-definition.ts";

/**
 * Validate a set of entity definitions together: each one with the others as its context (so
 * relations may point at each other), plus entity keys (ignoring case) and ids unique across the
 * set. Pointers are prefixed with the definition's index: `/2/fields/0/key`.
 *
 * @example
 * validateDefinitions([account, contact]); // { ok: true, value: [account, contact] }
 */
export function validateDefinitions(inputs: unknown[]): Result<EntityDefinition[]> {
  if (!Array.isArray(inputs)) {
    return { ok: false, issues: [{ code: "INVALID_TYPE", pointer: "", message: "The definitions must be a list." }] };
  }
  const issues: Issue[] = [];
  inputs.forEach((input, index) => {
    const others = inputs.filter((_, i) => i !== index) as EntityDefinition[];
    const result = validateDefinition(input, { entities: others });
    if (!result.ok) issues.push(...result.issues.map((i) => ({ ...i, pointer: pointer(index) + i.pointer })));
  });
  issues.push(...duplicates(inputs, "key"), ...duplicates(inputs, "id"));
  if (issues.length > 0) return { ok: false, issues };
  return { ok: true, value: inputs as EntityDefinition[] };
}

function duplicates(inputs: unknown[], name: "key" | "id"): Issue[] {
  const seen = new Map<string, number>();
  const issues: Issue[] = [];
  inputs.forEach((input, index) => {
    const value = isObject(input) ? input[name] : undefined;
    if (typeof value !== "string") return;
    const folded = name === "key" ? value.toLowerCase() : value;
    const first = seen.get(folded);
    if (first === undefined) seen.set(folded, index);
    else {
      const code = name === "key" ? "DUPLICATE_KEY" : "DUPLICATE_ID";
      issues.push({ code, pointer: pointer(index, name), message: `Entity ${name} "${value}" is already used by definition ${first}.` });
    }
  });
  return issues;
}
