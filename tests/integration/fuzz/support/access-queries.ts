import fc from "fast-check";
import type { EntityDefinition } from "@crm/core";
import { expandPathsOf, kindOf, pathsOf, type PathInfo } from "./entity-paths.ts";
import { renderFilter, type FilterTree } from "./filter-arbitraries.ts";
import { aggregateQuery, listQuery, type QueryPart } from "./query-arbitraries.ts";
import type { Tables, WorldData } from "./access-records.ts";
import { DEFINITION_MAP, isHiddenPath } from "./access-world.ts";

/** One request of the differential test, sent to both databases (a list's next page is followed once). */
export type Plan =
  | { kind: "list"; entity: string; parts: QueryPart[] }
  | { kind: "aggregate"; entity: string; parts: QueryPart[] }
  | { kind: "get"; entity: string; id: string; parts: QueryPart[] };

type Kind = ReturnType<typeof kindOf>;

const OPERATORS: Partial<Record<Kind, string[]>> = {
  text: ["eq", "ne", "in", "nin", "contains", "startsWith", "isNull", "gt", "lt"],
  number: ["eq", "ne", "gt", "gte", "lt", "lte", "in", "nin", "isNull"],
  date: ["eq", "ne", "gt", "gte", "lt", "lte", "in", "isNull"],
  option: ["eq", "ne", "in", "nin", "isNull"],
  uuid: ["eq", "ne", "in", "nin", "isNull"],
};
const BUCKETS = ["", ":day", ":month", ":quarter", ":year"];

/** The entity whose column a path ends on (`company.parent.name` → company). */
function ownerOf(root: string, path: string): string {
  let entityKey = root;
  for (const segment of path.split(".").slice(0, -1)) {
    const field = DEFINITION_MAP.get(entityKey)?.fields.find((f) => f.key === segment);
    if (field?.type !== "relation") break;
    entityKey = field.target;
  }
  return entityKey;
}

/** Every value of every column in either database, as filter text, by `entity.column`. */
function vocabularyOf(data: WorldData): Map<string, string[]> {
  const values = new Map<string, Set<string>>();
  for (const tables of [data.a, data.b]) {
    for (const [table, rows] of Object.entries(tables) as Array<[keyof Tables, Tables[keyof Tables]]>) {
      for (const row of rows) {
        for (const [column, value] of Object.entries(row)) {
          if (value === null || value === undefined) continue;
          const key = `${table}.${column}`;
          if (!values.has(key)) values.set(key, new Set());
          values.get(key)!.add(String(value));
        }
      }
    }
  }
  return new Map([...values].map(([key, set]) => [key, [...set]]));
}

/** Filter paths of an entity: those of the fuzz suites, plus every `ownerId` on the way. */
function filterPaths(entity: EntityDefinition): PathInfo[] {
  const paths = pathsOf(entity, DEFINITION_MAP);
  const hops = entity.fields.filter((f) => f.type === "relation" && f.relation === "manyToOne").map((f) => `${f.key}.`);
  return [...paths, ...["", ...hops].map((prefix): PathInfo => ({ path: `${prefix}ownerId`, system: "uuid" }))];
}

/** Readable paths most of the time, so most queries are answered; hidden ones sometimes, to be refused alike. */
function pathFrom(entity: EntityDefinition, paths: PathInfo[]): fc.Arbitrary<PathInfo> {
  const hidden = paths.filter((p) => isHiddenPath(entity.key, p.path));
  const readable = paths.filter((p) => !isHiddenPath(entity.key, p.path));
  if (!readable.length || !hidden.length) return fc.constantFrom(...paths);
  return fc.oneof({ weight: 14, arbitrary: fc.constantFrom(...readable) }, { weight: 1, arbitrary: fc.constantFrom(...hidden) });
}

function valueFor(entity: EntityDefinition, info: PathInfo, vocabulary: Map<string, string[]>, data: WorldData): fc.Arbitrary<string> {
  const owner = ownerOf(entity.key, info.path);
  const last = info.path.split(".").pop()!;
  const column = info.field?.type === "currency" && last === "currency" ? `${info.field.key}_currency` : (info.field?.key ?? last);
  const seen = vocabulary.get(`${owner}.${column}`) ?? [];
  const known = seen.length ? [fc.constantFrom(...seen)] : [];
  switch (kindOf(info)) {
    case "text":
      return fc.oneof(...known, fc.constantFrom(...data.words), fc.constantFrom(...data.words).map((w) => w.slice(0, 2)), fc.constantFrom(...data.words).map((w) => w.toUpperCase()));
    case "number":
      return fc.oneof(...known, fc.integer({ min: -100, max: 2000 }).map(String));
    case "date":
      return fc.oneof(...known, fc.date({ min: new Date("2019-01-01"), max: new Date("2025-12-31"), noInvalidDate: true }).map((d) => (info.field?.type === "date" ? d.toISOString().slice(0, 10) : d.toISOString())));
    case "option":
      return info.field?.type === "select" ? fc.constantFrom(...info.field.options.map((o) => o.key)) : fc.constant("x");
    case "uuid":
      return fc.oneof(...known, fc.constantFrom(...[...data.pool.values()].flat()));
    default:
      return fc.constant("x");
  }
}

function condition(entity: EntityDefinition, paths: PathInfo[], vocabulary: Map<string, string[]>, data: WorldData): fc.Arbitrary<FilterTree> {
  return pathFrom(entity, paths).chain((info) => {
    const ops = OPERATORS[kindOf(info)] ?? ["eq", "isNull"];
    return fc.constantFrom(...ops).chain((op): fc.Arbitrary<FilterTree> => {
      if (op === "isNull") return fc.constantFrom("true", "false").map((v) => ({ path: info.path, op, value: { items: [v], list: false, style: "auto" as const } }));
      const list = op === "in" || op === "nin";
      return fc.array(valueFor(entity, info, vocabulary, data), { minLength: 1, maxLength: list ? 4 : 1 }).map((items) => ({ path: info.path, op, value: { items, list, style: "auto" as const } }));
    });
  });
}

function filterText(entity: EntityDefinition, paths: PathInfo[], vocabulary: Map<string, string[]>, data: WorldData): fc.Arbitrary<string> {
  const leaf = condition(entity, paths, vocabulary, data);
  const { tree } = fc.letrec<{ tree: FilterTree }>((tie) => ({
    tree: fc.oneof(
      { depthSize: "small", maxDepth: 3, withCrossShrink: true },
      leaf,
      fc.record({ group: fc.constantFrom("and", "or"), children: fc.array(tie("tree"), { minLength: 1, maxLength: 3 }) }),
      fc.record({ group: fc.constant("not"), children: fc.array(tie("tree"), { minLength: 1, maxLength: 1 }) }),
    ),
  }));
  return tree.map(renderFilter);
}

function optional(name: string, value: fc.Arbitrary<string>, weight = 1): fc.Arbitrary<QueryPart[]> {
  return fc.oneof({ weight: 2, arbitrary: fc.constant<QueryPart[]>([]) }, { weight, arbitrary: value.map((v): QueryPart[] => [{ name, value: v }]) });
}

function commaList(items: string[], maxLength: number): fc.Arbitrary<string> {
  return fc.uniqueArray(fc.constantFrom(...items), { minLength: 1, maxLength }).map((xs) => xs.join(","));
}

function search(data: WorldData): fc.Arbitrary<string> {
  const word = fc.oneof(fc.constantFrom(...data.words), fc.constantFrom(...data.words).map((w) => w.slice(0, 3)));
  return fc.array(word, { minLength: 1, maxLength: 2 }).map((ws) => ws.join(" "));
}

function expandAndFields(entity: EntityDefinition): [fc.Arbitrary<QueryPart[]>, fc.Arbitrary<QueryPart[]>] {
  const expands = expandPathsOf(entity, DEFINITION_MAP);
  const readableExpands = expands.filter((p) => !isHiddenPath(entity.key, p, true));
  const expandValue = fc.oneof({ weight: 6, arbitrary: readableExpands.length ? commaList(readableExpands, 3) : fc.constant("nope") }, { weight: 1, arbitrary: commaList(expands.length ? expands : ["nope"], 2) });
  const keys = entity.fields.map((f) => f.key);
  const readableKeys = keys.filter((k) => !isHiddenPath(entity.key, k));
  if (!readableKeys.length) readableKeys.push(...keys);
  const fieldsValue = fc.oneof({ weight: 6, arbitrary: commaList(readableKeys, 4) }, { weight: 1, arbitrary: commaList(keys, 3) });
  return [expands.length ? optional("expand", expandValue) : fc.constant([]), optional("fields", fieldsValue)];
}

function listParts(entity: EntityDefinition, vocabulary: Map<string, string[]>, data: WorldData): fc.Arbitrary<QueryPart[]> {
  const paths = filterPaths(entity);
  const sortable = paths.filter((p) => !["json", "options"].includes(kindOf(p)));
  const sortTerm = fc.tuple(fc.constantFrom("", "-"), pathFrom(entity, sortable)).map(([sign, p]) => sign + p.path);
  const [expand, fields] = expandAndFields(entity);
  return fc
    .tuple(
      fc.array(filterText(entity, paths, vocabulary, data).map((value): QueryPart => ({ name: "filter", value })), { maxLength: 2 }),
      optional("sort", fc.uniqueArray(sortTerm, { minLength: 1, maxLength: 3, selector: (t) => t.replace(/^-/, "") }).map((ts) => ts.join(",")), 3),
      optional("limit", fc.oneof(fc.constantFrom("1", "2", "3", "5", "10"), fc.integer({ min: 1, max: 60 }).map(String)), 4),
      fields,
      expand,
      optional("count", fc.constantFrom("true", "false")),
      optional("q", search(data)),
    )
    .map((groups) => groups.flat());
}

function aggregateParts(entity: EntityDefinition, vocabulary: Map<string, string[]>, data: WorldData): fc.Arbitrary<QueryPart[]> {
  const paths = filterPaths(entity);
  const groupable = paths.filter((p) => ["text", "option", "uuid", "date", "number"].includes(kindOf(p)));
  const numeric = paths.filter((p) => kindOf(p) === "number");
  const ordered = paths.filter((p) => ["number", "date"].includes(kindOf(p)));
  const group = pathFrom(entity, groupable).chain((p) => (kindOf(p) === "date" ? fc.constantFrom(...BUCKETS).map((b) => p.path + b) : fc.constant(p.path)));
  const metric = fc.oneof(
    fc.constant("count"),
    fc.tuple(fc.constantFrom("sum", "avg"), pathFrom(entity, numeric)).map(([fn, p]) => `${fn}:${p.path}`),
    fc.tuple(fc.constantFrom("min", "max"), pathFrom(entity, ordered)).map(([fn, p]) => `${fn}:${p.path}`),
  );
  return fc
    .tuple(
      fc.uniqueArray(group, { maxLength: 2, selector: (g) => g.split(":")[0] }),
      fc.uniqueArray(metric, { minLength: 1, maxLength: 3 }),
      fc.array(filterText(entity, paths, vocabulary, data), { maxLength: 1 }),
      fc.option(search(data), { nil: undefined, freq: 3 }),
      fc.constantFrom(undefined, "1", "3", "100"),
      fc.boolean(),
      fc.boolean(),
    )
    .map(([groups, metrics, filters, q, limit, byMetric, descending]) => {
      const sortKey = byMetric ? metrics[0] : groups[0]?.split(":")[0];
      const pairs: Array<[string, string | undefined]> = [
        ["groupBy", groups.join(",") || undefined],
        ["metrics", metrics.join(",")],
        ...filters.map((f): [string, string] => ["filter", f]),
        ["q", q],
        ["limit", limit],
        ["sort", sortKey && (descending ? "-" : "") + sortKey],
      ];
      return pairs.filter((pair): pair is [string, string] => pair[1] !== undefined).map(([name, value]) => ({ name, value }));
    });
}

function getParts(entity: EntityDefinition, data: WorldData): fc.Arbitrary<Plan> {
  const [expand, fields] = expandAndFields(entity);
  const ids = data.pool.get(entity.key) ?? [];
  return fc.tuple(fc.constantFrom(...ids), expand, fields).map(([id, e, f]): Plan => ({ kind: "get", entity: entity.key, id, parts: [...e, ...f] }));
}

/**
 * Requests for the probe: mostly well-formed list, aggregate and get requests built from the data's own
 * values (so filters and searches hit visible and hidden values alike), and some from the query fuzz
 * suite's generators, half of them malformed, to compare refusals too.
 */
export function planArbitrary(data: WorldData): fc.Arbitrary<Plan> {
  const vocabulary = vocabularyOf(data);
  const per = (key: string, weight: number) => {
    const entity = DEFINITION_MAP.get(key)!;
    return {
      weight,
      arbitrary: fc.oneof(
        { weight: 8, arbitrary: listParts(entity, vocabulary, data).map((parts): Plan => ({ kind: "list", entity: key, parts })) },
        { weight: 5, arbitrary: aggregateParts(entity, vocabulary, data).map((parts): Plan => ({ kind: "aggregate", entity: key, parts })) },
        { weight: 2, arbitrary: getParts(entity, data) },
        { weight: 1, arbitrary: listQuery(entity, DEFINITION_MAP, data.pool).map(({ parts }): Plan => ({ kind: "list", entity: key, parts })) },
        { weight: 1, arbitrary: aggregateQuery(entity, DEFINITION_MAP, data.pool).map((parts): Plan => ({ kind: "aggregate", entity: key, parts })) },
      ),
    };
  };
  return fc.oneof(per("deal", 12), per("company", 6), per("label", 2), per("region", 1));
}
