import type { EntityDefinition } from "../definition/types.ts";
import type { Issue } from "../issues.ts";
import { describeField, resolvePath } from "./resolve-path.ts";
import type { ResolvedSort, SortTerm } from "./types.ts";
import { SORTABLE_KINDS, valueKind } from "./value-kind.ts";

/**
 * Resolve sort terms: stored scalar fields, system fields and paths through manyToOne relations.
 * The record id always ends the sort (ascending unless sorted by already), which makes the order
 * total; terms after `id` could never matter and are dropped.
 * @example resolveSort([{ path: ["amount"], direction: "desc" }], deal, entities, issues) // [amount desc, id asc]
 */
export function resolveSort(terms: readonly SortTerm[], entity: EntityDefinition, entities: readonly EntityDefinition[], issues: Issue[]): ResolvedSort[] {
  const sort: ResolvedSort[] = [];
  for (const term of terms) {
    const text = term.path.join(".");
    const found = resolvePath(term.path, entity, entities);
    if ("error" in found) {
      issues.push({ code: found.error.code, pointer: "/sort", message: `sort: ${found.error.message}` });
      continue;
    }
    if (!SORTABLE_KINDS.includes(valueKind(found.path))) {
      issues.push({ code: "FIELD_NOT_SORTABLE", pointer: "/sort", message: `sort: "${text}" is ${describeField(found.path.field)} and cannot be sorted by` });
      continue;
    }
    sort.push({ path: found.path, direction: term.direction });
    if (isRootId(sort[sort.length - 1]!)) return sort;
  }
  const id = resolvePath(["id"], entity, entities);
  if ("path" in id) sort.push({ path: id.path, direction: "asc" });
  return sort;
}

function isRootId(term: ResolvedSort): boolean {
  return term.path.hops.length === 0 && term.path.field.type === "system" && term.path.field.key === "id";
}
