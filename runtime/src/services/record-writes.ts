import { randomUUID } from "node:crypto";
import {
  compileDelete,
  compileInsert,
  compileLinkWrites,
  compileReadByIds,
  compileRecordValidator,
  compileUpdate,
  tableRef,
  type EntityDefinition,
  type Issue,
  type Result,
  isUuid,
} from "@crm/core";
import type { Database, Queryable } from "../db/database.ts";
import { translateRecordError } from "../db/translate-record-error.ts";
import { BadRequest, EntityNotFound, PreconditionFailed, RecordInvalid, RecordNotFound } from "../errors.ts";
import type { EntityRegistry, LiveEntity } from "./entity-registry.ts";
import { checkIdempotencyKey, claimIdempotencyKey, completeIdempotencyKey, releaseIdempotencyKey, requestHash, type StoredResponse } from "./idempotency.ts";

export type RecordJson = Record<string, unknown> & { id: string; version: number };

/** Where committed record changes are announced (webhooks); enqueued inside the write's transaction. */
export interface RecordEvents {
  enqueue(tx: Queryable, event: { entity: string; type: "created" | "updated" | "deleted"; records: Array<{ id: string; record?: unknown; previous?: unknown }> }): Promise<void>;
  notify(): void;
  /** False when, without asking the database, no event of this entity can be enqueued. */
  mayEnqueue?(entity: string): boolean;
}

export const MAX_BATCH = 500;
export function parseRecordJson(value: unknown): RecordJson {
  return (typeof value === "string" ? JSON.parse(value) : value) as RecordJson;
}

/** `"3"`, `W/"3"` or `*` → the expected version (undefined for `*` or no header). */
export function parseIfMatch(header: string | undefined): number | undefined {
  if (header === undefined || header.trim() === "*") return undefined;
  const match = /^\s*(?:W\/)?"(\d{1,9})"\s*$/.exec(header);
  if (!match) {
    throw BadRequest('If-Match must be an ETag from a previous read, like "3".', {
      issues: [{ code: "INVALID_IF_MATCH", pointer: "/headers/if-match", message: `Cannot read "${header.slice(0, 40)}" as an ETag.` }],
    });
  }
  return Number(match[1]);
}

export function etagOf(record: { version: number }): string {
  return `"${record.version}"`;
}

function withPrefix(issues: Issue[], prefix: string): Issue[] {
  return prefix ? issues.map((i) => ({ ...i, pointer: prefix + i.pointer })) : issues;
}

/**
 * Record writes for every entity: validated against the schema derived from the live definition,
 * transactional (links, events and idempotency records commit or roll back with the write), and with
 * database errors translated to problems that name the field.
 */
export function createRecordWrites(deps: { db: Database; registry: EntityRegistry; events?: RecordEvents | undefined }) {
  const { db } = deps;

  function live(key: string): LiveEntity {
    const entity = deps.registry.find(key);
    if (!entity) throw EntityNotFound(`There is no entity with key "${key}".`);
    return entity;
  }

  /** The id in its canonical lower-case form (records come back from PostgreSQL that way), or 404. */
  function checkId(entity: EntityDefinition, id: string): string {
    if (!isUuid(id)) throw RecordNotFound(`There is no ${entity.key} record with id "${id.slice(0, 64)}".`);
    return id.toLowerCase();
  }

  function check(entity: LiveEntity, mode: "create" | "update", input: unknown, prefix: string): Result<Record<string, unknown>> {
    const result = compileRecordValidator(entity.definition, mode, entity.version)(input);
    return result.ok ? result : { ok: false, issues: withPrefix(result.issues, prefix) };
  }

  function validate(entity: LiveEntity, mode: "create" | "update", input: unknown, prefix: string): Record<string, unknown> {
    const result = check(entity, mode, input, prefix);
    if (!result.ok) throw RecordInvalid("The record has invalid fields; see issues.", { issues: result.issues });
    return result.value;
  }

  async function run<T>(entity: EntityDefinition, prefix: string, fn: (tx: Queryable) => Promise<T>): Promise<T> {
    try {
      const result = await db.transaction(fn);
      deps.events?.notify();
      return result;
    } catch (error) {
      throw translateRecordError(error, entity, prefix);
    }
  }

  async function readBack(tx: Queryable, entity: EntityDefinition, ids: string[]): Promise<Map<string, RecordJson>> {
    const statement = compileReadByIds(entity, ids);
    const rows = await tx.query<{ r: unknown }>(statement.text, statement.params);
    return new Map(rows.map((row) => parseRecordJson(row.r)).map((r) => [r.id, r]));
  }

  async function insert(tx: Queryable, entity: EntityDefinition, records: Array<Record<string, unknown> & { id: string }>): Promise<RecordJson[]> {
    const { statement, returnsRecords } = compileInsert(entity, records, { actor: null });
    const rows = await tx.query<{ r?: unknown; id?: string }>(statement.text, statement.params);
    let byId: Map<string, RecordJson>;
    if (returnsRecords) {
      byId = new Map(rows.map((row) => parseRecordJson(row.r)).map((r) => [r.id, r]));
    } else {
      for (const link of compileLinkWrites(entity, records)) await tx.query(link.text, link.params);
      byId = await readBack(tx, entity, records.map((r) => r.id));
    }
    const created = records.map((r) => byId.get(r.id)!);
    await deps.events?.enqueue(tx, { entity: entity.key, type: "created", records: created.map((record) => ({ id: record.id, record })) });
    return created;
  }

  async function updateOne(tx: Queryable, entity: EntityDefinition, id: string, changes: Record<string, unknown>, expectedVersion: number | undefined, prefix: string): Promise<RecordJson> {
    const { statement, returnsRecords } = compileUpdate(entity, id, changes, { actor: null, expectedVersion });
    const rows = await tx.query<{ r?: unknown; id?: string }>(statement.text, statement.params);
    if (rows.length === 0) await explainMissing(tx, entity, id, prefix);
    let record: RecordJson;
    if (returnsRecords) {
      record = parseRecordJson(rows[0]!.r);
    } else {
      for (const link of compileLinkWrites(entity, [{ id, ...changes }])) await tx.query(link.text, link.params);
      record = (await readBack(tx, entity, [id])).get(id)!;
    }
    return record;
  }

  /** No row was written: say whether the record is missing (404) or changed since it was read (412). */
  async function explainMissing(tx: Queryable, entity: EntityDefinition, id: string, prefix: string): Promise<never> {
    const [row] = await tx.query<{ version: number }>(`select "version" from ${tableRef(entity)} where "id" = $1::uuid`, [id]);
    if (!row) throw RecordNotFound(`There is no ${entity.key} record with id "${id}".`, { issues: prefix ? [{ code: "NOT_FOUND", pointer: prefix, message: "No such record." }] : [] });
    throw PreconditionFailed(`The record is now at version ${row.version}; reload it and apply your change again.`, {
      extra: { currentVersion: row.version },
      headers: { etag: etagOf(row) },
      issues: prefix ? [{ code: "STALE", pointer: prefix, message: `The record is now at version ${row.version}.` }] : [],
    });
  }

  return {
    /** Create one record (object body) or a batch (array body), all or nothing. */
    async create(key: string, body: unknown, options: { idempotencyKey?: string | undefined } = {}): Promise<StoredResponse> {
      const entity = live(key);
      const work = async (): Promise<StoredResponse> => {
        const batch = Array.isArray(body);
        const inputs = batch ? (body as unknown[]) : [body];
        if (batch && (inputs.length === 0 || inputs.length > MAX_BATCH)) {
          throw RecordInvalid(`A batch holds 1 to ${MAX_BATCH} records.`, { issues: [{ code: "BATCH_SIZE", pointer: "", message: `Send 1 to ${MAX_BATCH} records; got ${inputs.length}.` }] });
        }
        const issues: Issue[] = [];
        const records = inputs.map((input, i) => {
          const result = check(entity, "create", input, batch ? `/${i}` : "");
          if (!result.ok) issues.push(...result.issues);
          return result.ok ? { ...result.value, id: randomUUID() } : undefined;
        });
        if (issues.length) throw RecordInvalid("Some records have invalid fields; see issues.", { issues });
        const valid = records as Array<Record<string, unknown> & { id: string }>;
        const write = async (t: Queryable) => {
          const created = await insert(t, entity.definition, valid);
          const response: StoredResponse = batch
            ? { status: 201, body: { items: created }, headers: {} }
            : { status: 201, body: created[0], headers: { etag: etagOf(created[0]!), location: `/api/records/${key}/${created[0]!.id}` } };
          if (options.idempotencyKey) await completeIdempotencyKey(t, `records:${key}`, options.idempotencyKey, response);
          return response;
        };
        // One record, no links, no idempotency record, no events to enqueue: a single INSERT is atomic on
        // its own, so it runs without BEGIN/COMMIT round trips.
        const alone = !batch && !options.idempotencyKey && !entity.definition.fields.some((f) => f.type === "relation" && f.relation === "manyToMany") && deps.events?.mayEnqueue?.(key) === false;
        if (alone) {
          try {
            const { statement } = compileInsert(entity.definition, valid, { actor: null, textRecords: true });
            const [row] = await db.query<{ r: string; v: number }>(statement.text, statement.params);
            const id = valid[0]!.id;
            return { status: 201, body: undefined, json: row!.r, headers: { etag: etagOf({ version: Number(row!.v) }), location: `/api/records/${key}/${id}` } };
          } catch (error) {
            throw translateRecordError(error, entity.definition, "");
          }
        }
        return run(entity.definition, "", write);
      };
      if (!options.idempotencyKey) return work();
      checkIdempotencyKey(options.idempotencyKey);
      const scope = `records:${key}`;
      const replay = await claimIdempotencyKey(db, scope, options.idempotencyKey, requestHash(scope, body));
      if (replay) return { ...replay, headers: { ...replay.headers, "idempotent-replayed": "true" } };
      try {
        return await work();
      } catch (error) {
        await releaseIdempotencyKey(db, scope, options.idempotencyKey).catch(() => undefined);
        throw error;
      }
    },

    async update(key: string, rawId: string, body: unknown, options: { ifMatch?: string | undefined } = {}): Promise<RecordJson> {
      const entity = live(key);
      const id = checkId(entity.definition, rawId);
      const expectedVersion = parseIfMatch(options.ifMatch);
      const changes = validate(entity, "update", body, "");
      return run(entity.definition, "", async (tx) => {
        const record = await updateOne(tx, entity.definition, id, changes, expectedVersion, "");
        await deps.events?.enqueue(tx, { entity: key, type: "updated", records: [{ id, record }] });
        return record;
      });
    },

    /** Update several records in one transaction: each item `{ id, version?, ...changes }`; any failure writes nothing. */
    async updateMany(key: string, body: unknown): Promise<{ items: RecordJson[] }> {
      const entity = live(key);
      if (!Array.isArray(body) || body.length === 0 || body.length > MAX_BATCH) {
        throw RecordInvalid(`Send an array of 1 to ${MAX_BATCH} changes, each with the record's id.`, { issues: [{ code: "BATCH_SIZE", pointer: "", message: "Expected a non-empty array." }] });
      }
      const issues: Issue[] = [];
      const items = body.map((item: unknown, i) => {
        const { id, version, ...changes } = (item && typeof item === "object" && !Array.isArray(item) ? item : {}) as Record<string, unknown>;
        if (!isUuid(id)) issues.push({ code: "REQUIRED", pointer: `/${i}/id`, message: "Each change needs the record's id (a UUID)." });
        if (version !== undefined && !(Number.isSafeInteger(version) && (version as number) >= 1)) issues.push({ code: "INVALID_TYPE", pointer: `/${i}/version`, message: "version must be a positive integer." });
        const result = check(entity, "update", changes, `/${i}`);
        if (!result.ok) issues.push(...result.issues);
        return result.ok ? { id: typeof id === "string" ? id.toLowerCase() : "", version: version as number | undefined, changes: result.value } : undefined;
      });
      if (issues.length) throw RecordInvalid("Some changes are invalid; nothing was written. See issues.", { issues });
      const valid = items as Array<{ id: string; version: number | undefined; changes: Record<string, unknown> }>;
      return run(entity.definition, "", async (tx) => {
        const updated: RecordJson[] = [];
        for (const [i, item] of valid.entries()) {
          try {
            updated.push(await updateOne(tx, entity.definition, item.id, item.changes, item.version, `/${i}`));
          } catch (error) {
            throw translateRecordError(error, entity.definition, `/${i}`);
          }
        }
        await deps.events?.enqueue(tx, { entity: key, type: "updated", records: updated.map((record) => ({ id: record.id, record })) });
        return { items: updated };
      });
    },

    async remove(key: string, rawId: string, options: { ifMatch?: string | undefined } = {}): Promise<void> {
      const entity = live(key);
      const id = checkId(entity.definition, rawId);
      const expectedVersion = parseIfMatch(options.ifMatch);
      await run(entity.definition, "", async (tx) => {
        const statement = compileDelete(entity.definition, [id], { expectedVersion });
        const rows = await tx.query<{ r: unknown }>(statement.text, statement.params);
        if (rows.length === 0) await explainMissing(tx, entity.definition, id, "");
        await deps.events?.enqueue(tx, { entity: key, type: "deleted", records: [{ id, previous: parseRecordJson(rows[0]!.r) }] });
      });
    },

    /** Delete several records by id in one transaction; if any is missing, nothing is deleted. */
    async removeMany(key: string, body: unknown): Promise<{ deleted: number }> {
      const entity = live(key);
      const ids = (body as { ids?: unknown } | null)?.ids;
      const issues: Issue[] = [];
      if (!Array.isArray(ids) || ids.length === 0 || ids.length > MAX_BATCH) {
        issues.push({ code: "BATCH_SIZE", pointer: "/ids", message: `Send { "ids": [...] } with 1 to ${MAX_BATCH} record ids.` });
      } else {
        ids.forEach((id, i) => {
          if (!isUuid(id)) issues.push({ code: "INVALID_FORMAT", pointer: `/ids/${i}`, message: "Expected a record id (UUID)." });
        });
      }
      if (issues.length) throw BadRequest("The batch delete request is invalid.", { issues });
      const unique = [...new Set((ids as string[]).map((id) => id.toLowerCase()))];
      return run(entity.definition, "", async (tx) => {
        const statement = compileDelete(entity.definition, unique);
        const rows = (await tx.query<{ r: unknown }>(statement.text, statement.params)).map((row) => parseRecordJson(row.r));
        if (rows.length !== unique.length) {
          const found = new Set(rows.map((r) => r.id));
          const missing = (ids as string[]).flatMap((id, i) => (found.has(id.toLowerCase()) ? [] : [{ code: "NOT_FOUND", pointer: `/ids/${i}`, message: "No such record." }]));
          throw RecordNotFound(`${missing.length} of the records do not exist; nothing was deleted.`, { issues: missing });
        }
        await deps.events?.enqueue(tx, { entity: key, type: "deleted", records: rows.map((previous) => ({ id: previous.id, previous })) });
        return { deleted: rows.length };
      });
    },
  };
}

export type RecordWrites = ReturnType<typeof createRecordWrites>;
