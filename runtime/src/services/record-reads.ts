import {
  checkReadable,
  compileAggregate,
  compileList,
  compileReadById,
  compileReadByIds,
  decodeCursor,
  encodeCursor,
  expandRecords,
  parseAggregateQuery,
  parseListQuery,
  resolveAggregateQuery,
  resolveListQuery,
  type Issue,
  type Result,
  type SqlStatement,
  isUuid,
  selectableFields,
  textArrayLiteral,
  type ResolvedAggregateQuery,
  type ResolvedListQuery,
  type OwnerScope,
} from "@crm/core";
import type { Database } from "../db/database.ts";
import { translateDatabaseError } from "../db/translate-error.ts";
import { AccessDenied, EntityNotFound, InvalidQuery, RecordNotFound } from "../errors.ts";
import { reachesNothing, readScope, type Caller } from "./caller.ts";
import { csvColumns, csvLine } from "./csv.ts";

/** Records read per statement of an export. */
const EXPORT_PAGE = 1000;
import type { EntityRegistry, LiveEntity } from "./entity-registry.ts";
import { parseRecordJson, type RecordJson } from "./record-writes.ts";

function valid<T>(result: Result<T>): T {
  if (!result.ok) throw InvalidQuery("The query has problems; see issues.", { issues: result.issues });
  return result.value;
}

/** A response body already serialised as JSON. */
export interface RawJson {
  json: string;
}

export interface AggregateGroup {
  key: Record<string, unknown>;
  count?: number;
  sum?: Record<string, unknown>;
  avg?: Record<string, unknown>;
  min?: Record<string, unknown>;
  max?: Record<string, unknown>;
}

/** `{ "count": 3, "sum:amount": 10 }` → `{ count: 3, sum: { amount: 10 } }` */
function shapeMetrics(metrics: Record<string, unknown>): Omit<AggregateGroup, "key"> {
  const shaped: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(metrics)) {
    const [fn, path] = name.split(":") as [string, string | undefined];
    if (path === undefined) shaped[fn] = value;
    else ((shaped[fn] ??= {}) as Record<string, unknown>)[path] = value;
  }
  return shaped;
}

/**
 * Record reads: list, get and aggregate, compiled from the query language to one statement (plus one
 * per expanded relation and level, never one per record).
 */
export function createRecordReads(deps: { db: Database; registry: EntityRegistry }) {
  const { db } = deps;

  function live(key: string): LiveEntity {
    const entity = deps.registry.find(key);
    if (!entity) throw EntityNotFound(`There is no entity with key "${key}".`);
    return entity;
  }

  /** A live entity the caller may read records of (403 otherwise, whatever the record). */
  function readable(key: string, caller: Caller): LiveEntity {
    const entity = live(key);
    if (!caller.admin && !caller.policy?.canRead(entity.definition)) throw AccessDenied(`You may not read ${key} records.`);
    return entity;
  }

  /** Refuse a query that uses a field or relation the caller cannot read (400, see `checkReadable`). */
  function checkQuery<Q extends ResolvedListQuery | ResolvedAggregateQuery>(query: Q, caller: Caller): Q {
    const issues = caller.policy ? checkReadable(query, caller.policy) : [];
    if (issues.length) throw InvalidQuery("The query uses fields you may not read; see issues.", { issues });
    return query;
  }

  /**
   * Statement texts of reads by id, per entity version, field list and whether owners restrict it:
   * they bind only the id (and the owners).
   */
  const readById = new Map<string, string>();
  function readByIdText(entity: LiveEntity, fields: readonly string[] | undefined, scope: OwnerScope | undefined): string {
    const shape = scope === undefined ? "all" : `${scope.owners.length ? "owners" : ""}${scope.unowned ? "+pool" : ""}`;
    const cacheKey = `${entity.definition.id}@${entity.version}:${shape}:${fields?.join(",") ?? "*"}`;
    let text = readById.get(cacheKey);
    if (text === undefined) {
      if (readById.size > 1000) readById.clear();
      const placeholder = scope && { owners: scope.owners.length ? ["00000000-0000-0000-0000-000000000001"] : [], unowned: scope.unowned === true };
      text = compileReadById(entity.definition, "00000000-0000-0000-0000-000000000000", fields, placeholder).text;
      readById.set(cacheKey, text);
    }
    return text;
  }

  /** The id, and the owners when the scope has any (see `readByIdText`). */
  const byIdParams = (id: string, scope: OwnerScope | undefined): unknown[] => (scope?.owners.length ? [id, textArrayLiteral(scope.owners)] : [id]);

  async function run(statement: SqlStatement) {
    try {
      return await db.query<Record<string, unknown>>(statement.text, statement.params);
    } catch (error) {
      throw translateDatabaseError(error);
    }
  }

  return {
    /** A page of records; without `expand` the records stay JSON text from the database to the client. */
    async list(key: string, params: URLSearchParams, caller: Caller): Promise<RawJson> {
      const entity = readable(key, caller);
      const query = checkQuery(valid(resolveListQuery(valid(parseListQuery(params)), entity.definition, deps.registry.definitions())), caller);
      const passThrough = query.expand.length === 0;
      const policy = caller.policy;
      const { statement, countStatement } = compileList(query, { textRecords: passThrough, policy });
      const [rows, counted] = await Promise.all([run(statement), countStatement ? run(countStatement) : Promise.resolve(undefined)]);
      const page = rows.slice(0, query.limit);
      const nextCursor = rows.length > query.limit ? encodeCursor(query, page[page.length - 1]!.k as unknown[]) : null;
      const tail = `],"nextCursor":${JSON.stringify(nextCursor)}${counted ? `,"total":${Number(counted[0]?.count ?? 0)}` : ""}}`;
      if (passThrough) return { json: `{"items":[${page.map((row) => row.r as string).join(",")}${tail}` };
      const items = await expandRecords(page.map((row) => parseRecordJson(row.r)), query.expand, run, { policy });
      // The serialised array without its closing bracket: `tail` closes it.
      return { json: `{"items":${JSON.stringify(items).slice(0, -1)}${tail}` };
    },

    /** One record with its version (for the ETag); JSON text straight from the database unless expanded. */
    async get(key: string, id: string, params: URLSearchParams, caller: Caller): Promise<RawJson & { version: number }> {
      const entity = readable(key, caller);
      const extra = [...new Set(params.keys())].filter((name) => name !== "fields" && name !== "expand");
      if (extra.length) {
        throw InvalidQuery("Reading one record takes only `fields` and `expand`.", {
          issues: extra.map((name): Issue => ({ code: "UNKNOWN_PARAMETER", pointer: `/${name}`, message: `"${name}" does not apply to a single record.` })),
        });
      }
      const missing = () => RecordNotFound(`There is no ${key} record with id "${id.slice(0, 64)}".`);
      if (!isUuid(id)) throw missing();
      const query = params.size === 0 ? undefined : checkQuery(valid(resolveListQuery(valid(parseListQuery(params)), entity.definition, deps.registry.definitions())), caller);
      // Out of the caller's scope reads exactly like a missing record.
      const scope = readScope(caller, entity.definition);
      if (reachesNothing(scope)) throw missing();
      const fields = selectableFields(entity.definition, caller.policy, query?.fields);
      if (!query?.expand.length) {
        const [row] = await run({ text: readByIdText(entity, fields, scope), params: byIdParams(id, scope) });
        if (!row) throw missing();
        return { json: row.r as string, version: Number(row.v) };
      }
      const [row] = await run(compileReadByIds(entity.definition, [id], fields, scope));
      if (!row) throw missing();
      const [record] = (await expandRecords([parseRecordJson(row.r)], query.expand, run, { policy: caller.policy })) as RecordJson[];
      return { json: JSON.stringify(record), version: record!.version };
    },

    /**
     * Every record a list query matches, as CSV lines (header first), read page by page with the
     * keyset so memory stays flat however large the export; the caller's scope and readable fields
     * apply as in a list, and the entity's `export` permission is required. The first page is read
     * before anything is returned, so a bad query is still a problem response.
     */
    async exportCsv(key: string, params: URLSearchParams, caller: Caller): Promise<AsyncIterable<string>> {
      const entity = readable(key, caller);
      if (!caller.admin && !caller.access(entity.definition).can.export) throw AccessDenied(`You may not export ${key} records.`);
      const unsupported = ["limit", "cursor", "expand", "count"].filter((name) => params.has(name));
      if (unsupported.length) {
        throw InvalidQuery("An export takes filter, sort, fields and q.", {
          issues: unsupported.map((name): Issue => ({ code: "UNKNOWN_PARAMETER", pointer: `/${name}`, message: `"${name}" does not apply to an export.` })),
        });
      }
      const query = checkQuery(valid(resolveListQuery(valid(parseListQuery(params)), entity.definition, deps.registry.definitions())), caller);
      query.limit = EXPORT_PAGE;
      const fields = selectableFields(entity.definition, caller.policy, query.fields) ?? entity.definition.fields.map((f) => f.key);
      const columns = csvColumns(entity.definition, fields);
      const page = async () => {
        const rows = await run(compileList(query, { policy: caller.policy }).statement);
        const more = rows.length > query.limit;
        const kept = rows.slice(0, query.limit);
        if (more) query.after = valid(decodeCursor(encodeCursor(query, kept[kept.length - 1]!.k as unknown[]), entity.definition, query.sort));
        return { lines: kept.map((row) => csvLine(columns.map((c) => c.value(parseRecordJson(row.r))))).join(""), more };
      };
      const first = await page();
      return (async function* () {
        yield csvLine(columns.map((c) => c.header)) + first.lines;
        for (let more = first.more; more; ) {
          const next = await page();
          more = next.more;
          yield next.lines;
        }
      })();
    },

    /**
     * May the caller read this record's history, and which fields of it? Like reading the record: 404
     * when it is missing or out of scope. A deleted record's history stays readable to callers whose
     * read scope is every record.
     */
    async authorizeHistory(key: string, id: string, caller: Caller): Promise<{ readable: ReadonlySet<string> }> {
      const entity = readable(key, caller);
      const scope = readScope(caller, entity.definition);
      const fields = caller.policy?.readable(entity.definition) ?? new Set(entity.definition.fields.map((f) => f.key));
      if (scope === undefined) return { readable: fields };
      const missing = () => RecordNotFound(`There is no ${key} record with id "${id.slice(0, 64)}".`);
      if (!isUuid(id) || reachesNothing(scope)) throw missing();
      const [row] = await run({ text: readByIdText(entity, [], scope), params: byIdParams(id, scope) });
      if (!row) throw missing();
      return { readable: fields };
    },

    async aggregate(key: string, params: URLSearchParams, caller: Caller): Promise<{ groups: AggregateGroup[] }> {
      const entity = readable(key, caller);
      const query = checkQuery(valid(resolveAggregateQuery(valid(parseAggregateQuery(params)), entity.definition, deps.registry.definitions())), caller);
      const rows = await run(compileAggregate(query, { policy: caller.policy }));
      return {
        groups: rows.map((row) => {
          const metrics = (typeof row.metrics === "string" ? JSON.parse(row.metrics) : row.metrics) as Record<string, unknown>;
          const groupKey = (typeof row.key === "string" ? JSON.parse(row.key) : row.key) as Record<string, unknown>;
          return { key: groupKey, count: Number(row.count), ...shapeMetrics(metrics ?? {}) };
        }),
      };
    },
  };
}

export type RecordReads = ReturnType<typeof createRecordReads>;
