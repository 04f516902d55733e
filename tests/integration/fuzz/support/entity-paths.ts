import type { EntityDefinition, FieldDefinition } from "@crm/core";

export type Definitions = Map<string, EntityDefinition>;

/** A dotted path of the query language and what it ends on (a field, a system column, or nothing known). */
export interface PathInfo {
  path: string;
  field?: FieldDefinition;
  system?: "uuid" | "datetime" | "integer";
}

const SYSTEM: Array<[string, PathInfo["system"]]> = [
  ["id", "uuid"],
  ["createdAt", "datetime"],
  ["updatedAt", "datetime"],
  ["createdBy", "uuid"],
  ["updatedBy", "uuid"],
  ["version", "integer"],
];

function ownPaths(entity: EntityDefinition, prefix: string): PathInfo[] {
  const paths: PathInfo[] = SYSTEM.map(([key, system]) => ({ path: prefix + key, system }));
  for (const field of entity.fields) {
    if (field.type === "relation" && field.relation !== "manyToOne") continue;
    paths.push({ path: prefix + field.key, field });
    if (field.type === "currency") paths.push({ path: `${prefix}${field.key}.amount`, field }, { path: `${prefix}${field.key}.currency`, field });
  }
  return paths;
}

/**
 * Every path a filter, sort or group could name on an entity: own fields, system columns, currency
 * parts, and fields reached through one or two manyToOne hops (`account.industry`).
 */
export function pathsOf(entity: EntityDefinition, definitions: Definitions): PathInfo[] {
  const paths = ownPaths(entity, "");
  for (const hop of entity.fields) {
    if (hop.type !== "relation" || hop.relation !== "manyToOne") continue;
    const target = definitions.get(hop.target);
    if (!target) continue;
    paths.push(...ownPaths(target, `${hop.key}.`));
    for (const second of target.fields) {
      if (second.type !== "relation" || second.relation !== "manyToOne") continue;
      const next = definitions.get(second.target);
      if (next) paths.push(...ownPaths(next, `${hop.key}.${second.key}.`).filter((_, i) => i % 4 === 0));
    }
  }
  return paths;
}

/** Paths that must be refused: unknown names, through to-many relations, too deep, prototype names. */
export function badPathsOf(entity: EntityDefinition): string[] {
  const first = entity.fields[0]?.key ?? "name";
  const toMany = entity.fields.filter((f) => f.type === "relation" && f.relation !== "manyToOne").flatMap((f) => [f.key, `${f.key}.id`]);
  const manyToOne = entity.fields.filter((f) => f.type === "relation" && f.relation === "manyToOne").map((f) => f.key);
  return [
    "nope",
    "Name",
    `${first}.x`,
    `${first}.amount`,
    "id.id",
    "a.b.c.d",
    "a_b",
    "__proto__",
    "constructor",
    "toString",
    "hasOwnProperty",
    "valueOf",
    "x".repeat(300),
    ...toMany,
    ...manyToOne.map((k) => `${k}.nope`),
    ...manyToOne.map((k) => `${k}.__proto__`),
    ...manyToOne.map((k) => `${k}.${k}.${k}.${k}`),
  ];
}

/** Relation paths an `expand` could name, valid (one or two levels) and not. */
export function expandPathsOf(entity: EntityDefinition, definitions: Definitions): string[] {
  const paths: string[] = [];
  for (const field of entity.fields) {
    if (field.type !== "relation") continue;
    paths.push(field.key);
    const target = definitions.get(field.target);
    for (const next of target?.fields ?? []) if (next.type === "relation") paths.push(`${field.key}.${next.key}`);
  }
  return paths;
}

/** What kind of value a path holds, for choosing operators, metrics and buckets. */
export function kindOf(info: PathInfo): "text" | "number" | "date" | "boolean" | "option" | "options" | "uuid" | "json" {
  if (info.system) return info.system === "integer" ? "number" : info.system === "datetime" ? "date" : "uuid";
  const field = info.field!;
  if (field.type === "currency") return info.path.endsWith(".currency") ? "text" : "number";
  switch (field.type) {
    case "integer":
    case "decimal":
    case "percent":
      return "number";
    case "date":
    case "datetime":
      return "date";
    case "boolean":
      return "boolean";
    case "select":
      return "option";
    case "multiSelect":
      return "options";
    case "relation":
      return "uuid";
    case "json":
      return "json";
    default:
      return "text";
  }
}
