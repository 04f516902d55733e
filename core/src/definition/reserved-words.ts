import { SYSTEM_FIELDS } from "./types.ts";

/**
 * PostgreSQL's reserved key words: those classed "reserved" and "reserved (can be function or
 * type)" in Appendix C of the manual (kwlist.h: RESERVED_KEYWORD, TYPE_FUNC_NAME_KEYWORD), PostgreSQL
 * 17. These cannot name a table or column without quoting. Non-reserved words such as `position`,
 * `time` or `values` are deliberately absent: they are valid column names and common CRM fields.
 */
export const SQL_RESERVED_WORDS: ReadonlySet<string> = new Set([
  "all", "analyse", "analyze", "and", "any", "array", "as", "asc", "asymmetric", "authorization",
  "binary", "both", "case", "cast", "check", "collate", "collation", "column", "concurrently",
  "constraint", "create", "cross", "current_catalog", "current_date", "current_role",
  "current_schema", "current_time", "current_timestamp", "current_user", "default", "deferrable",
  "desc", "distinct", "do", "else", "end", "except", "false", "fetch", "for", "foreign", "freeze",
  "from", "full", "grant", "group", "having", "ilike", "in", "initially", "inner", "intersect",
  "into", "is", "isnull", "join", "lateral", "leading", "left", "like", "limit", "localtime",
  "localtimestamp", "natural", "not", "notnull", "null", "offset", "on", "only", "or", "order",
  "outer", "overlaps", "placing", "primary", "references", "returning", "right", "select",
  "session_user", "similar", "some", "symmetric", "system_user", "table", "tablesample", "then",
  "to", "trailing", "true", "union", "unique", "user", "using", "variadic", "verbose", "when",
  "where", "window", "with",
]);

const SYSTEM_NAMES = new Set(SYSTEM_FIELDS.map((name) => name.toLowerCase()));

/**
 * Whether a key is a PostgreSQL reserved word, compared case-insensitively.
 * @example isSqlReservedWord("Order") // true
 */
export function isSqlReservedWord(key: string): boolean {
  return SQL_RESERVED_WORDS.has(key.toLowerCase());
}

/**
 * Whether a key is the name of a system column (`id`, `createdAt`…), compared case-insensitively.
 * @example isSystemFieldName("CreatedAt") // true
 */
export function isSystemFieldName(key: string): boolean {
  return SYSTEM_NAMES.has(key.toLowerCase());
}
