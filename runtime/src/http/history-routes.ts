import { isUuid, type Issue } from "@crm/core";
import { Hono, type Context } from "hono";
import { readHistory } from "../audit/record-history.ts";
import type { Database } from "../db/database.ts";
import { EntityNotFound, InvalidQuery, RecordNotFound } from "../errors.ts";
import type { EntityRegistry } from "../services/entity-registry.ts";

export const DEFAULT_HISTORY_LIMIT = 50;
export const MAX_HISTORY_LIMIT = 200;

export interface HistoryRouteDeps {
  db: Database;
  registry: EntityRegistry;
  /** May the caller read this record, and which of its fields? Throws the 403/404 problem itself. */
  authorizeRead(c: Context, entityKey: string, recordId: string): Promise<{ readable: ReadonlySet<string> }>;
}

/** Digits only (no `1e3`, no `0x10`, no blanks), at least 1; otherwise undefined. */
function positiveInteger(raw: string): number | undefined {
  const value = /^\d{1,15}$/.test(raw) ? Number(raw) : 0;
  return value >= 1 ? value : undefined;
}

/** `limit` (1…200, default 50) and `before` (an entry id) from the query string; every problem at once. */
function pageQuery(c: Context): { limit: number; before: number | undefined } {
  const rawLimit = c.req.query("limit");
  const rawBefore = c.req.query("before");
  const limit = rawLimit === undefined ? DEFAULT_HISTORY_LIMIT : positiveInteger(rawLimit);
  const before = rawBefore === undefined ? undefined : positiveInteger(rawBefore);
  const issues: Issue[] = [];
  if (limit === undefined || limit > MAX_HISTORY_LIMIT) {
    issues.push({ code: "INVALID_VALUE", pointer: "/query/limit", message: `Expected an integer from 1 to ${MAX_HISTORY_LIMIT}.` });
  }
  if (rawBefore !== undefined && before === undefined) {
    issues.push({ code: "INVALID_VALUE", pointer: "/query/before", message: "Expected the nextBefore of a previous page (a positive integer)." });
  }
  if (issues.length) throw InvalidQuery("The query has problems; see issues.", { issues });
  return { limit: limit!, before };
}

/**
 * `GET /:entity/:id/history?limit=&before=` → `{ items, nextBefore }`: the record's changes, newest
 * first, showing only the fields the caller may read. Mounted under `/api/records`. A deleted record
 * keeps its history; whether the caller may still see it is `authorizeRead`'s to say.
 */
export function historyRoutes(deps: HistoryRouteDeps) {
  const app = new Hono();

  app.get("/:entity/:id/history", async (c) => {
    const key = c.req.param("entity");
    const entity = deps.registry.find(key);
    if (!entity) throw EntityNotFound(`There is no entity with key "${key}".`);
    const rawId = c.req.param("id");
    if (!isUuid(rawId)) throw RecordNotFound(`There is no ${key} record with id "${rawId.slice(0, 64)}".`);
    const recordId = rawId.toLowerCase();
    const page = pageQuery(c);
    const { readable } = await deps.authorizeRead(c, key, recordId);
    return c.json(await readHistory(deps.db, { entity: entity.definition, recordId, readable, ...page }));
  });

  return app;
}
