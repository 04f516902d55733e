import type { ResolvedExpand } from "./types.ts";

/** A record as the API returns it (the `r` column). */
export type RecordJson = Record<string, unknown>;
/** A row of a `compileExpand` statement. */
export interface ExpandRow {
  parent?: unknown;
  r: RecordJson;
}

/**
 * The ids `compileExpand` needs for these parents: the distinct non-null foreign keys for
 * manyToOne, the parents' own ids otherwise.
 * @example expandIds([{ id: "p1", account: "a1" }, { id: "p2", account: "a1" }], accountExpand) // ["a1"]
 */
export function expandIds(parents: readonly RecordJson[], expand: ResolvedExpand): string[] {
  const key = expand.field.relation === "manyToOne" ? expand.field.key : "id";
  const ids = new Set<string>();
  for (const parent of parents) {
    const value = parent[key];
    if (typeof value === "string") ids.add(value);
  }
  return [...ids];
}

/**
 * Copies of the parents with the expanded relation embedded: manyToOne replaces the id by the
 * target record (an id whose record was not loaded, e.g. hidden by a scope, stays an id);
 * oneToMany and manyToMany become arrays of records (empty when none).
 * @example attachExpanded([{ id: "p1", account: "a1" }], accountExpand, [{ r: { id: "a1", name: "Acme" } }]) // [{ id: "p1", account: { id: "a1", name: "Acme" } }]
 */
export function attachExpanded(parents: readonly RecordJson[], expand: ResolvedExpand, rows: readonly ExpandRow[]): RecordJson[] {
  const key = expand.field.key;
  if (expand.field.relation === "manyToOne") {
    const byId = new Map(rows.map((row) => [row.r["id"], row.r]));
    return parents.map((parent) => {
      const target = byId.get(parent[key]);
      return target === undefined ? { ...parent } : { ...parent, [key]: target };
    });
  }
  const byParent = new Map<unknown, RecordJson[]>();
  for (const row of rows) {
    const list = byParent.get(row.parent);
    if (list) list.push(row.r);
    else byParent.set(row.parent, [row.r]);
  }
  return parents.map((parent) => ({ ...parent, [key]: byParent.get(parent["id"]) ?? [] }));
}
