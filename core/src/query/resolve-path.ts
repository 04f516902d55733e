import type { EntityDefinition } from "../definition/types.ts";
import type { ResolvedPath, SystemFieldName } from "./types.ts";

export const MAX_RELATION_HOPS = 3;

const SYSTEM_FIELD_TYPES: Record<SystemFieldName, "uuid" | "datetime" | "integer"> = {
  id: "uuid",
  createdAt: "datetime",
  updatedAt: "datetime",
  createdBy: "uuid",
  updatedBy: "uuid",
  version: "integer",
  ownerId: "uuid",
};

type Hop = ResolvedPath["hops"][number];

/** Why a path does not resolve: a code and an English message naming the path. */
export interface PathError {
  code: "UNKNOWN_FIELD" | "INVALID_PATH" | "RELATION_PATH_TOO_LONG" | "UNKNOWN_ENTITY";
  message: string;
}

/**
 * Follow a dotted path from `entity`: own fields and system fields, through manyToOne relations
 * (at most 3 hops), and a currency field's `amount` (default) or `currency` part.
 * @example resolvePath(["account", "name"], deal, entities) // { path: { hops: [deal.account], entity: account, field: name } }
 */
export function resolvePath(segments: readonly string[], entity: EntityDefinition, entities: readonly EntityDefinition[]): { path: ResolvedPath } | { error: PathError } {
  const text = segments.join(".");
  const hops: Hop[] = [];
  let current = entity;
  for (let i = 0; i < segments.length; i++) {
    const key = segments[i]!;
    const rest = segments.length - i - 1;
    const field = findField(current, key);
    if (!field) {
      const where = hops.length > 0 ? ` (on ${current.key}, reached through ${segments.slice(0, i).join(".")})` : "";
      return fail("UNKNOWN_FIELD", `"${text}": ${current.key} has no field "${key}"${where}`);
    }
    if (rest === 0) return { path: { hops, entity: current, field } };
    if (field.type === "currency" && rest === 1) {
      const part = segments[i + 1];
      if (part === "amount" || part === "currency") return { path: { hops, entity: current, field, part } };
      return fail("INVALID_PATH", `"${text}": a currency field has the parts "amount" and "currency", not "${part}"`);
    }
    if (field.type !== "relation" || field.relation !== "manyToOne") {
      return fail("INVALID_PATH", `"${text}": "${key}" is ${describeField(field)} and cannot be followed; only manyToOne relations can`);
    }
    if (hops.length === MAX_RELATION_HOPS) {
      return fail("RELATION_PATH_TOO_LONG", `"${text}" follows more than ${MAX_RELATION_HOPS} relations`);
    }
    const target = entities.find((e) => e.key === field.target);
    if (!target) return fail("UNKNOWN_ENTITY", `"${text}": the target entity "${field.target}" of "${key}" is not defined`);
    hops.push({ from: current, field, to: target });
    current = target;
  }
  return fail("INVALID_PATH", "empty path");
}

function findField(entity: EntityDefinition, key: string): ResolvedPath["field"] | undefined {
  if (Object.hasOwn(SYSTEM_FIELD_TYPES, key)) {
    const name = key as SystemFieldName;
    return { type: "system", key: name, valueType: SYSTEM_FIELD_TYPES[name] };
  }
  return entity.fields.find((f) => f.key === key);
}

/** "a oneToMany relation", "a text field", "the system field createdAt". */
export function describeField(field: ResolvedPath["field"]): string {
  if (field.type === "system") return `the system field ${field.key}`;
  if (field.type === "relation") return `a ${field.relation} relation`;
  return `${/^[aeiou]/.test(field.type) ? "an" : "a"} ${field.type} field`;
}

/** The dotted text of a resolved path, as the user wrote it (with the currency part if any). */
export function pathText(path: ResolvedPath): string {
  const keys = [...path.hops.map((h) => h.field.key), path.field.key];
  if (path.part) keys.push(path.part);
  return keys.join(".");
}

function fail(code: PathError["code"], message: string): { error: PathError } {
  return { error: { code, message } };
}
