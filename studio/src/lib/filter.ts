import { KIND_OPERATORS, SORTABLE_KINDS, valueKind, type EntityDefinition, type FieldDefinition, type FilterOperator } from "@crm/core";

export type Operator = FilterOperator;

/** One row of the filter builder: `path:op:value`. `value` is a string, a list (in, nin, multi-select contains) or a boolean (isNull). */
export interface FilterCondition {
  path: string;
  op: Operator;
  value: unknown;
}

export type FilterMatch = "all" | "any";

/** A field a filter can name: a field of the entity, or one reached through a many-to-one relation. */
export interface FilterPath {
  path: string;
  field: FieldDefinition;
  /** The relation field crossed, for `account.industry`. */
  via?: FieldDefinition;
  /** What the list API takes on this path (core's table, the one the server checks against). */
  operators: readonly Operator[];
}

/**
 * The operators the list API takes on a field of an entity.
 * @example operatorsFor(account, booleanField) // ["eq", "ne", "isNull"]
 */
export function operatorsFor(entity: EntityDefinition, field: FieldDefinition): readonly Operator[] {
  return KIND_OPERATORS[valueKind({ hops: [], entity, field })];
}

/** The operator a new condition on the path starts with: `contains` for text, else the first allowed. */
export function defaultOperator(path: FilterPath): Operator {
  return path.operators.includes("contains") && path.field.type !== "multiSelect" ? "contains" : (path.operators[0] ?? "eq");
}

/** Whether a list can be sorted by the field (one stored, ordered value). */
export function isSortable(entity: EntityDefinition, field: FieldDefinition): boolean {
  return SORTABLE_KINDS.includes(valueKind({ hops: [], entity, field })) && field.type !== "relation";
}

/** Operators that take a list of values. */
export function takesList(op: Operator, field: Pick<FieldDefinition, "type">): boolean {
  return op === "in" || op === "nin" || (op === "contains" && field.type === "multiSelect");
}

/**
 * Every path the filter builder offers: the entity's filterable fields, and for each many-to-one
 * relation to a readable entity, that entity's filterable fields (one step; the API takes up to three).
 */
export function filterPaths(def: EntityDefinition, readable: (key: string) => EntityDefinition | undefined): FilterPath[] {
  const own = def.fields.map((field) => ({ path: field.key, field, operators: operatorsFor(def, field) }));
  const through = def.fields.flatMap((via) => {
    if (via.type !== "relation" || via.relation !== "manyToOne") return [];
    const target = readable(via.target);
    if (!target) return [];
    return target.fields.filter((f) => f.type !== "relation").map((field) => ({ path: `${via.key}.${field.key}`, field, via, operators: operatorsFor(target, field) }));
  });
  // JSON fields only take isNull: not worth a row in the builder.
  return [...own, ...through].filter((p) => p.field.type !== "json" && p.operators.length > 0);
}

/**
 * A value as the filter syntax takes it: double-quoted when it holds `,` `(` `)` `"` or spaces at its ends.
 * @example quoteValue("Acme, Inc.") // "\"Acme, Inc.\""
 */
export function quoteValue(value: string): string {
  if (/[,()"\\]/.test(value) || value !== value.trim() || value === "") return `"${value.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`;
  return value;
}

function valueText(value: unknown): string {
  if (typeof value === "object" && value !== null && "amount" in value) return String((value as { amount: unknown }).amount);
  return String(value);
}

/**
 * One condition in the API's syntax, or undefined while it is incomplete.
 * @example serializeCondition({ path: "stage", op: "in", value: ["won", "lost"] }) // "stage:in:(won,lost)"
 */
export function serializeCondition(condition: FilterCondition): string | undefined {
  const { path, op, value } = condition;
  if (!path) return undefined;
  if (op === "isNull") return value === false ? `${path}:isNull:false` : `${path}:isNull`;
  if (Array.isArray(value)) {
    if (value.length === 0) return undefined;
    return `${path}:${op}:(${value.map((v) => quoteValue(valueText(v))).join(",")})`;
  }
  if (value === undefined || value === null || value === "") return undefined;
  return `${path}:${op}:${quoteValue(valueText(value))}`;
}

/**
 * The `filter` parameters of a list request: one per condition when all must match (the API ANDs
 * repeated filters), one `or(…)` group when any may.
 * @example buildFilter([{ path: "a", op: "eq", value: "1" }, { path: "b", op: "eq", value: "2" }], "any") // ["or(a:eq:1,b:eq:2)"]
 */
export function buildFilter(conditions: readonly FilterCondition[], match: FilterMatch): string[] {
  const parts = conditions.map(serializeCondition).filter((part): part is string => part !== undefined);
  if (match === "any" && parts.length > 1) return [`or(${parts.join(",")})`];
  return parts;
}
