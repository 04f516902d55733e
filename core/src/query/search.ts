import type { EntityDefinition, FieldDefinition } from "../definition/types.ts";
import { physicalName } from "../migration/physical-name.ts";
import { ident, joinSql, param, raw, sql, toDdl, type Fragment } from "../migration/sql.ts";
import { stableHash } from "../migration/stable-hash.ts";
import { tableRef } from "../migration/table-ref.ts";
import type { SqlStatement } from "../migration/types.ts";

const SEARCHED_TYPES: ReadonlySet<FieldDefinition["type"]> = new Set(["text", "longText", "richText", "email", "phone", "url", "autoNumber"]);
const MAX_WORDS = 16;

/** The fields `q` searches: the text-like ones, in definition order. */
export function searchFields(entity: EntityDefinition): FieldDefinition[] {
  return entity.fields.filter((f) => SEARCHED_TYPES.has(f.type));
}

/**
 * The tsvector `q` is matched against, over the entity's text-like columns of row `alias` (no alias:
 * bare column names, as in an index definition). Undefined when the entity has no such field.
 * The expression names columns, so PostgreSQL keeps an index on it valid across field renames;
 * adding or removing a searched field changes it, and with it `searchIndexName`.
 * @example toStatement(searchDocument(account, "t")!).text // `to_tsvector('simple', regexp_replace(coalesce("t"."name", '') || ' ' || coalesce("t"."website", ''), '[[:punct:]]+', ' ', 'g'))`
 */
export function searchDocument(entity: EntityDefinition, alias?: string): Fragment | undefined {
  const fields = searchFields(entity);
  if (fields.length === 0) return undefined;
  const columns = fields.map((f) => sql`coalesce(${alias === undefined ? ident(f.key) : sql`${ident(alias)}.${ident(f.key)}`}, '')`);
  // Punctuation becomes spaces, as in `searchTsQuery`: "C-0003", "acme.com" and "a_b" are words
  // apart, where the text search parser alone would keep "-0003" or "acme.com" whole.
  return sql`to_tsvector('simple', regexp_replace(${joinSql(columns, " || ' ' || ")}, '[[:punct:]]+', ' ', 'g'))`;
}

/**
 * The `to_tsquery` text for a search: each word (letters and digits only; anything else separates
 * words) as a quoted prefix term, all required. Undefined when nothing searchable is left.
 * @example searchTsQuery("Acme, inc.") // "'acme':* & 'inc':*"
 */
export function searchTsQuery(q: string): string | undefined {
  const words = q.toLowerCase().match(/[\p{L}\p{N}]+/gu)?.slice(0, MAX_WORDS) ?? [];
  if (words.length === 0) return undefined;
  return words.map((word) => `'${word}':*`).join(" & ");
}

/**
 * The WHERE condition of a search over row `alias`, or undefined when there is nothing to search.
 * With `readable` leaving out some searched field, only the readable ones are searched (a hidden
 * field's words must not make a record match); that document has no index.
 */
export function searchCondition(entity: EntityDefinition, alias: string, q: string | undefined, readable?: ReadonlySet<string>): Fragment | undefined {
  if (q === undefined) return undefined;
  const hidden = readable !== undefined && searchFields(entity).some((f) => !readable.has(f.key));
  const document = hidden ? searchDocument({ ...entity, fields: entity.fields.filter((f) => readable.has(f.key)) }, alias) : searchDocument(entity, alias);
  const tsquery = searchTsQuery(q);
  if (!document || tsquery === undefined) return undefined;
  return sql`${document} @@ to_tsquery('simple', ${param(tsquery)}::text)`;
}

/**
 * Name of the search index: the entity id and a hash of the searched field ids in expression order,
 * so a rename keeps the name (and the index, which follows the column) while a changed field set
 * gets a new index. Drop other indexes named `ts_<entityId>.*` after creating it.
 * @example searchIndexName(account) // "ts_e-account.5c3e9a1f"
 */
export function searchIndexName(entity: EntityDefinition): string {
  return physicalName("ts", entity.id, stableHash(searchFields(entity).map((f) => f.id).join(",")));
}

/**
 * DDL for the GIN index that serves `q`: the exact expression of `searchDocument`, so the planner uses it.
 * @example searchIndexSql(account)?.text // `CREATE INDEX IF NOT EXISTS "ts_e-account.…" ON "data"."account" USING gin (to_tsvector('simple', …))`
 */
export function searchIndexSql(entity: EntityDefinition): SqlStatement | undefined {
  const document = searchDocument(entity);
  if (!document) return undefined;
  return toDdl(sql`CREATE INDEX IF NOT EXISTS ${ident(searchIndexName(entity))} ON ${raw(tableRef(entity))} USING gin (${document})`);
}
