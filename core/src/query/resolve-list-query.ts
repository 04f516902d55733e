import { SYSTEM_FIELDS, type EntityDefinition } from "../definition/types.ts";
import type { Issue, Result } from "../issues.ts";
import { decodeCursor } from "./cursor.ts";
import { resolveExpand } from "./resolve-expand.ts";
import { resolveFilter } from "./resolve-filter.ts";
import { resolveSort } from "./resolve-sort.ts";
import { searchFields } from "./search.ts";
import type { ListQuery, ResolvedListQuery } from "./types.ts";

/**
 * Check a parsed list query against the entity and the other definitions (for relation paths):
 * every issue at once, pointing at the parameter it comes from.
 * @example resolveListQuery(parsed, deal, entities) // { ok: true, value: { entity: deal, sort: [amount desc, id asc], … } }
 */
export function resolveListQuery(query: ListQuery, entity: EntityDefinition, entities: readonly EntityDefinition[]): Result<ResolvedListQuery> {
  const issues: Issue[] = [];
  const sort = resolveSort(query.sort, entity, entities, issues);
  // A cursor is only checked against a sort that resolved completely.
  const sortResolved = issues.length === 0;
  const resolved: ResolvedListQuery = {
    entity,
    sort,
    limit: query.limit,
    expand: resolveExpand(query.expand, entity, entities, issues),
    count: query.count,
  };
  if (query.filter) {
    const filter = resolveFilter(query.filter, entity, entities, issues);
    if (filter) resolved.filter = filter;
  }
  if (query.search !== undefined) {
    if (searchFields(entity).length === 0) {
      issues.push({ code: "SEARCH_UNAVAILABLE", pointer: "/q", message: `q: ${entity.key} has no text fields to search` });
    } else resolved.search = query.search;
  }
  if (query.fields) resolved.fields = resolveFields(query.fields, resolved, issues);
  if (query.cursor !== undefined && sortResolved) {
    const after = decodeCursor(query.cursor, entity, resolved.sort);
    if (after.ok) resolved.after = after.value;
    else issues.push(...after.issues);
  }
  return issues.length > 0 ? { ok: false, issues } : { ok: true, value: resolved };
}

/** Field keys to return; system fields are always returned, and expanded relations are added. */
function resolveFields(keys: readonly string[], query: ResolvedListQuery, issues: Issue[]): string[] {
  const fields: string[] = [];
  for (const key of keys) {
    if ((SYSTEM_FIELDS as readonly string[]).includes(key)) continue;
    if (query.entity.fields.some((f) => f.key === key)) fields.push(key);
    else issues.push({ code: "UNKNOWN_FIELD", pointer: "/fields", message: `fields: ${query.entity.key} has no field "${key}"` });
  }
  for (const expand of query.expand) if (!fields.includes(expand.field.key)) fields.push(expand.field.key);
  return fields;
}
