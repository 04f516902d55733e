import type { FilterOperator, ResolvedPath } from "./types.ts";

/**
 * What a resolved path holds, as far as filtering, sorting and SQL casts are concerned.
 * `collection` is a oneToMany or manyToMany relation: no value of its own.
 */
export type ValueKind = "text" | "integer" | "numeric" | "boolean" | "date" | "datetime" | "select" | "multiSelect" | "uuid" | "json" | "collection";

/**
 * The kind of value a path ends at.
 * @example valueKind({ hops: [], entity, field: { type: "currency", … }, part: "currency" }) // "text"
 */
export function valueKind(path: ResolvedPath): ValueKind {
  const field = path.field;
  switch (field.type) {
    case "system":
      return field.valueType;
    case "text":
    case "longText":
    case "richText":
    case "email":
    case "phone":
    case "url":
    case "autoNumber":
      return "text";
    case "currency":
      return path.part === "currency" ? "text" : "numeric";
    case "decimal":
    case "percent":
      return "numeric";
    case "relation":
      return field.relation === "manyToOne" ? "uuid" : "collection";
    default:
      return field.type;
  }
}

const ORDERED: FilterOperator[] = ["eq", "ne", "gt", "gte", "lt", "lte", "in", "nin", "isNull"];

/** Operators each kind supports. */
export const KIND_OPERATORS: Record<ValueKind, readonly FilterOperator[]> = {
  text: ["eq", "ne", "gt", "gte", "lt", "lte", "in", "nin", "contains", "startsWith", "isNull"],
  integer: ORDERED,
  numeric: ORDERED,
  date: ORDERED,
  datetime: ORDERED,
  boolean: ["eq", "ne", "isNull"],
  select: ["eq", "ne", "in", "nin", "isNull"],
  uuid: ["eq", "ne", "in", "nin", "isNull"],
  multiSelect: ["contains", "in", "nin", "isNull"],
  json: ["isNull"],
  collection: [],
};

/** The PostgreSQL type parameters compared with a kind are cast to (one element for multiSelect). */
export const KIND_SQL_TYPES: Record<Exclude<ValueKind, "collection">, string> = {
  text: "text",
  select: "text",
  multiSelect: "text",
  integer: "bigint",
  numeric: "numeric",
  boolean: "boolean",
  date: "date",
  datetime: "timestamptz",
  uuid: "uuid",
  json: "jsonb",
};

/** Kinds a list can be sorted by and grouped on: one stored, ordered value. */
export const SORTABLE_KINDS: readonly ValueKind[] = ["text", "integer", "numeric", "boolean", "date", "datetime", "select", "uuid"];
