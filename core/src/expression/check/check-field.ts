import { SYSTEM_FIELDS, type EntityDefinition } from "../../definition/types.ts";
import { resolvePath } from "../../query/resolve-path.ts";
import type { Expression, Span } from "../ast.ts";
import { fieldType, systemFieldType, T, type ExpressionType } from "../expression-type.ts";
import { didYouMean } from "../suggest.ts";
import type { TypedExpression } from "../typed-expression.ts";
import { report, type Checker } from "./checker.ts";

type FieldNode = Extract<Expression, { kind: "field" }>;

/**
 * Resolve `a.b.c` against the entity: own and system fields, manyToOne relations (at most 3 hops),
 * a currency's `amount`/`currency` part. A problem is reported at the segment that causes it.
 */
export function checkField(c: Checker, node: FieldNode): TypedExpression {
  const { entity, entities } = c.environment;
  const resolved = resolvePath(node.path, entity, entities);
  if ("error" in resolved) {
    const index = failingSegment(node.path, entity, entities);
    const span = segmentSpan(node, index);
    const hint = resolved.error.code === "UNKNOWN_FIELD" ? didYouMean(node.path[index]!, fieldKeys(entityAt(node.path, index, entity, entities))) : "";
    const code = resolved.error.code === "UNKNOWN_FIELD" ? "UNKNOWN_FIELD" : "INVALID_FIELD_PATH";
    report(c, code, span, resolved.error.message + hint);
    return { kind: "literal", value: null, type: T.invalid, span: node.span };
  }
  const { path } = resolved;
  const text = node.path.join(".");
  let type: ExpressionType | undefined;
  if (path.field.type === "system") type = systemFieldType(path.field.key, path.entity);
  else if (path.part) type = path.part === "amount" ? T.number : T.text;
  else type = fieldType(path.field);
  if (!type) {
    report(c, "INVALID_FIELD_PATH", node.span, `"${text}" is a oneToMany relation and has no value in an expression; use a rollup field to count or sum related records`);
    return { kind: "literal", value: null, type: T.invalid, span: node.span };
  }
  c.fields.set(text, path);
  return { kind: "field", path, text, type, span: node.span };
}

/** A `$variable` declared in the environment. */
export function checkVariable(c: Checker, name: string, span: Span): TypedExpression {
  const declared = c.environment.variables ?? {};
  const type = Object.hasOwn(declared, name) ? declared[name] : undefined;
  if (!type) {
    const known = Object.keys(declared);
    const list = known.length > 0 ? `; known: ${known.map((k) => "$" + k).join(", ")}` : "; none are available here";
    report(c, "UNKNOWN_VARIABLE", span, `unknown variable $${name}${didYouMean(name, known)}${list}`);
    return { kind: "literal", value: null, type: T.invalid, span };
  }
  c.variables.add(name);
  return { kind: "variable", name, type, span };
}

/** The index of the first segment whose prefix does not resolve. */
function failingSegment(path: readonly string[], entity: EntityDefinition, entities: readonly EntityDefinition[]): number {
  for (let i = 0; i < path.length; i++) {
    if ("error" in resolvePath(path.slice(0, i + 1), entity, entities)) return i;
  }
  return path.length - 1;
}

/** The entity segment `index` is looked up on (the root or the target of the relation before it). */
function entityAt(path: readonly string[], index: number, entity: EntityDefinition, entities: readonly EntityDefinition[]): EntityDefinition {
  if (index === 0) return entity;
  const before = resolvePath(path.slice(0, index), entity, entities);
  if ("error" in before || before.path.field.type !== "relation") return entity;
  const target = before.path.field.target;
  return entities.find((e) => e.key === target) ?? entity;
}

function fieldKeys(entity: EntityDefinition): string[] {
  return [...SYSTEM_FIELDS, ...entity.fields.map((f) => f.key)];
}

/** Paths are written without spaces (one token), so a segment's offset follows from the lengths before it. */
function segmentSpan(node: FieldNode, index: number): Span {
  let start = node.span.start;
  for (let i = 0; i < index; i++) start += node.path[i]!.length + 1;
  return { start, end: start + node.path[index]!.length };
}
