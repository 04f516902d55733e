import {
  compileAggregate,
  compileList,
  compileReadById,
  compileReadByIds,
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
} from "@crm/core";
import type { Database } from "../db/database.ts";
import { translateDatabaseError } from "../db/translate-error.ts";
import { EntityNotFound, InvalidQuery, RecordNotFound } from "../errors.ts";
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

  /** Statement texts of reads by id, per entity version and field list: they bind only the id. */
  const readById = new Map<string, string>();
  function readByIdText(entity: LiveEntity, fields: readonly string[] | undefined): string {
    const cacheKey = `${entity.definition.id}@${entity.version}:${fields?.join(",") ?? "*"}`;
    let text = readById.get(cacheKey);
    if (text === undefined) {
      if (readById.size > 1000) readById.clear();
      text = compileReadById(entity.definition, "00000000-0000-0000-0000-000000000000", fields).text;
      readById.set(cacheKey, text);
    }
    return text;
  }

  async function run(statement: SqlStatement) {
    try {
      return await db.query<Record<string, unknown>>(statement.text, statement.params);
    } catch (error) {
      throw translateDatabaseError(error);
    }
  }

  return {
    /** A page of records; without `expand` the records stay JSON text from the database to the client. */
    async list(key: string, params: URLSearchParams): Promise<RawJson> {
      const entity = live(key);
      const query = valid(resolveListQuery(valid(parseListQuery(params)), entity.definition, deps.registry.definitions()));
      const passThrough = query.expand.length === 0;
      const { statement, countStatement } = compileList(query, { textRecords: passThrough });
      const [rows, counted] = await Promise.all([run(statement), countStatement ? run(countStatement) : Promise.resolve(undefined)]);
      const page = rows.slice(0, query.limit);
      const nextCursor = rows.length > query.limit ? encodeCursor(query, page[page.length - 1]!.k as unknown[]) : null;
      const tail = `],"nextCursor":${JSON.stringify(nextCursor)}${counted ? `,"total":${Number(counted[0]?.count ?? 0)}` : ""}}`;
      if (passThrough) return { json: `{"items":[${page.map((row) => row.r as string).join(",")}${tail}` };
      const items = await expandRecords(page.map((row) => parseRecordJson(row.r)), query.expand, run);
      // The serialised array without its closing bracket: `tail` closes it.
      return { json: `{"items":${JSON.stringify(items).slice(0, -1)}${tail}` };
    },

    /** One record with its version (for the ETag); JSON text straight from the database unless expanded. */
    async get(key: string, id: string, params: URLSearchParams): Promise<RawJson & { version: number }> {
      const entity = live(key);
      const extra = [...new Set(params.keys())].filter((name) => name !== "fields" && name !== "expand");
      if (extra.length) {
        throw InvalidQuery("Reading one record takes only `fields` and `expand`.", {
          issues: extra.map((name): Issue => ({ code: "UNKNOWN_PARAMETER", pointer: `/${name}`, message: `"${name}" does not apply to a single record.` })),
        });
      }
      if (!isUuid(id)) throw RecordNotFound(`There is no ${key} record with id "${id.slice(0, 64)}".`);
      const query = params.size === 0 ? undefined : valid(resolveListQuery(valid(parseListQuery(params)), entity.definition, deps.registry.definitions()));
      if (!query?.expand.length) {
        const [row] = await run({ text: readByIdText(entity, query?.fields), params: [id] });
        if (!row) throw RecordNotFound(`There is no ${key} record with id "${id}".`);
        return { json: row.r as string, version: Number(row.v) };
      }
      const [row] = await run(compileReadByIds(entity.definition, [id], query.fields));
      if (!row) throw RecordNotFound(`There is no ${key} record with id "${id}".`);
      const [record] = (await expandRecords([parseRecordJson(row.r)], query.expand, run)) as RecordJson[];
      return { json: JSON.stringify(record), version: record!.version };
    },

    async aggregate(key: string, params: URLSearchParams): Promise<{ groups: AggregateGroup[] }> {
      const entity = live(key);
      const query = valid(resolveAggregateQuery(valid(parseAggregateQuery(params)), entity.definition, deps.registry.definitions()));
      const rows = await run(compileAggregate(query));
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
