import type { EntityDefinition } from "../definition/types.ts";
import type { Issue } from "../issues.ts";
import { coerceValue } from "./coerce-value.ts";
import { describeField, resolvePath } from "./resolve-path.ts";
import type { FilterNode, FilterOperator, ResolvedFilter, ResolvedPath } from "./types.ts";
import { KIND_OPERATORS, valueKind, type ValueKind } from "./value-kind.ts";

/** Operators whose value is a list (a single value is taken as a list of one). */
const LIST_OPERATORS: readonly FilterOperator[] = ["in", "nin"];

/**
 * Check a filter tree against the entity: paths exist, operators suit the field types, values are
 * coerced. Pushes every issue (pointer `/filter`) and returns undefined when there was any.
 * @example resolveFilter({ path: ["amount"], op: "gte", value: "1000" }, deal, entities, issues) // { path: …, op: "gte", value: 1000 }
 */
export function resolveFilter(node: FilterNode, entity: EntityDefinition, entities: readonly EntityDefinition[], issues: Issue[]): ResolvedFilter | undefined {
  const before = issues.length;
  const resolved = resolveNode(node, entity, entities, issues);
  return issues.length === before ? resolved : undefined;
}

function resolveNode(node: FilterNode, entity: EntityDefinition, entities: readonly EntityDefinition[], issues: Issue[]): ResolvedFilter | undefined {
  if ("and" in node) return { and: node.and.map((child) => resolveNode(child, entity, entities, issues)!) };
  if ("or" in node) return { or: node.or.map((child) => resolveNode(child, entity, entities, issues)!) };
  if ("not" in node) return { not: resolveNode(node.not, entity, entities, issues)! };
  const text = node.path.join(".");
  const found = resolvePath(node.path, entity, entities);
  if ("error" in found) {
    issues.push({ code: found.error.code, pointer: "/filter", message: `filter: ${found.error.message}` });
    return undefined;
  }
  const kind = valueKind(found.path);
  const allowed = KIND_OPERATORS[kind];
  if (!allowed.includes(node.op)) {
    const message =
      allowed.length === 0
        ? `filter: "${text}" is ${describeField(found.path.field)} and cannot be filtered`
        : `filter: "${text}" (${kindLabel(kind, found.path)}) does not support "${node.op}"; use ${allowed.join(", ")}`;
    issues.push({ code: allowed.length === 0 ? "FIELD_NOT_FILTERABLE" : "OPERATOR_NOT_SUPPORTED", pointer: "/filter", message });
    return undefined;
  }
  const value = resolveValue(node, kind, found.path, issues);
  return value === INVALID ? undefined : { path: found.path, op: node.op, value };
}

const INVALID = Symbol("invalid");
type Condition = Extract<FilterNode, { op: FilterOperator }>;

function resolveValue(node: Condition, kind: ValueKind, path: ResolvedPath, issues: Issue[]): unknown {
  const label = `filter: "${node.path.join(".")}:${node.op}"`;
  const invalid = (code: string, message: string) => {
    issues.push({ code, pointer: "/filter", message: `${label} ${message}` });
    return INVALID;
  };
  if (node.op === "isNull") {
    if (node.value === null || node.value === "true") return true;
    if (node.value === "false") return false;
    return invalid("INVALID_FILTER_VALUE", `takes no value, true or false; got ${JSON.stringify(node.value)}`);
  }
  if (node.value === null) return invalid("INVALID_FILTER_VALUE", "needs a value");
  const wantsList = LIST_OPERATORS.includes(node.op) || kind === "multiSelect";
  if (Array.isArray(node.value) && !wantsList) {
    return invalid("INVALID_FILTER_VALUE", `takes one value, not a list; use in:(…) to match any of several`);
  }
  const texts = Array.isArray(node.value) ? node.value : [node.value];
  const values: unknown[] = [];
  let ok = true;
  for (const text of texts) {
    const coerced = coerceValue(kind, path, text);
    if ("error" in coerced) {
      invalid(kind === "select" || kind === "multiSelect" ? "NOT_AN_OPTION" : "INVALID_FILTER_VALUE", coerced.error);
      ok = false;
    } else values.push(coerced.value);
  }
  if (!ok) return INVALID;
  return wantsList ? values : values[0];
}

function kindLabel(kind: ValueKind, path: ResolvedPath): string {
  if (path.field.type === "system") return `system ${path.field.valueType}`;
  if (path.part === "currency") return "currency code";
  return kind === path.field.type ? kind : `${path.field.type}, ${kind}`;
}
