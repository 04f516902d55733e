import { MAX_IDENTIFIER_BYTES, utf8Length } from "./quote-ident.ts";
import { stableHash } from "./stable-hash.ts";

const HASH_SUFFIX_BYTES = 9; // "_" + 8 hex digits

/**
 * Keep a derived name within PostgreSQL's 63-byte limit: a longer name is cut and given a stable
 * hash of the full name, so two long names sharing a prefix still differ and the same input always
 * gives the same name.
 * @example boundedName("short") // "short"
 */
export function boundedName(name: string): string {
  if (utf8Length(name) <= MAX_IDENTIFIER_BYTES) return name;
  let prefix = "";
  for (const char of name) {
    if (utf8Length(prefix + char) > MAX_IDENTIFIER_BYTES - HASH_SUFFIX_BYTES) break;
    prefix += char;
  }
  return `${prefix}_${stableHash(name)}`;
}

/**
 * Name of an object derived from stable ids: `<prefix>_<entityId>.<subjectId>`, bounded to 63 bytes.
 *
 * Index, constraint-index and sequence names share one namespace per PostgreSQL schema, so they carry
 * the entity id. Ids may contain `_` and `-` but never `.`, so `.` keeps `("a_b", "c")` and `("a", "b_c")` apart.
 * Entity and field keys never contain `_` or `.`, so these names cannot collide with tables either.
 * @example physicalName("ix", "ent1", "fld1") // "ix_ent1.fld1"
 */
export function physicalName(prefix: string, entityId: string, subjectId?: string): string {
  return boundedName(subjectId === undefined ? `${prefix}_${entityId}` : `${prefix}_${entityId}.${subjectId}`);
}
