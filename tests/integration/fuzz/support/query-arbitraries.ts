import fc from "fast-check";
import type { EntityDefinition } from "@crm/core";
import { badPathsOf, expandPathsOf, kindOf, pathsOf, type Definitions } from "./entity-paths.ts";
import { badFilterText, validFilterText } from "./filter-arbitraries.ts";
import { anyString } from "./json-values.ts";
import type { IdPool } from "./record-arbitraries.ts";
import { encode } from "./url-text.ts";

/** One `name=value` pair of a query string; `raw` values are written without percent-encoding. */
export interface QueryPart {
  name: string;
  value?: string;
  raw?: boolean;
}

/** Cursors seen in real responses, so truncated and cross-sort cursors can be sent back. */
export type CursorPool = string[];

/** A cursor to send: a real one from the pool (by index, resolved at send time), altered, or junk. */
export type CursorChoice = { real: number; cut?: number; suffix?: string } | { junk: string };

const LIMITS = ["0", "1", "2", "50", "200", "201", "1000", "1001", "-1", "1e2", "5.0", " 5", "0x10", "99999999", "", "NaN"];

/** Percent-encoding the URL parser leaves alone, so the server sees it malformed. */
const MALFORMED_ESCAPES = ["%", "%zz", "%E0%A4%A", "%C0%AF", "%FF", "%00", "%ED%A0%80", "%25%", "a%2", "%F0%9F%92"];

function listOf(items: fc.Arbitrary<string>, maxLength: number): fc.Arbitrary<string> {
  return fc.uniqueArray(items, { minLength: 1, maxLength }).map((xs) => xs.join(","));
}

/** A comma list with something wrong: empty items, duplicates, junk. */
function badListOf(items: fc.Arbitrary<string>, maxLength: number): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 4, arbitrary: fc.array(items, { minLength: 1, maxLength }).map((xs) => xs.join(",")) },
    { weight: 1, arbitrary: fc.array(items, { minLength: 0, maxLength }).map((xs) => xs.join(",,") + ",") },
    { weight: 1, arbitrary: fc.array(items, { minLength: 11, maxLength: 14 }).map((xs) => xs.join(",")) },
    { weight: 1, arbitrary: anyString(30) },
  );
}

function sortTerm(paths: string[]): fc.Arbitrary<string> {
  return fc.tuple(fc.constantFrom("", "-"), fc.constantFrom(...paths)).map(([sign, path]) => sign + path);
}

function badSortTerm(paths: string[], bad: string[]): fc.Arbitrary<string> {
  return fc.tuple(fc.constantFrom("", "-", "+", "--", " "), fc.constantFrom(...paths, ...bad)).map(([sign, path]) => sign + path);
}

function optionalPart(name: string, value: fc.Arbitrary<string>): fc.Arbitrary<QueryPart[]> {
  return fc.oneof({ weight: 2, arbitrary: fc.constant<QueryPart[]>([]) }, { weight: 1, arbitrary: value.map((v): QueryPart[] => [{ name, value: v }]) });
}

/** Unknown, duplicated, empty and malformed parameters. */
function noisePart(): fc.Arbitrary<QueryPart> {
  return fc.oneof(
    fc.constantFrom("nope", "", "Filter", "limit[]", "__proto__", "constructor", "fields", "sort", "limit").map((name) => ({ name, value: "1" })),
    fc.constantFrom("filter", "sort", "limit", "q", "fields", "groupBy", "metrics").map((name) => ({ name })),
    fc.tuple(fc.constantFrom("filter", "sort", "q", "cursor", "fields", "groupBy", "metrics", "limit"), fc.constantFrom(...MALFORMED_ESCAPES)).map(([name, value]) => ({ name, value, raw: true })),
  );
}

/**
 * A query that should be answered (every part valid), then most of the time one part replaced by a
 * wrong one: so both the happy paths (SQL, keyset, expand) and each validator are exercised.
 */
function validThenMutated(valid: fc.Arbitrary<QueryPart[]>, wrong: fc.Arbitrary<QueryPart>): fc.Arbitrary<QueryPart[]> {
  return fc.tuple(valid, fc.option(wrong, { freq: 2, nil: undefined })).chain(([parts, bad]) => {
    const kept = bad === undefined ? parts : parts.filter((p) => p.name !== bad.name || p.name === "filter");
    const all = bad === undefined ? kept : [...kept, bad];
    return fc.shuffledSubarray(all, { minLength: all.length });
  });
}

const SEARCHES = ["acme", "Account", "deal 3", "a & b", "!", "a:*", "'", "(", "<->", "a | !b", "\\", "客户", "Inc."];

/** Query parts of a list request on an entity: filters, sort, limit, cursor, fields, expand, count, q. */
export function listQuery(entity: EntityDefinition, definitions: Definitions, pool: IdPool): fc.Arbitrary<{ parts: QueryPart[]; cursor?: CursorChoice }> {
  const infos = pathsOf(entity, definitions);
  const paths = infos.map((p) => p.path);
  const sortable = infos.filter((p) => !["json", "options"].includes(kindOf(p))).map((p) => p.path);
  const bad = badPathsOf(entity);
  const fieldKeys = entity.fields.map((f) => f.key);
  const expandPaths = expandPathsOf(entity, definitions);
  const valid = fc
    .tuple(
      fc.array(validFilterText(infos, pool).map((value) => ({ name: "filter", value })), { maxLength: 2 }),
      optionalPart("sort", listOf(sortTerm(sortable), 3)),
      optionalPart("limit", fc.oneof(fc.constantFrom("1", "2", "3", "5", "200"), fc.integer({ min: 1, max: 200 }).map(String))),
      optionalPart("fields", listOf(fc.constantFrom(...fieldKeys), 4)),
      expandPaths.length ? optionalPart("expand", listOf(fc.constantFrom(...expandPaths), 3)) : fc.constant([]),
      optionalPart("count", fc.constantFrom("true", "false")),
      optionalPart("q", fc.oneof(fc.constantFrom(...SEARCHES), fc.string({ unit: "grapheme", minLength: 1, maxLength: 20 }))),
    )
    .map((groups) => groups.flat());
  const wrong = fc.oneof(
    { weight: 5, arbitrary: badFilterText(infos, bad, pool).map((value) => ({ name: "filter", value })) },
    { weight: 2, arbitrary: badListOf(badSortTerm(paths, bad), 4).map((value) => ({ name: "sort", value })) },
    { weight: 1, arbitrary: fc.constantFrom(...LIMITS).map((value) => ({ name: "limit", value })) },
    { weight: 1, arbitrary: badListOf(fc.constantFrom(...fieldKeys, ...bad, "id", "version", "a.b", "-name", "*"), 5).map((value) => ({ name: "fields", value })) },
    { weight: 2, arbitrary: badListOf(fc.constantFrom(...expandPaths, ...bad.slice(0, 4), "a.b.c", ...expandPaths.map((p) => `${p}.account.account`)), 3).map((value) => ({ name: "expand", value })) },
    { weight: 1, arbitrary: fc.constantFrom("1", "TRUE", "", "yes").map((value) => ({ name: "count", value })) },
    { weight: 1, arbitrary: fc.oneof(anyString(40), fc.constant("x".repeat(201))).map((value) => ({ name: "q", value })) },
    { weight: 1, arbitrary: noisePart() },
  );
  // Following real pages is the test's job (it knows which query made a cursor); here, cursors of other queries and junk.
  const cursor: fc.Arbitrary<CursorChoice | undefined> = fc.oneof(
    { weight: 20, arbitrary: fc.constant(undefined) },
    { weight: 1, arbitrary: fc.record({ real: fc.nat() }) },
    { weight: 1, arbitrary: fc.oneof(fc.base64String({ maxLength: 80 }), fc.constantFrom("", "e30", "eyJzIjoiIiwidiI6W10sImgiOiIifQ", "bnVsbA", "W10", "Ig", "_-_-", "x".repeat(4_001)), anyString(20)).map((junk) => ({ junk })) },
  );
  return fc.tuple(validThenMutated(valid, wrong), cursor).map(([parts, cursor]) => (cursor ? { parts, cursor } : { parts }));
}

const BUCKETS = ["day", "week", "month", "quarter", "year"] as const;

/** Query parts of an aggregate request: groupBy (with date buckets), metrics, filter, q, sort, limit. */
export function aggregateQuery(entity: EntityDefinition, definitions: Definitions, pool: IdPool): fc.Arbitrary<QueryPart[]> {
  const infos = pathsOf(entity, definitions);
  const paths = infos.map((p) => p.path);
  const bad = badPathsOf(entity);
  const groupable = infos.filter((p) => ["text", "option", "boolean", "uuid", "date", "number"].includes(kindOf(p)));
  const numeric = infos.filter((p) => kindOf(p) === "number").map((p) => p.path);
  const ordered = infos.filter((p) => ["number", "date"].includes(kindOf(p))).map((p) => p.path);
  const groupBy = fc.constantFrom(...groupable).chain((info) =>
    kindOf(info) === "date" ? fc.constantFrom("", ...BUCKETS.map((b) => `:${b}`)).map((b) => info.path + b) : fc.constant(info.path),
  );
  const metric = fc.oneof(
    fc.constant("count"),
    ...(numeric.length ? [fc.tuple(fc.constantFrom("sum", "avg"), fc.constantFrom(...numeric)).map(([fn, p]) => `${fn}:${p}`)] : []),
    fc.tuple(fc.constantFrom("min", "max"), fc.constantFrom(...ordered)).map(([fn, p]) => `${fn}:${p}`),
  );
  const valid = fc
    .tuple(fc.uniqueArray(groupBy, { maxLength: 2, selector: (g) => g.split(":")[0] }), fc.uniqueArray(metric, { minLength: 1, maxLength: 3 }), fc.array(validFilterText(infos, pool), { maxLength: 1 }), fc.option(fc.constantFrom(...SEARCHES), { nil: undefined }), fc.constantFrom(undefined, "5", "100", "1000"), fc.boolean(), fc.boolean())
    .chain(([groups, metrics, filters, q, limit, sortByMetric, descending]) => {
      const keys = sortByMetric ? metrics : groups.map((g) => g.split(":")[0]!);
      return fc.subarray(keys, { maxLength: Math.min(2, keys.length) }).map((sortKeys) => {
        const parts: QueryPart[] = [];
        if (groups.length) parts.push({ name: "groupBy", value: groups.join(",") });
        parts.push({ name: "metrics", value: metrics.join(",") });
        for (const f of filters) parts.push({ name: "filter", value: f });
        if (q !== undefined) parts.push({ name: "q", value: q });
        if (limit !== undefined) parts.push({ name: "limit", value: limit });
        if (sortKeys.length) parts.push({ name: "sort", value: sortKeys.map((k) => (descending ? "-" : "") + k).join(",") });
        return parts;
      });
    });
  const anyPath = fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...paths) }, { weight: 1, arbitrary: fc.constantFrom(...bad) });
  const badGroup = fc.tuple(anyPath, fc.constantFrom("", "", ":day", ":month", ":year", ":hour", ":", ":month:x", ":MONTH")).map(([p, b]) => p + b);
  const badMetric = fc.oneof(
    fc.constant("count"),
    fc.tuple(fc.constantFrom("sum", "avg", "min", "max"), anyPath).map(([fn, p]) => `${fn}:${p}`),
    fc.constantFrom("count:id", "median:amount", "sum", "sum:", ":", "COUNT", "max:a:b"),
  );
  const wrong = fc.oneof(
    { weight: 3, arbitrary: badListOf(badGroup, 6).map((value) => ({ name: "groupBy", value })) },
    { weight: 3, arbitrary: badListOf(badMetric, 4).map((value) => ({ name: "metrics", value })) },
    { weight: 2, arbitrary: badFilterText(infos, bad, pool).map((value) => ({ name: "filter", value })) },
    { weight: 2, arbitrary: badListOf(fc.tuple(fc.constantFrom("", "-", "--"), fc.oneof(badMetric, anyPath)).map(([s, k]) => s + k), 3).map((value) => ({ name: "sort", value })) },
    { weight: 1, arbitrary: fc.constantFrom(...LIMITS, "1001").map((value) => ({ name: "limit", value })) },
    { weight: 1, arbitrary: fc.oneof(anyString(30), fc.constant("x".repeat(201))).map((value) => ({ name: "q", value })) },
    { weight: 1, arbitrary: noisePart() },
  );
  return validThenMutated(valid, wrong);
}

/** Resolve a cursor choice against the cursors seen so far. */
export function cursorValue(choice: CursorChoice, pool: CursorPool): string {
  if ("junk" in choice) return choice.junk;
  const real = pool.length ? pool[choice.real % pool.length]! : "eyJzIjoiYSIsInYiOltdLCJoIjoiYiJ9";
  if (choice.cut !== undefined) return real.slice(0, choice.cut % Math.max(real.length, 1));
  return real + (choice.suffix ?? "");
}

/** `?a=1&b=2`, percent-encoding every value except raw ones. */
export function renderQuery(parts: QueryPart[]): string {
  if (parts.length === 0) return "";
  const text = parts.map((p) => (p.value === undefined ? encode(p.name) : `${encode(p.name)}=${p.raw ? p.value : encode(p.value)}`));
  return "?" + text.join("&");
}
