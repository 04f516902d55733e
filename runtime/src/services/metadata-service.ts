import {
  parkedTableName,
  planMigration,
  planPurge,
  planSearchIndex,
  validateDefinitions,
  type EntityDefinition,
  type MigrationPlan,
  type PlanContext,
} from "@crm/core";
import { NO_AUDIT_ACTOR, recordAdminAudit, type AdminAuditAction, type AuditActor } from "../auth/admin-audit.ts";
import type { Database, Queryable } from "../db/database.ts";
import { translateDatabaseError } from "../db/translate-error.ts";
import {
  EntityExists,
  EntityNotFound,
  InvalidDefinition,
  NotFound,
} from "../errors.ts";
import { ensureConfirmed, ensureNoRefusals, ensureVersion, fieldMoves, validateAmongOthers } from "./metadata-checks.ts";
import type { Logger } from "../logger.ts";
import { metadataStore as store, type StoredEntity } from "./metadata-store.ts";
import { createSearchIndexBuilder } from "./search-index-builder.ts";
import { runPlan, type StepReport } from "./run-plan.ts";

export type Conversions = NonNullable<PlanContext["conversions"]>;

export interface ChangeRequest {
  definition?: unknown;
  /** The version the caller edited; a different current version is a stale edit (409). */
  baseVersion?: number | undefined;
  /** Ids of lossy steps the caller confirms. */
  confirm?: string[] | undefined;
  conversions?: Conversions | undefined;
}

export interface ChangeResult {
  entity: { id: string; key: string; version: number; status: string; definition: EntityDefinition };
  planId: string | null;
  steps: StepReport[];
}

export interface PreviewResult {
  entityId: string;
  entityKey: string;
  currentVersion: number | null;
  stale: boolean;
  steps: StepReport[];
  requiresConfirmation: string[];
  blocked: boolean;
}

/** The NOTIFY channel on which schema changes are announced to every runtime process. */
export const METADATA_CHANNEL = "crm_metadata_changed";

/** Pointers of a combined validation start with the index in the combined list; make them relative to the request's. */
function shiftPointer(pointer: string, offset: number): string {
  const match = /^\/(\d+)(.*)$/.exec(pointer);
  return match ? `/definitions/${Number(match[1]) - offset}${match[2]}` : pointer;
}

/** Thrown inside a dry-run transaction to roll it back while carrying the report out. */
class DryRunDone {
  readonly reports: StepReport[];
  constructor(reports: StepReport[]) {
    this.reports = reports;
  }
}

type Change =
  | { kind: "create"; next: EntityDefinition; entity: null }
  | { kind: "update"; next: EntityDefinition; entity: StoredEntity; retargeted?: EntityDefinition[]; rename?: { from: string; to: string } | null }
  | { kind: "delete"; next: null; entity: StoredEntity }
  | { kind: "restoreEntity"; next: EntityDefinition; entity: StoredEntity }
  | { kind: "purgeField"; next: EntityDefinition; entity: StoredEntity; fieldId: string }
  | { kind: "purgeEntity"; next: null; entity: StoredEntity };

/**
 * Use cases of metadata: every definition change goes validate → plan → (preview | apply) in one
 * transaction with a lock timeout; the next request sees the new schema without a restart.
 */
export function createMetadataService(db: Database, options: { lockTimeoutMs: number; onChange?: () => Promise<void> | void; logger?: Logger }) {
  async function transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
    try {
      return await db.transaction(async (tx) => {
        await tx.query(`set local lock_timeout = '${Math.trunc(options.lockTimeoutMs)}ms'`);
        return fn(tx);
      });
    } catch (error) {
      throw translateDatabaseError(error);
    }
  }

  const searchIndexes = createSearchIndexBuilder(db, options.logger);

  /** Tell other runtime processes on the same database to reload metadata (delivered on commit). */
  async function announce(tx: Queryable) {
    await tx.query(`select pg_notify('${METADATA_CHANNEL}', $1)`, [String(Date.now())]);
  }

  async function activeOthers(tx: Queryable, exceptId: string | null): Promise<EntityDefinition[]> {
    return (await store.listActive(tx)).filter((e) => e.id !== exceptId).map((e) => e.definition);
  }

  async function contextFor(tx: Queryable, entityId: string, conversions?: Conversions): Promise<PlanContext> {
    const parked = await store.parkedFieldsOf(tx, entityId);
    return { parkedFields: parked, conversions: conversions ?? {} };
  }

  /** The migration plan of a change, with the search index kept in step with the text fields. */
  async function plan(tx: Queryable, change: Change, conversions?: Conversions): Promise<MigrationPlan> {
    const migration = await planTables(tx, change, conversions);
    if (change.kind === "create" || change.kind === "update" || change.kind === "restoreEntity") {
      const previous = change.kind === "update" ? change.entity.definition : null;
      const search = planSearchIndex(previous, change.next);
      // A new table is empty: index it right away. An existing one may be large: its new index is
      // built after the change commits, concurrently, so the change holds no lock for it.
      migration.steps = [...search.before, ...migration.steps, ...(change.kind === "create" ? search.after : [])];
    }
    return migration;
  }

  async function planTables(tx: Queryable, change: Change, conversions?: Conversions): Promise<MigrationPlan> {
    switch (change.kind) {
      case "create":
        return planMigration(null, change.next, {});
      case "update":
        return planMigration(change.entity.definition, change.next, await contextFor(tx, change.entity.id, conversions));
      case "delete":
        return planMigration(change.entity.definition, null, {});
      case "restoreEntity":
        return planMigration(null, change.next, { parkedEntities: [store.parkedEntityOf(change.entity)!] });
      case "purgeField": {
        const parked = (await store.parkedFieldsOf(tx, change.entity.id)).find((p) => p.field.id === change.fieldId);
        if (!parked) throw NotFound(`Entity "${change.entity.key}" has no deleted field with id "${change.fieldId}".`);
        return planPurge(parked, change.entity.definition);
      }
      case "purgeEntity":
        return planPurge(store.parkedEntityOf(change.entity)!);
      default: {
        const never: never = change;
        return never;
      }
    }
  }

  /** Apply a change's plan and write the new metadata version, or (dry run) measure it and roll back. */
  async function execute(tx: Queryable, change: Change, request: ChangeRequest, dryRun: boolean): Promise<ChangeResult> {
    const migration = await plan(tx, change, request.conversions);
    ensureNoRefusals(migration);
    if (!dryRun) ensureConfirmed(migration, request.confirm);
    const started = performance.now();
    const reports = await runPlan(tx, migration, { dryRun });
    if (dryRun) throw new DryRunDone(reports);
    const record = {
      fromVersion: change.entity?.version ?? null,
      confirmed: request.confirm ?? [],
      impacts: reports.flatMap((r) => r.impacts.map((i) => ({ stepId: r.id, ...i }))),
      durationMs: performance.now() - started,
    };
    const entity = change.entity;
    let version = 1;
    let planId: string;
    let status: StoredEntity["status"] = "active";
    let definition = change.next ?? entity!.definition;
    switch (change.kind) {
      case "create":
        planId = await store.recordPlan(tx, migration, { ...record, toVersion: 1 });
        await store.insert(tx, change.next, planId);
        break;
      case "update": {
        const parked = await store.parkedFieldsOf(tx, change.entity.id);
        const moves = fieldMoves(change.entity.id, change.entity.definition, change.next, parked);
        await store.unpark(tx, change.entity.id, moves.restored);
        await store.park(tx, moves.parkedNow);
        planId = await store.recordPlan(tx, migration, { ...record, toVersion: change.entity.version + 1 });
        version = await store.writeVersion(tx, change.entity, "update", { definition: change.next }, planId);
        if (change.rename) await saveRetargeted(tx, change.retargeted ?? [], change.rename);
        break;
      }
      case "delete":
        status = "deleted";
        planId = await store.recordPlan(tx, migration, { ...record, toVersion: change.entity.version + 1 });
        version = await store.writeVersion(tx, change.entity, "delete", { definition: change.entity.definition, status, parkedTable: parkedTableName(change.entity.definition) }, planId);
        break;
      case "restoreEntity":
        planId = await store.recordPlan(tx, migration, { ...record, toVersion: change.entity.version + 1 });
        version = await store.writeVersion(tx, change.entity, "restore", { definition: change.next, status: "active", parkedTable: null }, planId);
        break;
      case "purgeField":
        await store.unpark(tx, change.entity.id, [change.fieldId]);
        planId = await store.recordPlan(tx, migration, { ...record, toVersion: change.entity.version + 1 });
        version = await store.writeVersion(tx, change.entity, "purgeField", { definition: change.next }, planId);
        break;
      case "purgeEntity":
        status = "deleted";
        planId = await store.recordPlan(tx, migration, { ...record, toVersion: null });
        await store.remove(tx, change.entity.id);
        version = change.entity.version;
        break;
      default: {
        const never: never = change;
        return never;
      }
    }
    definition = change.next ?? entity!.definition;
    return { entity: { id: definition.id, key: definition.key, version, status, definition }, planId, steps: reports };
  }

  /** Other entities whose relations follow a renamed entity key: new versions, no table changes. */
  async function saveRetargeted(tx: Queryable, definitions: EntityDefinition[], rename: { from: string; to: string }) {
    for (const definition of definitions) {
      const stored = await store.findById(tx, definition.id, { lock: true });
      if (!stored) continue;
      const migration = planMigration(stored.definition, definition, { entityKeyRenames: { [rename.from]: rename.to } });
      ensureNoRefusals(migration);
      await runPlan(tx, migration);
      const planId = migration.steps.length
        ? await store.recordPlan(tx, migration, { fromVersion: stored.version, toVersion: stored.version + 1, confirmed: [], impacts: [], durationMs: 0 })
        : null;
      await store.writeVersion(tx, stored, "targetRenamed", { definition }, planId);
    }
  }

  /** The admin audit entry of an applied change, in its transaction. */
  async function audit(tx: Queryable, actor: AuditActor, action: AdminAuditAction, result: ChangeResult, details: Record<string, unknown> = {}) {
    const { id, key, version } = result.entity;
    await recordAdminAudit(tx, actor, action, id, { key, version, planId: result.planId, ...details });
  }

  async function apply(build: (tx: Queryable) => Promise<Change>, request: ChangeRequest, by: { actor: AuditActor; action: AdminAuditAction; details?: Record<string, unknown> }): Promise<ChangeResult> {
    // A search index still being built (CREATE INDEX CONCURRENTLY) and this change's ALTER TABLE would
    // wait for each other, and PostgreSQL would end one as a deadlock: let the build finish first.
    await searchIndexes.idle();
    const result = await transaction(async (tx) => {
      const done = await execute(tx, await build(tx), request, false);
      await audit(tx, by.actor, by.action, done, by.details);
      await announce(tx);
      return done;
    });
    await options.onChange?.();
    if (result.entity.status === "active") searchIndexes.ensure(result.entity.definition);
    return result;
  }

  async function loadActive(tx: Queryable, key: string, lock = true): Promise<StoredEntity> {
    const entity = await store.findActiveByKey(tx, key, { lock });
    if (!entity) throw EntityNotFound(`There is no entity with key "${key}".`);
    return entity;
  }

  async function loadDeleted(tx: Queryable, id: string): Promise<StoredEntity> {
    const entity = await store.findById(tx, id, { lock: true });
    if (!entity || entity.status !== "deleted") throw NotFound(`There is no deleted entity with id "${id}".`);
    return entity;
  }

  async function buildUpdate(tx: Queryable, key: string, request: ChangeRequest): Promise<Change> {
    const entity = await loadActive(tx, key);
    ensureVersion(entity, request.baseVersion);
    const idOf = (request.definition as { id?: unknown } | null)?.id;
    if (idOf !== undefined && idOf !== entity.id) {
      throw InvalidDefinition("An entity's id never changes.", { issues: [{ code: "ID_CHANGED", pointer: "/id", message: `The id must stay "${entity.id}"; to make a different entity, create a new one.` }] });
    }
    const { valid: next, retargeted, rename } = validateAmongOthers(await activeOthers(tx, entity.id), request.definition as EntityDefinition, entity.definition);
    return { kind: "update", next, entity, retargeted, rename };
  }

  async function buildCreate(tx: Queryable, request: ChangeRequest): Promise<Change> {
    const candidate = request.definition as { id?: unknown } | null;
    const { valid: next } = validateAmongOthers(await activeOthers(tx, typeof candidate?.id === "string" ? candidate.id : ""), request.definition as EntityDefinition, null);
    const existing = await store.findById(tx, next.id);
    if (existing) {
      throw EntityExists(
        existing.status === "deleted"
          ? `An entity with id "${next.id}" is in the trash; restore it or choose another id.`
          : `An entity with id "${next.id}" already exists.`,
        { issues: [{ code: "DUPLICATE_ID", pointer: "/id", message: `The id "${next.id}" is taken.` }] },
      );
    }
    return { kind: "create", next, entity: null };
  }

  return {
    async list() {
      return store.listActive(db);
    },

    async get(key: string, version?: number) {
      const entity = await store.findActiveByKey(db, key);
      if (!entity) throw EntityNotFound(`There is no entity with key "${key}".`);
      if (version === undefined || version === entity.version) return entity;
      const definition = await store.findVersion(db, entity.id, version);
      if (!definition) throw NotFound(`Entity "${key}" has no version ${version}.`);
      return { ...entity, version, definition };
    },

    async history(key: string) {
      const entity = await this.get(key);
      return { versions: await store.history(db, entity.id), plans: await store.listPlans(db, entity.id) };
    },

    async trash(key?: string) {
      if (key === undefined) return { entities: await store.listDeleted(db) };
      const entity = await this.get(key);
      return { fields: await store.parkedFieldsOf(db, entity.id) };
    },

    /** Measure a proposed change on the live data: runs the plan in a transaction and rolls it back. */
    async preview(key: string, request: ChangeRequest): Promise<PreviewResult> {
      let current: StoredEntity | undefined;
      try {
        await transaction(async (tx) => {
          current = await store.findActiveByKey(tx, key, { lock: true });
          const change = current
            ? await buildUpdate(tx, key, { ...request, baseVersion: undefined })
            : await buildCreate(tx, request);
          return execute(tx, change, request, true);
        });
      } catch (error) {
        if (!(error instanceof DryRunDone)) throw error;
        const steps = error.reports;
        const next = request.definition as EntityDefinition;
        return {
          entityId: current?.id ?? next.id,
          entityKey: next.key,
          currentVersion: current?.version ?? null,
          stale: Boolean(current && request.baseVersion !== undefined && request.baseVersion !== current.version),
          steps,
          requiresConfirmation: steps.filter((s) => s.requiresConfirmation).map((s) => s.id),
          blocked: steps.some((s) => s.impacts.some((i) => i.blocks)),
        };
      }
      throw new Error("dry run did not roll back");
    },

    create(request: ChangeRequest, actor: AuditActor = NO_AUDIT_ACTOR) {
      return apply((tx) => buildCreate(tx, request), request, { actor, action: "entity_created" });
    },

    update(key: string, request: ChangeRequest, actor: AuditActor = NO_AUDIT_ACTOR) {
      return apply((tx) => buildUpdate(tx, key, request), request, { actor, action: "entity_changed" });
    },

    remove(key: string, request: { baseVersion?: number | undefined }, actor: AuditActor = NO_AUDIT_ACTOR) {
      return apply(async (tx) => {
        const entity = await loadActive(tx, key);
        ensureVersion(entity, request.baseVersion);
        validateAmongOthers(await activeOthers(tx, entity.id), null, entity.definition);
        return { kind: "delete", next: null, entity };
      }, {}, { actor, action: "entity_deleted" });
    },

    restoreEntity(id: string, actor: AuditActor = NO_AUDIT_ACTOR) {
      return apply(async (tx) => {
        const entity = await loadDeleted(tx, id);
        const { valid: next } = validateAmongOthers(await activeOthers(tx, entity.id), entity.definition, null);
        return { kind: "restoreEntity", next, entity };
      }, {}, { actor, action: "entity_restored" });
    },

    purgeEntity(id: string, confirm: string[] | undefined, actor: AuditActor = NO_AUDIT_ACTOR) {
      return apply(async (tx) => ({ kind: "purgeEntity", next: null, entity: await loadDeleted(tx, id) }), { confirm }, { actor, action: "entity_purged" });
    },

    /** Bring a deleted field back with its data, appended to the current definition. */
    restoreField(key: string, fieldId: string, request: { baseVersion?: number | undefined }, actor: AuditActor = NO_AUDIT_ACTOR) {
      return apply(async (tx) => {
        const entity = await loadActive(tx, key);
        ensureVersion(entity, request.baseVersion);
        const parked = (await store.parkedFieldsOf(tx, entity.id)).find((p) => p.field.id === fieldId);
        if (!parked) throw NotFound(`Entity "${key}" has no deleted field with id "${fieldId}".`);
        if (entity.definition.fields.some((f) => f.key === parked.field.key)) {
          throw EntityExists(`A live field already uses the key "${parked.field.key}"; rename it before restoring.`, {
            issues: [{ code: "DUPLICATE_KEY", pointer: "/fields", message: `The key "${parked.field.key}" is taken.` }],
          });
        }
        const { valid: next } = validateAmongOthers(await activeOthers(tx, entity.id), { ...entity.definition, fields: [...entity.definition.fields, parked.field] }, entity.definition);
        return { kind: "update", next, entity };
      }, {}, { actor, action: "field_restored", details: { fieldId } });
    },

    purgeField(key: string, fieldId: string, confirm: string[] | undefined, actor: AuditActor = NO_AUDIT_ACTOR) {
      return apply(async (tx) => {
        const entity = await loadActive(tx, key);
        return { kind: "purgeField", next: entity.definition, entity, fieldId };
      }, { confirm }, { actor, action: "field_purged", details: { fieldId } });
    },

    /**
     * Create several entities that may refer to each other, validated together, in one transaction and
     * in the given order (targets of many-to-one relations first). The shipped CRM loads this way.
     */
    async createMany(definitions: unknown[], actor: AuditActor = NO_AUDIT_ACTOR): Promise<ChangeResult[]> {
      const results = await transaction(async (tx) => {
        const others = await activeOthers(tx, null);
        const checked = validateDefinitions([...others, ...definitions]);
        if (!checked.ok) {
          const issues = checked.issues.map((i) => ({ ...i, pointer: shiftPointer(i.pointer, others.length) }));
          throw InvalidDefinition("The definitions have problems; see issues.", { issues });
        }
        const created: ChangeResult[] = [];
        for (const next of checked.value.slice(others.length)) {
          if (await store.findById(tx, next.id)) {
            throw EntityExists(`An entity with id "${next.id}" already exists.`);
          }
          const result = await execute(tx, { kind: "create", next, entity: null }, { definition: next }, false);
          await audit(tx, actor, "entity_created", result);
          created.push(result);
        }
        await announce(tx);
        return created;
      });
      await options.onChange?.();
      return results;
    },

    /** Resolves when background work (search index builds) has finished. */
    idle: () => searchIndexes.idle(),

    async isEmpty() {
      return (await store.countAll(db)) === 0;
    },
  };
}

export type MetadataService = ReturnType<typeof createMetadataService>;
