import type { EntityDefinition } from "../definition/types.ts";
import { DATA_SCHEMA } from "../definition/types.ts";
import { qualifiedName } from "../migration/quote-ident.ts";
import type { MigrationStep } from "../migration/types.ts";
import { searchFields, searchIndexName, searchIndexSql } from "./search.ts";

/**
 * Keep the full-text search index in step with the entity's text fields: when the set of searched
 * fields changes (the index name carries a hash of that set), the old index is dropped before the
 * table changes (a type change could not rebuild it) and the new one created after them. Renames keep
 * the index, since it follows its columns. Additive: no data changes.
 * @example planSearchIndex(null, account).after[0]?.kind // "createSearchIndex"
 */
export function planSearchIndex(previous: EntityDefinition | null, next: EntityDefinition | null): { before: MigrationStep[]; after: MigrationStep[] } {
  if (!next) return { before: [], after: [] };
  const old = previous && searchFields(previous).length ? searchIndexName(previous) : undefined;
  const name = searchFields(next).length ? searchIndexName(next) : undefined;
  if (old === name) return { before: [], after: [] };
  const label = next.label.en ?? next.key;
  const create = searchIndexSql(next);
  return {
    before: old
      ? [{ id: `dropSearchIndex:${next.id}`, kind: "dropSearchIndex", class: "additive", description: `Drop the search index of ${label}; it is rebuilt for the new set of text fields.`, pointer: "/fields", sql: [{ text: `DROP INDEX IF EXISTS ${qualifiedName(DATA_SCHEMA, old)}`, params: [] }], impacts: [] }]
      : [],
    after: create
      ? [{ id: `createSearchIndex:${next.id}`, kind: "createSearchIndex", class: "additive", description: `Index the text fields of ${label} for search (${searchFields(next).map((f) => f.key).join(", ")}).`, pointer: "/fields", sql: [create], impacts: [] }]
      : [],
  };
}
