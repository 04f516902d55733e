import { MAX_LIST_LIMIT, parseListQuery } from "@crm/core";
import type { SortTerm } from "@crm/core";
import { HostCallError } from "@crm/plugin-sandbox";
import type { FindPage, JsonObject } from "@crm/plugin-sandbox";
import { matchFilter, readPath } from "./match-filter.ts";

const SYSTEM = ["id", "createdAt", "updatedAt", "createdBy", "updatedBy", "version", "ownerId"];

/** Fixture records by entity key; missing system fields are filled in. */
export type Fixtures = { [entity: string]: Array<{ [field: string]: unknown }> };

export interface MemoryStore {
  /** A page of at most 200 records, as the list API pages: `nextCursor` continues the same query. */
  find(entity: string, query: JsonObject): FindPage;
  get(entity: string, id: string): JsonObject | null;
  create(entity: string, values: JsonObject): JsonObject;
  update(entity: string, id: string, changes: JsonObject): JsonObject;
  delete(entity: string, id: string): void;
  /** Every record of an entity, in insertion order (a copy). */
  all(entity: string): JsonObject[];
}

/**
 * Records in memory with the REST API's query semantics (filter, sort, limit, fields, q), the
 * offline stand-in for the database. Ids are `<entity>-<n>` unless fixtures bring their own.
 * @example
 * const store = createMemoryStore({ lead: [{ lastName: "Ada", source: "web" }] }, () => Date.UTC(2025, 0, 1));
 * store.find("lead", { filter: "source:eq:web" }) // [{ id: "lead-1", lastName: "Ada", … }]
 */
export function createMemoryStore(fixtures: Fixtures, now: () => number, actor: string | null = null): MemoryStore {
  const tables = new Map<string, Map<string, JsonObject>>();
  const byId = new Map<string, JsonObject>();
  let next = 1;
  const table = (entity: string) => {
    let rows = tables.get(entity);
    if (rows === undefined) tables.set(entity, (rows = new Map()));
    return rows;
  };
  const stamp = () => new Date(now()).toISOString();
  const insert = (entity: string, values: JsonObject): JsonObject => {
    const id = typeof values.id === "string" ? values.id : `${entity}-${next++}`;
    const at = stamp();
    const row: JsonObject = { id, createdAt: at, updatedAt: at, createdBy: actor, updatedBy: actor, version: 1, ownerId: actor, ...structuredClone(values) };
    table(entity).set(id, row);
    byId.set(id, row);
    return structuredClone(row);
  };
  const existing = (entity: string, id: string) => {
    const row = table(entity).get(id);
    if (row === undefined) throw new HostCallError("RECORD_NOT_FOUND", `There is no ${entity} record ${id}.`);
    return row;
  };
  for (const [entity, rows] of Object.entries(fixtures)) for (const row of rows) insert(entity, row as JsonObject);

  return {
    find(entity, query) {
      // The sandbox lowers limit to the rows-read budget left + 1; 0 means nothing is left.
      if (query.limit === 0) return { items: [], nextCursor: null };
      const { cursor, ...rest } = query;
      const parsed = parseListQuery(toParams(rest));
      if (!parsed.ok) throw new HostCallError("INVALID_QUERY", parsed.issues.map((i) => i.message).join("; "));
      const { filter, sort, fields, search, limit } = parsed.value;
      const lookup = (id: string) => byId.get(id);
      let rows = [...table(entity).values()].filter((row) => (filter === undefined || matchFilter(filter, row, lookup)) && (search === undefined || matchesSearch(row, search)));
      rows = rows.sort((a, b) => compareRows(a, b, sort, lookup));
      const from = cursor === undefined || cursor === null ? 0 : readCursor(cursor);
      const to = from + limit;
      return { items: rows.slice(from, to).map((row) => pick(row, fields)), nextCursor: rows.length > to ? writeCursor(to) : null };
    },
    get: (entity, id) => {
      const row = table(entity).get(id);
      return row === undefined ? null : structuredClone(row);
    },
    create: insert,
    update(entity, id, changes) {
      const row = existing(entity, id);
      const { id: _id, createdAt: _c, createdBy: _b, version: _v, ...rest } = structuredClone(changes);
      Object.assign(row, rest, { updatedAt: stamp(), updatedBy: actor, version: (row.version as number) + 1 });
      return structuredClone(row);
    },
    delete(entity, id) {
      existing(entity, id);
      table(entity).delete(id);
      byId.delete(id);
    },
    all: (entity) => [...table(entity).values()].map((row) => structuredClone(row)),
  };
}

/** A find query as the REST list parameters, so the REST parser checks it. */
/** Offline cursors are opaque like the server's, and refused like them when they are not one. */
const writeCursor = (offset: number) => Buffer.from(JSON.stringify({ offset })).toString("base64url");

function readCursor(cursor: unknown): number {
  try {
    const { offset } = JSON.parse(Buffer.from(String(cursor), "base64url").toString("utf8")) as { offset?: unknown };
    if (Number.isSafeInteger(offset) && (offset as number) >= 0) return offset as number;
  } catch {
    // Not JSON: refused below, as any other string that is not a cursor.
  }
  throw new HostCallError("INVALID_QUERY", "The query has problems; see issues. /cursor: This is not a cursor of this list.");
}

function toParams(query: JsonObject): URLSearchParams {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (key === "filter") for (const f of Array.isArray(value) ? value : [value]) params.append("filter", String(f));
    else if (key === "fields" && Array.isArray(value)) throw new HostCallError("INVALID_QUERY", 'fields is one comma-separated string: "account,amount".');
    // A larger limit gets the largest page, as on the server.
    else if (key === "limit" && typeof value === "number" && value > MAX_LIST_LIMIT) params.set(key, String(MAX_LIST_LIMIT));
    else if (key === "sort" || key === "q" || key === "fields" || key === "limit") params.set(key, String(value));
    else throw new HostCallError("INVALID_QUERY", `"${key}" is not a find option (filter, sort, limit, fields, q, cursor).`);
  }
  return params;
}

function compareRows(a: JsonObject, b: JsonObject, sort: SortTerm[], lookup: (id: string) => JsonObject | undefined): number {
  for (const term of sort) {
    const x = readPath(a, term.path, lookup);
    const y = readPath(b, term.path, lookup);
    const dir = term.direction === "asc" ? 1 : -1;
    if (x == null || y == null) {
      if (x == null && y == null) continue;
      return (x == null ? 1 : -1) * dir; // NULL last ascending, first descending
    }
    const order = typeof x === "number" && typeof y === "number" ? x - y : String(x) < String(y) ? -1 : String(x) > String(y) ? 1 : 0;
    if (order !== 0) return Math.sign(order) * dir;
  }
  return String(a.id) < String(b.id) ? -1 : String(a.id) > String(b.id) ? 1 : 0;
}

function matchesSearch(row: JsonObject, search: string): boolean {
  const words = Object.values(row).filter((v) => typeof v === "string").join(" ").toLowerCase().split(/[^\p{L}\p{N}]+/u);
  return search.toLowerCase().split(/\s+/).filter(Boolean).every((term) => words.some((w) => w.startsWith(term)));
}

function pick(row: JsonObject, fields: string[] | undefined): JsonObject {
  if (fields === undefined) return structuredClone(row);
  return structuredClone(Object.fromEntries(Object.entries(row).filter(([key]) => SYSTEM.includes(key) || fields.includes(key)))) as JsonObject;
}
