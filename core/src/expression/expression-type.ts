import type { EntityDefinition, FieldDefinition } from "../definition/types.ts";

/**
 * The static type of an expression. `select` remembers its option keys (so `stage = "closed_wno"`
 * is caught), `reference` the entity whose record id it holds (`"user"` for owner and author
 * columns), `list` its element type (multi-select keys, many-to-many ids, `[…]` literals). `null` is
 * the type of the literal `null`, which fits everywhere; `invalid` follows a reported problem and
 * fits everywhere too, so one mistake is reported once.
 */
export type ExpressionType =
  | { kind: "null" }
  | { kind: "boolean" }
  | { kind: "text" }
  | { kind: "number" }
  | { kind: "currency" }
  | { kind: "date" }
  | { kind: "datetime" }
  | { kind: "json" }
  | { kind: "select"; options: readonly string[] }
  | { kind: "reference"; entity: string }
  | { kind: "list"; element: ExpressionType }
  | { kind: "invalid" };

export type TypeKind = ExpressionType["kind"];

/** Ready-made simple types: `T.number`, `T.boolean`… */
export const T = {
  null: { kind: "null" },
  boolean: { kind: "boolean" },
  text: { kind: "text" },
  number: { kind: "number" },
  currency: { kind: "currency" },
  date: { kind: "date" },
  datetime: { kind: "datetime" },
  json: { kind: "json" },
  invalid: { kind: "invalid" },
} as const satisfies Record<string, ExpressionType>;

/** The pseudo-entity of `ownerId`, `createdBy` and `updatedBy`: user ids. */
export const USER_ENTITY = "user";

/**
 * The type of a field's value in expressions, or undefined for a oneToMany relation (it has no
 * value in the record; count related records with a rollup instead).
 * @example fieldType({ type: "select", options: [{ key: "a" }, { key: "b" }] } as FieldDefinition) // { kind: "select", options: ["a", "b"] }
 */
export function fieldType(field: FieldDefinition): ExpressionType | undefined {
  switch (field.type) {
    case "text":
    case "longText":
    case "richText":
    case "email":
    case "phone":
    case "url":
    case "autoNumber":
      return T.text;
    case "integer":
    case "decimal":
    case "percent":
      return T.number;
    case "currency":
      return T.currency;
    case "boolean":
      return T.boolean;
    case "date":
      return T.date;
    case "datetime":
      return T.datetime;
    case "json":
      return T.json;
    case "select":
      return { kind: "select", options: field.options.map((o) => o.key) };
    case "multiSelect":
      return { kind: "list", element: { kind: "select", options: field.options.map((o) => o.key) } };
    case "relation":
      if (field.relation === "manyToOne") return { kind: "reference", entity: field.target };
      if (field.relation === "manyToMany") return { kind: "list", element: { kind: "reference", entity: field.target } };
      return undefined;
  }
}

/** The type of a system column of `entity`. */
export function systemFieldType(key: string, entity: EntityDefinition): ExpressionType {
  if (key === "id") return { kind: "reference", entity: entity.key };
  if (key === "createdAt" || key === "updatedAt") return T.datetime;
  if (key === "version") return T.number;
  return { kind: "reference", entity: USER_ENTITY };
}

/**
 * How a type reads in messages: "number", "date-time", "option of (a, b, c)", "account id", "list of text".
 * @example describeType({ kind: "reference", entity: "account" }) // "account id"
 */
export function describeType(type: ExpressionType): string {
  switch (type.kind) {
    case "select":
      return `option (${type.options.slice(0, 6).join(", ")}${type.options.length > 6 ? ", …" : ""})`;
    case "reference":
      return `${type.entity} id`;
    case "list":
      return `list of ${describeType(type.element)}`;
    case "datetime":
      return "date-time";
    case "json":
      return "JSON";
    default:
      return type.kind;
  }
}

/** Whether the type is `null` or `invalid`, which fit every other type. */
export function isWildcard(type: ExpressionType): boolean {
  return type.kind === "null" || type.kind === "invalid";
}

/** Whether values of the type are strings at run time: text, option keys and record ids. */
export function isTextual(type: ExpressionType): boolean {
  return type.kind === "text" || type.kind === "select" || type.kind === "reference";
}

/**
 * The common type of two branches (`if`, `case`, `coalesce`, list items), or undefined when they
 * do not mix: options of different fields and text become text, ids of one entity stay ids.
 * @example unify(T.null, T.number) // { kind: "number" }
 */
export function unify(a: ExpressionType, b: ExpressionType): ExpressionType | undefined {
  if (a.kind === "invalid" || b.kind === "invalid") return T.invalid;
  if (a.kind === "null") return b;
  if (b.kind === "null") return a;
  if (a.kind === "select" && b.kind === "select") return { kind: "select", options: [...new Set([...a.options, ...b.options])] };
  if (a.kind === "reference" && b.kind === "reference") return a.entity === b.entity ? a : T.text;
  if (isTextual(a) && isTextual(b)) return T.text;
  if (a.kind === "list" && b.kind === "list") {
    const element = unify(a.element, b.element);
    return element && { kind: "list", element };
  }
  return a.kind === b.kind ? a : undefined;
}

/**
 * Whether a value of type `actual` may be stored where `expected` is wanted (a formula field, the
 * target of a workflow update, a validation rule's boolean). Text may go to an option (the record
 * validator checks the key when it is written) and to an id.
 * @example isAssignable(T.null, T.date) // true
 */
export function isAssignable(actual: ExpressionType, expected: ExpressionType): boolean {
  if (isWildcard(actual) || expected.kind === "invalid") return true;
  if (expected.kind === "reference" && actual.kind === "reference") return actual.entity === expected.entity;
  if (isTextual(expected)) return isTextual(actual) && !(actual.kind === "reference" && expected.kind === "select");
  if (expected.kind === "list" && actual.kind === "list") return isAssignable(actual.element, expected.element);
  return actual.kind === expected.kind;
}
