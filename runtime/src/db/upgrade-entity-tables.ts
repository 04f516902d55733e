import { createdIndexName, DATA_SCHEMA, ownerIndexName, OWNER_FIELD, TRASH_SCHEMA, type EntityDefinition } from "@crm/core";
import type { Database } from "./database.ts";

/**
 * Bring entity tables created by an older version up to today's system columns: `ownerId` and its
 * index arrived with record permissions, the `createdAt` index with them. Idempotent and cheap when
 * there is nothing to do (two catalog queries). Parked tables in the trash get the column too, so a restore brings back a table the
 * API can serve; their owner index is built when they are restored under an entity again.
 */
export async function upgradeEntityTables(db: Database, live: readonly EntityDefinition[]): Promise<string[]> {
  const missing = await db.query<{ schema: string; name: string }>(
    `select c.table_schema as schema, c.table_name as name from information_schema.columns c
      where c.table_schema = any($1::text[]) and c.column_name = 'version'
        and not exists (select 1 from information_schema.columns o
                         where o.table_schema = c.table_schema and o.table_name = c.table_name and o.column_name = $2)`,
    [`{${DATA_SCHEMA},${TRASH_SCHEMA}}`, OWNER_FIELD],
  );
  const indexes = new Set((await db.query<{ name: string }>(`select indexname as name from pg_indexes where schemaname = $1`, [DATA_SCHEMA])).map((row) => row.name));
  const needIndex = live.filter((entity) => !indexes.has(createdIndexName(entity)));
  if (needIndex.length) {
    await db.transaction(async (tx) => {
      for (const entity of needIndex) await tx.query(`CREATE INDEX IF NOT EXISTS "${createdIndexName(entity).replaceAll('"', '""')}" ON "${DATA_SCHEMA}"."${entity.key.replaceAll('"', '""')}" ("createdAt")`);
    });
  }
  if (missing.length === 0) return [];
  const byKey = new Map(live.map((entity) => [entity.key, entity]));
  await db.transaction(async (tx) => {
    for (const table of missing) {
      const qualified = `"${table.schema}"."${table.name.replaceAll('"', '""')}"`;
      await tx.query(`ALTER TABLE ${qualified} ADD COLUMN IF NOT EXISTS "${OWNER_FIELD}" uuid`);
      const entity = table.schema === DATA_SCHEMA ? byKey.get(table.name) : undefined;
      if (entity) await tx.query(`CREATE INDEX IF NOT EXISTS "${ownerIndexName(entity).replaceAll('"', '""')}" ON ${qualified} ("${OWNER_FIELD}")`);
    }
  });
  return missing.map((table) => `${table.schema}.${table.name}`);
}
