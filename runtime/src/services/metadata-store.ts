import type { EntityDefinition, MigrationPlan, ParkedEntity, ParkedField } from "@crm/core";
import { and, asc, desc, eq } from "drizzle-orm";
import type { Queryable } from "../db/database.ts";
import { entityDefinitions, entityDefinitionVersions, migrationPlans, parkedFields } from "../db/system-schema.ts";

/** An entity's current definition as stored. */
export interface StoredEntity {
  id: string;
  key: string;
  version: number;
  status: "active" | "deleted";
  definition: EntityDefinition;
  parkedTable: string | null;
  updatedAt: Date;
  deletedAt: Date | null;
}

function toStored(row: typeof entityDefinitions.$inferSelect): StoredEntity {
  return {
    id: row.id,
    key: row.key,
    version: row.version,
    status: row.status as StoredEntity["status"],
    definition: row.definition as EntityDefinition,
    parkedTable: row.parkedTable,
    updatedAt: row.updatedAt,
    deletedAt: row.deletedAt,
  };
}

/** Reads and writes of the system tables that hold metadata. */
export const metadataStore = {
  async listActive(db: Queryable): Promise<StoredEntity[]> {
    const rows = await db.orm.select().from(entityDefinitions).where(eq(entityDefinitions.status, "active")).orderBy(asc(entityDefinitions.createdAt), asc(entityDefinitions.key));
    return rows.map(toStored);
  },

  async listDeleted(db: Queryable): Promise<StoredEntity[]> {
    const rows = await db.orm.select().from(entityDefinitions).where(eq(entityDefinitions.status, "deleted")).orderBy(desc(entityDefinitions.deletedAt));
    return rows.map(toStored);
  },

  async countAll(db: Queryable): Promise<number> {
    const rows = await db.query<{ n: number }>("select count(*)::int as n from entity_definitions");
    return rows[0]?.n ?? 0;
  },

  async findActiveByKey(db: Queryable, key: string, options: { lock?: boolean } = {}): Promise<StoredEntity | undefined> {
    const query = db.orm.select().from(entityDefinitions).where(and(eq(entityDefinitions.key, key), eq(entityDefinitions.status, "active")));
    const rows = options.lock ? await query.for("update") : await query;
    return rows[0] ? toStored(rows[0]) : undefined;
  },

  async findById(db: Queryable, id: string, options: { lock?: boolean } = {}): Promise<StoredEntity | undefined> {
    const query = db.orm.select().from(entityDefinitions).where(eq(entityDefinitions.id, id));
    const rows = options.lock ? await query.for("update") : await query;
    return rows[0] ? toStored(rows[0]) : undefined;
  },

  async insert(db: Queryable, definition: EntityDefinition, planId: string): Promise<void> {
    await db.orm.insert(entityDefinitions).values({ id: definition.id, key: definition.key, version: 1, definition });
    await db.orm.insert(entityDefinitionVersions).values({ entityId: definition.id, version: 1, definition, change: "create", planId });
  },

  /** Write a new version; the caller holds the row lock and has checked the base version. */
  async writeVersion(
    db: Queryable,
    entity: StoredEntity,
    change: string,
    next: { definition: EntityDefinition; status?: StoredEntity["status"]; parkedTable?: string | null },
    planId: string | null,
  ): Promise<number> {
    const version = entity.version + 1;
    const status = next.status ?? entity.status;
    await db.orm
      .update(entityDefinitions)
      .set({
        key: next.definition.key,
        version,
        definition: next.definition,
        status,
        parkedTable: next.parkedTable === undefined ? entity.parkedTable : next.parkedTable,
        updatedAt: new Date(),
        deletedAt: status === "deleted" ? new Date() : null,
      })
      .where(eq(entityDefinitions.id, entity.id));
    await db.orm.insert(entityDefinitionVersions).values({ entityId: entity.id, version, definition: next.definition, change, planId });
    return version;
  },

  async remove(db: Queryable, entityId: string): Promise<void> {
    await db.orm.delete(entityDefinitions).where(eq(entityDefinitions.id, entityId));
    await db.orm.delete(parkedFields).where(eq(parkedFields.entityId, entityId));
  },

  async history(db: Queryable, entityId: string) {
    return db.orm
      .select({
        version: entityDefinitionVersions.version,
        change: entityDefinitionVersions.change,
        planId: entityDefinitionVersions.planId,
        createdAt: entityDefinitionVersions.createdAt,
      })
      .from(entityDefinitionVersions)
      .where(eq(entityDefinitionVersions.entityId, entityId))
      .orderBy(desc(entityDefinitionVersions.version));
  },

  async findVersion(db: Queryable, entityId: string, version: number): Promise<EntityDefinition | undefined> {
    const rows = await db.orm
      .select({ definition: entityDefinitionVersions.definition })
      .from(entityDefinitionVersions)
      .where(and(eq(entityDefinitionVersions.entityId, entityId), eq(entityDefinitionVersions.version, version)));
    return rows[0]?.definition as EntityDefinition | undefined;
  },

  async recordPlan(
    db: Queryable,
    plan: MigrationPlan,
    details: { fromVersion: number | null; toVersion: number | null; confirmed: string[]; impacts: unknown[]; durationMs: number },
  ): Promise<string> {
    const rows = await db.orm
      .insert(migrationPlans)
      .values({
        entityId: plan.entityId,
        entityKey: plan.entityKey,
        fromVersion: details.fromVersion,
        toVersion: details.toVersion,
        steps: plan.steps,
        confirmed: details.confirmed,
        impacts: details.impacts,
        durationMs: Math.round(details.durationMs),
      })
      .returning({ id: migrationPlans.id });
    return rows[0]!.id;
  },

  async listPlans(db: Queryable, entityId: string) {
    return db.orm.select().from(migrationPlans).where(eq(migrationPlans.entityId, entityId)).orderBy(desc(migrationPlans.appliedAt));
  },

  async parkedFieldsOf(db: Queryable, entityId: string): Promise<Array<ParkedField & { parkedAt: Date }>> {
    const rows = await db.orm.select().from(parkedFields).where(eq(parkedFields.entityId, entityId)).orderBy(desc(parkedFields.parkedAt));
    return rows.map((r) => ({ entityId: r.entityId, field: r.field as ParkedField["field"], columns: r.columns as string[], parkedAt: r.parkedAt }));
  },

  async park(db: Queryable, parked: ParkedField[]): Promise<void> {
    if (parked.length === 0) return;
    await db.orm.insert(parkedFields).values(parked.map((p) => ({ entityId: p.entityId, fieldId: p.field.id, field: p.field, columns: p.columns })));
  },

  async unpark(db: Queryable, entityId: string, fieldIds: string[]): Promise<void> {
    for (const fieldId of fieldIds) {
      await db.orm.delete(parkedFields).where(and(eq(parkedFields.entityId, entityId), eq(parkedFields.fieldId, fieldId)));
    }
  },

  parkedEntityOf(entity: StoredEntity): ParkedEntity | undefined {
    return entity.status === "deleted" && entity.parkedTable ? { entity: entity.definition, table: entity.parkedTable } : undefined;
  },
};
