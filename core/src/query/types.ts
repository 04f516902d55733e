import type { EntityDefinition, FieldDefinition } from "../definition/types.ts";

/**
 * The record query language. A URL query string is parsed into a raw `ListQuery` (syntax only), then
 * resolved against the entity definitions into a `ResolvedListQuery` (fields exist, operators suit
 * their types, values coerced), then compiled to parameterised SQL. Every step returns all issues.
 *
 * URL syntax (documented for users in README "Query syntax"):
 *   filter=stage:eq:closed_won                       condition  path:op[:value]
 *   filter=or(stage:eq:won,amount.amount:gte:1000)    groups and(...), or(...), not(...)
 *   filter=account.industry:in:(tech,"a, b")          a path through manyToOne relations; lists in ( )
 *   filter=name:eq:"Acme, Inc."                       values with , ( ) " are double-quoted, \" escapes
 *   filter=closedAt:isNull  |  closedAt:isNull:false
 *   (several filter= parameters are ANDed)
 *   sort=-amount,name          fields, "-" for descending; `id` is always the final tie-breaker
 *   limit=50                   1..200, default 50
 *   cursor=<opaque>            from the previous page's `nextCursor`
 *   fields=name,amount         only these fields (plus id and system fields)
 *   expand=account,contacts.account   relations to embed, dot for the next level (max depth 2)
 *   count=true                 also return the total matching count
 *   q=acme                     full-text search over the entity's text fields
 *
 * Semantics (see compile-filter.ts): a missing value (NULL) matches no comparison (eq, gt, in,
 * contains…) but is "not equal" to anything (ne, nin match it); not(x) matches exactly the records x
 * does not match. contains/startsWith on text ignore case. multiSelect: contains = has all listed,
 * in = has any, nin = has none, isNull = none chosen. Sorting puts NULL last ascending, first descending.
 * q matches records containing every word of q as a word prefix ("acm inc" finds "Acme, Inc.").
 */

export const FILTER_OPERATORS = ["eq", "ne", "gt", "gte", "lt", "lte", "in", "nin", "contains", "startsWith", "isNull"] as const;
export type FilterOperator = (typeof FILTER_OPERATORS)[number];

/** Syntax tree of a filter, before it is checked against any definition. */
export type FilterNode =
  | { and: FilterNode[] }
  | { or: FilterNode[] }
  | { not: FilterNode }
  /** `path` is the dotted path split into segments: `account.industry` → ["account", "industry"]. Values stay strings here. */
  | { path: string[]; op: FilterOperator; value: string | string[] | null };

export interface SortTerm {
  path: string[];
  direction: "asc" | "desc";
}

/** `{ account: {}, contacts: { account: {} } }` */
export interface ExpandTree {
  [relation: string]: ExpandTree;
}

/** A parsed list request, before resolution. */
export interface ListQuery {
  filter?: FilterNode;
  sort: SortTerm[];
  limit: number;
  cursor?: string;
  fields?: string[];
  expand: ExpandTree;
  count: boolean;
  search?: string;
}

/** Built-in columns every record has; filterable and sortable like fields. */
export type SystemFieldName = "id" | "createdAt" | "updatedAt" | "createdBy" | "updatedBy" | "version" | "ownerId";

/** What a path resolves to: a field (or system column) of an entity reached through manyToOne hops. */
export interface ResolvedPath {
  /** manyToOne relation fields followed from the root entity, in order (empty for own fields). */
  hops: Array<{ from: EntityDefinition; field: FieldDefinition & { type: "relation" } ; to: EntityDefinition }>;
  /** The entity that owns the final field. */
  entity: EntityDefinition;
  /** The final field, or a system column. */
  field: FieldDefinition | { type: "system"; key: SystemFieldName; valueType: "uuid" | "datetime" | "integer" };
  /** For currency: which column, the amount (default) or the currency code (`price.currency`). */
  part?: "amount" | "currency";
}

export type ResolvedFilter =
  | { and: ResolvedFilter[] }
  | { or: ResolvedFilter[] }
  | { not: ResolvedFilter }
  /**
   * `value` is coerced to the field's JS type: number (a decimal string when a JS number would lose
   * digits), boolean, ISO string, lowercase uuid string, option key, or arrays of those (in, nin,
   * multiSelect); for isNull, `true` (is empty) or `false` (has a value).
   */
  | { path: ResolvedPath; op: FilterOperator; value: unknown };

export interface ResolvedSort {
  path: ResolvedPath;
  direction: "asc" | "desc";
}

export interface ResolvedExpand {
  /** The entity that owns `field` (its manyToMany join table is named after it). */
  source: EntityDefinition;
  field: FieldDefinition & { type: "relation" };
  target: EntityDefinition;
  children: ResolvedExpand[];
}

export interface ResolvedListQuery {
  entity: EntityDefinition;
  filter?: ResolvedFilter;
  /** Always ends with `id` (ascending unless the caller sorted by id). */
  sort: ResolvedSort[];
  limit: number;
  /** Decoded keyset position: the sort values of the last record of the previous page, in sort order. */
  after?: unknown[];
  /** Field keys to return (undefined: all stored fields). */
  fields?: string[];
  expand: ResolvedExpand[];
  count: boolean;
  search?: string;
}

/** Aggregates: `groupBy=stage,expectedCloseDate:month&metrics=count,sum:amount,avg:probability&filter=…` */
export type DateBucket = "day" | "week" | "month" | "quarter" | "year";

export interface AggregateQuery {
  filter?: FilterNode;
  groupBy: Array<{ path: string[]; bucket?: DateBucket }>;
  metrics: Array<{ fn: "count" } | { fn: "sum" | "avg" | "min" | "max"; path: string[] }>;
  search?: string;
  /** Sort groups: by a group key or metric name, e.g. `-count`, `stage`, `-sum:amount`. */
  sort: Array<{ key: string; direction: "asc" | "desc" }>;
  limit: number;
}

/** One group of an aggregate, resolved. `name` is the dotted path, the key of the group in result rows. */
export interface ResolvedGroupBy {
  name: string;
  path: ResolvedPath;
  bucket?: DateBucket;
}

/** One metric, resolved. `name` is `count` or `<fn>:<dotted path>`, its key in the result rows' `metrics`. */
export type ResolvedMetric = { name: string; fn: "count" } | { name: string; fn: "sum" | "avg" | "min" | "max"; path: ResolvedPath };

export interface ResolvedAggregateQuery {
  entity: EntityDefinition;
  filter?: ResolvedFilter;
  search?: string;
  groupBy: ResolvedGroupBy[];
  metrics: ResolvedMetric[];
  /** `key` is a group name or a metric name; groups are always ordered by all group keys afterwards. */
  sort: Array<{ key: string; direction: "asc" | "desc" }>;
  limit: number;
}
