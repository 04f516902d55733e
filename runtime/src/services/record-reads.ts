import { compileReadByIds } from "@crm/core";
import type { Database } from "../db/database.ts";
import { EntityNotFound, RecordNotFound } from "../errors.ts";
import type { EntityRegistry, LiveEntity } from "./entity-registry.ts";
import { parseRecordJson, type RecordJson } from "./record-writes.ts";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Record reads: list, get and aggregate, each compiled from the query language to one SQL statement per level. */
export function createRecordReads(deps: { db: Database; registry: EntityRegistry }) {
  function live(key: string): LiveEntity {
    const entity = deps.registry.find(key);
    if (!entity) throw EntityNotFound(`There is no entity with key "${key}".`);
    return entity;
  }

  return {
    async list(key: string, _params: URLSearchParams): Promise<{ items: RecordJson[]; nextCursor: string | null; total?: number }> {
      live(key);
      throw new Error("not yet");
    },

    async get(key: string, id: string, _params: URLSearchParams): Promise<RecordJson> {
      const entity = live(key);
      if (!UUID.test(id)) throw RecordNotFound(`There is no ${key} record with id "${id.slice(0, 64)}".`);
      const statement = compileReadByIds(entity.definition, [id]);
      const [row] = await deps.db.query<{ r: unknown }>(statement.text, statement.params);
      if (!row) throw RecordNotFound(`There is no ${key} record with id "${id}".`);
      return parseRecordJson(row.r);
    },

    async aggregate(key: string, _params: URLSearchParams): Promise<unknown> {
      live(key);
      throw new Error("not yet");
    },
  };
}

export type RecordReads = ReturnType<typeof createRecordReads>;
