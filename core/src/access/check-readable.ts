import type { Issue } from "../issues.ts";
import { searchFields } from "../query/search.ts";
import type { ResolvedAggregateQuery, ResolvedExpand, ResolvedFilter, ResolvedListQuery, ResolvedPath } from "../query/types.ts";
import type { ReadPolicy } from "./read-policy.ts";

/**
 * Refuse a list or aggregate query that would use what the caller cannot read: a hidden field (or a
 * hidden relation on the way) in `fields`, a filter, a sort, a group or a metric; an expand of a hidden
 * relation or of an entity the caller cannot read; a search where no searched field is readable.
 * Using such a field would let results reveal its values, so it is a 400 naming the parameter, whether
 * or not any record matches.
 * @example checkReadable(query, repPolicy) // [{ code: "FIELD_NOT_READABLE", pointer: "/filter", … }]
 */
export function checkReadable(query: ResolvedListQuery | ResolvedAggregateQuery, policy: ReadPolicy): Issue[] {
  const issues: Issue[] = [];
  const path = (p: ResolvedPath, pointer: string, name: string) => {
    const problem = pathProblem(p, policy);
    if (problem) issues.push({ code: "FIELD_NOT_READABLE", pointer, message: `${name}: ${problem}` });
  };
  const filter = (f: ResolvedFilter | undefined) => {
    if (!f) return;
    if ("and" in f) f.and.forEach(filter);
    else if ("or" in f) f.or.forEach(filter);
    else if ("not" in f) filter(f.not);
    else path(f.path, "/filter", "filter");
  };
  filter(query.filter);
  if (query.search !== undefined) {
    const readable = policy.readable(query.entity);
    if (readable && !searchFields(query.entity).some((f) => readable.has(f.key))) {
      issues.push({ code: "SEARCH_UNAVAILABLE", pointer: "/q", message: `q: you may read none of the text fields of ${query.entity.key}` });
    }
  }
  if ("groupBy" in query) {
    for (const group of query.groupBy) path(group.path, "/groupBy", `groupBy ${group.name}`);
    for (const metric of query.metrics) if (metric.fn !== "count") path(metric.path, "/metrics", `metric ${metric.name}`);
    return issues;
  }
  for (const sort of query.sort) path(sort.path, "/sort", "sort");
  const readable = policy.readable(query.entity);
  for (const key of query.fields ?? []) {
    if (readable && !readable.has(key)) issues.push({ code: "FIELD_NOT_READABLE", pointer: "/fields", message: `fields: you may not read ${query.entity.key}.${key}` });
  }
  const expand = (e: ResolvedExpand) => {
    const hidden = policy.readable(e.source);
    if (hidden && !hidden.has(e.field.key)) issues.push({ code: "FIELD_NOT_READABLE", pointer: "/expand", message: `expand: you may not read ${e.source.key}.${e.field.key}` });
    else if (!policy.canRead(e.target)) issues.push({ code: "ENTITY_NOT_READABLE", pointer: "/expand", message: `expand: you may not read ${e.target.key} records` });
    // The children of a oneToMany are picked by their back-reference: expanding it would reveal that field.
    else if (e.field.relation === "oneToMany" && e.field.inverse && policy.readable(e.target) && !policy.readable(e.target)!.has(e.field.inverse)) {
      issues.push({ code: "FIELD_NOT_READABLE", pointer: "/expand", message: `expand: you may not read ${e.target.key}.${e.field.inverse}` });
    }
    else e.children.forEach(expand);
  };
  query.expand.forEach(expand);
  return issues;
}

/** Why the caller cannot use a path, or undefined when every hop and the final field are readable. */
function pathProblem(path: ResolvedPath, policy: ReadPolicy): string | undefined {
  for (const hop of path.hops) {
    const hopReadable = policy.readable(hop.from);
    if (hopReadable && !hopReadable.has(hop.field.key)) return `you may not read ${hop.from.key}.${hop.field.key}`;
    if (!policy.canRead(hop.to)) return `you may not read ${hop.to.key} records`;
  }
  if (path.field.type === "system") return undefined;
  const readable = policy.readable(path.entity);
  return readable && !readable.has(path.field.key) ? `you may not read ${path.entity.key}.${path.field.key}` : undefined;
}
