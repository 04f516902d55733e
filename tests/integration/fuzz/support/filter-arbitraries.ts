import fc from "fast-check";
import { anyString, NASTY_STRINGS } from "./json-values.ts";
import { kindOf, type PathInfo } from "./entity-paths.ts";
import type { IdPool } from "./record-arbitraries.ts";

export const OPERATORS = ["eq", "ne", "gt", "gte", "lt", "lte", "in", "nin", "contains", "startsWith", "isNull"] as const;
const BAD_OPERATORS = ["EQ", "like", "between", "", "eq ", "is", "startswith", "__proto__"] as const;

type Style = "auto" | "quoted" | "raw";
interface Value {
  items: string[];
  list: boolean;
  style: Style;
}
/** A filter syntax tree before rendering; group names and operators may be wrong on purpose. */
export type FilterTree = { group: string; children: FilterTree[] } | { path: string; op: string; value?: Value };

/** Plausible values for what the path ends on, plus the nasty strings. */
function valueText(info: PathInfo | undefined, pool: IdPool, noisy: boolean): fc.Arbitrary<string> {
  const field = info?.field;
  const date = noisy ? fc.date({ noInvalidDate: true }) : fc.date({ min: new Date("1900-01-01"), max: new Date("2100-12-31"), noInvalidDate: true });
  const number = noisy ? fc.oneof(fc.integer({ min: -1000, max: 1e7 }).map(String), fc.double({ noNaN: true, noDefaultInfinity: true }).map(String)) : fc.integer({ min: -100_000, max: 10_000_000 }).map((n) => String(n / 100));
  const typed = ((): fc.Arbitrary<string> | undefined => {
    if (info?.system === "uuid") return fc.oneof(fc.uuid(), fc.constantFrom(...[...pool.values()].flat().slice(0, 20), "00000000-0000-0000-0000-000000000000"));
    if (info?.system === "datetime") return date.map((d) => d.toISOString());
    if (info?.system === "integer") return fc.integer({ min: -5, max: 1e6 }).map(String);
    if (!field) return undefined;
    if (info.path.endsWith(".currency")) return noisy ? fc.constantFrom("USD", "EUR", "usd", "") : fc.constantFrom("USD", "EUR");
    switch (field.type) {
      case "select":
      case "multiSelect":
        return fc.constantFrom(...field.options.map((o) => o.key));
      case "integer":
        return noisy ? number : fc.integer({ min: -1000, max: 1e6 }).map(String);
      case "decimal":
      case "percent":
      case "currency":
        return number;
      case "date":
        return date.map((d) => d.toISOString().slice(0, 10));
      case "datetime":
        return date.map((d) => d.toISOString());
      case "boolean":
        return fc.constantFrom("true", "false");
      case "relation":
        return fc.oneof(fc.uuid(), fc.constantFrom(...(pool.get(field.target) ?? []).slice(0, 10), "00000000-0000-0000-0000-000000000000"));
      default:
        return undefined;
    }
  })();
  const loose = fc.oneof(anyString(30), fc.constantFrom(...NASTY_STRINGS));
  if (!typed) return noisy ? loose : anyString(20).filter((t) => t.trim() !== "" && !t.includes("\u0000"));
  return noisy ? fc.oneof({ weight: 3, arbitrary: typed }, { weight: 2, arbitrary: loose }) : typed;
}

/** Operators that suit a kind of value (the resolver refuses the others). */
function operatorsFor(info: PathInfo): string[] {
  switch (kindOf(info)) {
    case "text":
      return ["eq", "ne", "in", "nin", "contains", "startsWith", "isNull", "gt", "lt"];
    case "number":
    case "date":
      return ["eq", "ne", "gt", "gte", "lt", "lte", "in", "nin", "isNull"];
    case "option":
    case "uuid":
      return ["eq", "ne", "in", "nin", "isNull"];
    case "options":
      return ["contains", "eq", "isNull"];
    default:
      return ["eq", "ne", "isNull"];
  }
}

function condition(paths: PathInfo[], badPaths: string[], pool: IdPool, noisy: boolean): fc.Arbitrary<FilterTree> {
  const target = noisy
    ? fc.oneof(
        { weight: 4, arbitrary: fc.constantFrom(...paths).map((info) => ({ path: info.path, info: info as PathInfo | undefined })) },
        { weight: 1, arbitrary: fc.constantFrom(...badPaths).map((path) => ({ path, info: undefined as PathInfo | undefined })) },
      )
    : fc.constantFrom(...paths).map((info) => ({ path: info.path, info: info as PathInfo | undefined }));
  const style = noisy ? fc.constantFrom<Style>("auto", "auto", "quoted", "raw") : fc.constant<Style>("auto");
  return target.chain(({ path, info }) => {
    const op = noisy || !info ? fc.oneof({ weight: 6, arbitrary: fc.constantFrom<string>(...OPERATORS) }, { weight: 1, arbitrary: fc.constantFrom<string>(...BAD_OPERATORS) }) : fc.constantFrom(...operatorsFor(info));
    return op.chain((op) => {
      const text = valueText(info, pool, noisy);
      const single = fc.record({ items: fc.array(text, { minLength: 1, maxLength: 1 }), list: fc.constant(false), style });
      const value: fc.Arbitrary<Value | undefined> =
        op === "isNull"
          ? fc.oneof(fc.constant(undefined), fc.constantFrom(...(noisy ? ["true", "false", "yes", ""] : ["true", "false"])).map((t) => ({ items: [t], list: false, style: "auto" as Style })))
          : op === "in" || op === "nin"
            ? noisy
              ? fc.oneof(
                  { weight: 5, arbitrary: fc.record({ items: fc.array(text, { maxLength: 5 }), list: fc.constant(true), style }) },
                  { weight: 1, arbitrary: single },
                  { weight: 1, arbitrary: fc.constantFrom(201, 250).map((n) => ({ items: Array.from({ length: n }, (_, i) => String(i)), list: true, style: "auto" as Style })) },
                )
              : fc.record({ items: fc.array(text, { minLength: 1, maxLength: 4 }), list: fc.constant(true), style })
            : noisy
              ? fc.oneof({ weight: 8, arbitrary: single }, { weight: 1, arbitrary: fc.record({ items: fc.array(text, { maxLength: 2 }), list: fc.constant(true), style }) }, { weight: 1, arbitrary: fc.constant(undefined) })
              : single;
      return value.map((v) => (v === undefined ? { path, op } : { path, op, value: v }));
    });
  });
}

/**
 * A random filter tree over the entity's paths, groups up to four levels. `noisy` mixes in unknown
 * paths, operators and groups and hostile values; otherwise every condition should resolve.
 */
export function filterTree(paths: PathInfo[], badPaths: string[], pool: IdPool, noisy: boolean): fc.Arbitrary<FilterTree> {
  const leaf = condition(paths, badPaths, pool, noisy);
  const groups = [
    leaf,
    (tie: (key: "tree") => fc.Arbitrary<FilterTree>) => fc.record({ group: fc.constantFrom("and", "or"), children: fc.array(tie("tree"), { minLength: 1, maxLength: 4 }) }),
    (tie: (key: "tree") => fc.Arbitrary<FilterTree>) => fc.record({ group: fc.constant("not"), children: fc.array(tie("tree"), { minLength: 1, maxLength: 1 }) }),
  ] as const;
  const { tree } = fc.letrec<{ tree: FilterTree }>((tie) => ({
    tree: fc.oneof(
      { depthSize: "small", maxDepth: 4, withCrossShrink: true },
      groups[0],
      groups[1](tie),
      groups[2](tie),
      ...(noisy ? [fc.record({ group: fc.constantFrom("and", "or", "not", "AND", "xor", "constructor"), children: fc.array(tie("tree"), { maxLength: 2 }) })] : []),
    ),
  }));
  return tree;
}

function quote(text: string): string {
  return `"${text.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`;
}

function renderItem(text: string, style: Style): string {
  if (style === "raw") return text;
  if (style === "quoted" || text === "" || /[,()"\s\\:]/.test(text)) return quote(text);
  return text;
}

/** The URL form of a filter tree: `and(stage:eq:won,account.industry:in:(tech,"a, b"))`. */
export function renderFilter(tree: FilterTree): string {
  if ("group" in tree) return `${tree.group}(${tree.children.map(renderFilter).join(",")})`;
  if (!tree.value) return `${tree.path}:${tree.op}`;
  const items = tree.value.items.map((item) => renderItem(item, tree.value!.style));
  return `${tree.path}:${tree.op}:${tree.value.list ? `(${items.join(",")})` : (items[0] ?? "")}`;
}

/** Filters past the parser's limits: too deep, too many conditions, too long. */
function oversizedFilter(paths: PathInfo[]): fc.Arbitrary<string> {
  const path = paths[0]?.path ?? "id";
  return fc.constantFrom(
    "not(".repeat(12) + `${path}:isNull` + ")".repeat(12),
    "and(".repeat(200) + `${path}:isNull` + ")".repeat(200),
    `and(${Array.from({ length: 101 }, () => `${path}:isNull`).join(",")})`,
    `${path}:eq:${"x".repeat(4_001)}`,
    `${path}:in:(${Array.from({ length: 1_500 }, (_, i) => i).join(",")})`,
    "(".repeat(3_000),
    `${path}:eq:"${"\\".repeat(2_001)}`,
  );
}

/** A filter parameter that should resolve: a valid tree over real paths with typed values. */
export function validFilterText(paths: PathInfo[], pool: IdPool): fc.Arbitrary<string> {
  return filterTree(paths, [], pool, false).map(renderFilter);
}

/** A filter parameter with something wrong: noise in the tree, a corrupted rendering, or past the limits. */
export function badFilterText(paths: PathInfo[], badPaths: string[], pool: IdPool): fc.Arbitrary<string> {
  const corrupted = fc.tuple(validFilterText(paths, pool), fc.nat(), fc.constantFrom("", "(", ")", ",", ":", '"', "\\", " ", "\u0000", "'", "%")).map(([text, at, insert]) => {
    const i = at % (text.length + 1);
    return text.slice(0, i) + insert + text.slice(i + (insert === "" ? Math.ceil((text.length - i) / 2) : 0));
  });
  return fc.oneof(
    { weight: 8, arbitrary: filterTree(paths, badPaths, pool, true).map(renderFilter) },
    { weight: 4, arbitrary: corrupted },
    { weight: 1, arbitrary: oversizedFilter(paths) },
    { weight: 1, arbitrary: anyString(60) },
  );
}
