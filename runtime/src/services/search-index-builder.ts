import { searchIndexName, searchIndexSql, type EntityDefinition } from "@crm/core";
import type { Database } from "../db/database.ts";
import type { Logger } from "../logger.ts";

/**
 * Builds an entity's full-text search index in the background, without blocking writes
 * (`CREATE INDEX CONCURRENTLY`), after a schema change changed the set of text fields. Until it is
 * ready, search still answers, from a scan. A failed build leaves no invalid index behind.
 */
export function createSearchIndexBuilder(db: Database, logger?: Logger) {
  const running = new Set<Promise<void>>();

  async function build(entity: EntityDefinition): Promise<void> {
    const statement = searchIndexSql(entity);
    if (!statement) return;
    const name = searchIndexName(entity);
    const started = performance.now();
    try {
      await db.query(statement.text.replace(/^CREATE INDEX IF NOT EXISTS/, "CREATE INDEX CONCURRENTLY IF NOT EXISTS"));
      logger?.info({ entity: entity.key, index: name, ms: Math.round(performance.now() - started) }, "search index ready");
    } catch (error) {
      logger?.error({ err: error, entity: entity.key, index: name }, "building the search index failed; search scans until the next schema change");
      await db.query(`DROP INDEX CONCURRENTLY IF EXISTS "data"."${name.replace(/"/g, '""')}"`).catch(() => undefined);
    }
  }

  return {
    ensure(entity: EntityDefinition): void {
      const job = build(entity).finally(() => running.delete(job));
      running.add(job);
    },
    async idle(): Promise<void> {
      while (running.size) await Promise.all([...running]);
    },
  };
}
