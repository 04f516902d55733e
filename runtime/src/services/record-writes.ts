import { randomUUID } from "node:crypto";
import {
  compileInsert,
  compileLinkWrites,
  compileReadByIds,
  compileRecordValidator,
  compileUpdate,
  actorId,
  createHistorySql,
  diffRecords,
  labelText,
  OWNER_FIELD,
  insertFragment,
  sql,
  toStatement,
  type EntityDefinition,
  type Issue,
  type Result,
  isUuid,
} from "@crm/core";
import type { Database, Queryable } from "../db/database.ts";
import { sanitizeRichTextFields } from "./sanitize-rich-text.ts";
import { translateRecordError } from "../db/translate-record-error.ts";
import { writeHistory, type Actor, type HistoryEntry } from "../audit/record-history.ts";
import { AccessDenied, BadRequest, EntityNotFound, FieldsNotWritable, InvalidReference, PreconditionFailed, RecordInvalid, RecordNotFound } from "../errors.ts";
import { ownersFor, reachesOwner, readScope, visibleRecord, type Caller } from "./caller.ts";
import { deleteWithEffects, type DeleteContext } from "./delete-effects.ts";
import type { EntityRegistry, LiveEntity } from "./entity-registry.ts";
import type { RecordHooks } from "../plugins/record-hooks.ts";
import { deferTransaction, type DeferredTransaction } from "../plugins/defer-transaction.ts";
import { checkIdempotencyKey, claimIdempotencyKey, completeIdempotencyKey, releaseIdempotencyKey, requestHash, type StoredResponse } from "./idempotency.ts";

export type RecordJson = Record<string, unknown> & { id: string; version: number };

/**
 * One write's changes of one entity. `previous` is the deleted record; `before`, the record before an
 * update (for workflows' field-changed triggers; webhooks do not send it); `actor`, who wrote.
 */
export interface RecordEvent {
  entity: string;
  type: "created" | "updated" | "deleted";
  records: Array<{ id: string; record?: unknown; previous?: unknown; before?: unknown }>;
  actor?: Actor;
}

/** Where committed record changes are announced (webhooks, workflows); enqueued inside the write's transaction. */
export interface RecordEvents {
  enqueue(tx: Queryable, event: RecordEvent): Promise<void>;
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

/** The user ids among `ids` that are active users (a new owner must be one). */
async function activeUsers(q: Queryable, ids: readonly string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await q.query<{ id: string }>(`select id::text as id from users where id = any($1::uuid[]) and active`, [`{${ids.join(",")}}`]);
  return new Set(rows.map((row) => row.id));
}

/**
 * Record writes for every entity, all through the caller's permissions: the action and its scope
 * (records out of scope are missing), writable fields (403 naming each other field), and the owner
 * (set to someone else only with the transfer permission, and only to a user within the caller's
 * update scope: no write moves a record out of the caller's reach). Validated against the schema
 * derived from the live definition; transactional (links, history, events and idempotency records
 * commit or roll back with the write); database errors translated to problems that name the field.
 */
export function createRecordWrites(deps: { db: Database; registry: EntityRegistry; events?: RecordEvents | undefined; hooks?: RecordHooks | undefined }) {
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

  /** 403 unless the caller may do `action` on some records of the entity. */
  function allow(entity: EntityDefinition, caller: Caller, action: "create" | "update" | "delete"): void {
    if (caller.admin) return;
    const access = caller.access(entity);
    const allowed = action === "create" ? access.can.create : access.scopes[action] !== "none";
    if (!allowed) throw AccessDenied(`You may not ${action} ${entity.key} records.`);
  }

  /**
   * Issues for every field of `input` the caller may not write, and for an owner the caller may not
   * give (`currentOwner`: the record's owner before an update; undefined on create).
   */
  function forbiddenFields(entity: EntityDefinition, caller: Caller, input: unknown, prefix: string, currentOwner?: string | null): Issue[] {
    if (!input || typeof input !== "object" || Array.isArray(input)) return [];
    const issues: Issue[] = [];
    const values = input as Record<string, unknown>;
    if (!caller.admin) {
      const access = caller.access(entity);
      for (const field of entity.fields) {
        if (values[field.key] !== undefined && !access.writable.has(field.key)) {
          issues.push({ code: "FIELD_NOT_WRITABLE", pointer: `${prefix}/${field.key}`, message: `You may not write ${labelText(field.label, field.key)}.` });
        }
      }
    }
    const owner = values[OWNER_FIELD];
    if (owner === undefined || (typeof owner === "string" && !isUuid(owner)) || (owner !== null && typeof owner !== "string")) return issues; // the validator names a malformed owner
    const next = owner === null ? null : owner.toLowerCase();
    const unchanged = currentOwner === undefined ? next === caller.userId : next === currentOwner;
    if (unchanged || caller.admin) return issues;
    const pointer = `${prefix}/${OWNER_FIELD}`;
    if (!caller.access(entity).can.transfer) {
      issues.push({ code: "TRANSFER_NOT_ALLOWED", pointer, message: `You may not give ${entity.key} records to another owner.` });
      return issues;
    }
    const owners = ownersFor(caller, entity, "update");
    if (owners !== "all" && (next === null || !owners.includes(next))) {
      issues.push({ code: "OWNER_OUT_OF_SCOPE", pointer, message: "You may only give records to owners whose records you may update." });
    }
    return issues;
  }

  /** 422 unless every new owner in `records` is an active user. */
  async function checkOwnersExist(q: Queryable, records: ReadonlyArray<Record<string, unknown>>, prefixes: readonly string[]): Promise<void> {
    const wanted = [...new Set(records.map((r) => r[OWNER_FIELD]).filter((o): o is string => typeof o === "string"))];
    if (wanted.length === 0) return;
    const found = await activeUsers(q, wanted);
    const issues = records.flatMap((r, i): Issue[] =>
      typeof r[OWNER_FIELD] === "string" && !found.has(r[OWNER_FIELD] as string) ? [{ code: "UNKNOWN_OWNER", pointer: `${prefixes[i]}/${OWNER_FIELD}`, message: "The owner must be an active user." }] : [],
    );
    if (issues.length) throw InvalidReference("The owner is not an active user.", { issues });
  }

  function refuse(issues: Issue[]): void {
    if (issues.length) throw FieldsNotWritable("Some fields may not be written by you; nothing was written. See issues.", { issues });
  }

  function check(entity: LiveEntity, mode: "create" | "update", input: unknown, prefix: string): Result<Record<string, unknown>> {
    const result = compileRecordValidator(entity.definition, mode, entity.version)(input);
    if (!result.ok) return { ok: false, issues: withPrefix(result.issues, prefix) };
    // Rich text is stored sanitised, whoever writes it (API, import, plugin or workflow).
    const value = sanitizeRichTextFields(entity.definition, result.value);
    const owner = value[OWNER_FIELD];
    return { ok: true, value: typeof owner === "string" ? { ...value, [OWNER_FIELD]: owner.toLowerCase() } : value };
  }

  function validate(entity: LiveEntity, mode: "create" | "update", input: unknown, prefix: string): Record<string, unknown> {
    const result = check(entity, mode, input, prefix);
    if (!result.ok) throw RecordInvalid("The record has invalid fields; see issues.", { issues: result.issues });
    return result.value;
  }

  async function run<T>(entity: EntityDefinition, prefix: string, fn: (tx: Queryable) => Promise<T>, operation: "write" | "delete" = "write"): Promise<T> {
    try {
      const result = await db.transaction(fn);
      deps.events?.notify();
      deps.hooks?.notify();
      return result;
    } catch (error) {
      throw translateRecordError(error, entity, prefix, operation);
    }
  }

  function history(entity: EntityDefinition, caller: Caller, recordId: string, action: HistoryEntry["action"], before: RecordJson | null, after: RecordJson | null): HistoryEntry {
    return { entity, recordId, action, actor: caller.actor, requestId: caller.requestId ?? null, changes: diffRecords(entity, before, after) };
  }

  /** What `deleteWithEffects` needs: the transaction, every entity, and history entries in the caller's name. */
  function effects(tx: Queryable, caller: Caller): DeleteContext {
    return { tx, entities: deps.registry.definitions(), actor: caller.userId, entry: (entity, id, action, before, after) => history(entity, caller, id, action, before, after) };
  }

  async function readBack(tx: Queryable, entity: EntityDefinition, ids: string[]): Promise<Map<string, RecordJson>> {
    const statement = compileReadByIds(entity, ids);
    const rows = await tx.query<{ r: unknown }>(statement.text, statement.params);
    return new Map(rows.map((row) => parseRecordJson(row.r)).map((r) => [r.id, r]));
  }

  async function insert(tx: Queryable, entity: EntityDefinition, records: Array<Record<string, unknown> & { id: string }>, caller: Caller): Promise<RecordJson[]> {
    const { statement, returnsRecords } = compileInsert(entity, records, { actor: caller.userId, owner: caller.userId });
    const rows = await tx.query<{ r?: unknown; id?: string }>(statement.text, statement.params);
    let byId: Map<string, RecordJson>;
    if (returnsRecords) {
      byId = new Map(rows.map((row) => parseRecordJson(row.r)).map((r) => [r.id, r]));
    } else {
      for (const link of compileLinkWrites(entity, records)) await tx.query(link.text, link.params);
      byId = await readBack(tx, entity, records.map((r) => r.id));
    }
    const created = records.map((r) => byId.get(r.id)!);
    await writeHistory(tx, created.map((record) => history(entity, caller, record.id, "create", null, record)));
    await deps.events?.enqueue(tx, { entity: entity.key, type: "created", records: created.map((record) => ({ id: record.id, record })), actor: caller.actor });
    if (deps.hooks?.has(entity.key, "afterCreate")) await deps.hooks.after(tx, caller, "afterCreate", entity.key, created.map((record) => ({ id: record.id, values: record })));
    return created;
  }

  /**
   * Lock the record in the caller's update (or delete) scope and return it; or say why not: missing or
   * out of read scope (404), readable but out of the action's scope (403), changed since read (412).
   */
  async function lockForChange(tx: Queryable, entity: EntityDefinition, caller: Caller, action: "update" | "delete", id: string, expectedVersion: number | undefined, prefix: string): Promise<RecordJson> {
    const statement = compileReadByIds(entity, [id]);
    const [row] = await tx.query<{ r: unknown }>(`${statement.text} FOR UPDATE`, statement.params);
    const record = row ? parseRecordJson(row.r) : undefined;
    const reaches = (a: "read" | "update" | "delete") => record !== undefined && reachesOwner(caller, entity, a, (record[OWNER_FIELD] as string | null | undefined) ?? null);
    if (!record || !reaches("read")) {
      throw RecordNotFound(`There is no ${entity.key} record with id "${id}".`, { issues: prefix ? [{ code: "NOT_FOUND", pointer: prefix, message: "No such record." }] : [] });
    }
    if (!reaches(action)) {
      throw AccessDenied(`You may read this ${entity.key} record but not ${action} it.`, { issues: prefix ? [{ code: "NOT_ALLOWED", pointer: prefix, message: `You may not ${action} this record.` }] : [] });
    }
    if (expectedVersion !== undefined && record.version !== expectedVersion) {
      throw PreconditionFailed(`The record is now at version ${record.version}; reload it and apply your change again.`, {
        extra: { currentVersion: record.version },
        headers: { etag: etagOf(record) },
        issues: prefix ? [{ code: "STALE", pointer: prefix, message: `The record is now at version ${record.version}.` }] : [],
      });
    }
    return record;
  }

  async function updateOne(tx: Queryable, entity: EntityDefinition, caller: Caller, id: string, input: unknown, changes: Record<string, unknown>, expectedVersion: number | undefined, prefix: string): Promise<{ before: RecordJson; record: RecordJson }> {
    const before = await lockForChange(tx, entity, caller, "update", id, expectedVersion, prefix);
    if (deps.hooks?.has(entity.key, "beforeUpdate")) {
      // A plugin's changes pass the same checks as the caller's own.
      const [extra] = await deps.hooks.before(tx, caller, "beforeUpdate", entity.key, [{ id, values: changes, previous: before }], [prefix]);
      if (extra) {
        refuse(forbiddenFields(entity, caller, extra, prefix, null).filter((issue) => issue.code === "FIELD_NOT_WRITABLE"));
        input = { ...(input as Record<string, unknown>), ...extra };
        changes = validate(live(entity.key), "update", input, prefix);
      }
    }
    // The owner rules depend on the record's current owner, known only now.
    refuse(forbiddenFields(entity, caller, input, prefix, (before[OWNER_FIELD] as string | null | undefined) ?? null));
    if (changes[OWNER_FIELD] !== undefined && changes[OWNER_FIELD] !== before[OWNER_FIELD]) await checkOwnersExist(tx, [changes], [prefix]);
    const { statement, returnsRecords } = compileUpdate(entity, id, changes, { actor: caller.userId });
    const rows = await tx.query<{ r?: unknown; id?: string }>(statement.text, statement.params);
    let record: RecordJson;
    if (returnsRecords) {
      record = parseRecordJson(rows[0]!.r);
    } else {
      for (const link of compileLinkWrites(entity, [{ id, ...changes }])) await tx.query(link.text, link.params);
      record = (await readBack(tx, entity, [id])).get(id)!;
    }
    return { before, record };
  }

  return {
    /** Create one record (object body) or a batch (array body), all or nothing. */
    async create(key: string, body: unknown, caller: Caller, options: { idempotencyKey?: string | undefined } = {}): Promise<StoredResponse> {
      const entity = live(key);
      const definition = entity.definition;
      allow(definition, caller, "create");
      // Per caller: one user's key never replays another user's response.
      const idempotencyScope = `records:${key}:${caller.userId ?? actorId(caller.actor) ?? caller.actor.kind}`;
      const work = async (): Promise<StoredResponse> => {
        const batch = Array.isArray(body);
        const inputs = batch ? (body as unknown[]) : [body];
        if (batch && (inputs.length === 0 || inputs.length > MAX_BATCH)) {
          throw RecordInvalid(`A batch holds 1 to ${MAX_BATCH} records.`, { issues: [{ code: "BATCH_SIZE", pointer: "", message: `Send 1 to ${MAX_BATCH} records; got ${inputs.length}.` }] });
        }
        const prefixes = inputs.map((_, i) => (batch ? `/${i}` : ""));
        refuse(inputs.flatMap((input, i) => forbiddenFields(definition, caller, input, prefixes[i]!)));
        const issues: Issue[] = [];
        const records = inputs.map((input, i) => {
          const result = check(entity, "create", input, prefixes[i]!);
          if (!result.ok) issues.push(...result.issues);
          return result.ok ? { ...result.value, id: randomUUID() } : undefined;
        });
        if (issues.length) throw RecordInvalid("Some records have invalid fields; see issues.", { issues });
        let valid = records as Array<Record<string, unknown> & { id: string }>;
        const beforeHooks = deps.hooks?.has(key, "beforeCreate") === true;
        // A plugin's changes pass the same checks as the caller's own: field permissions, then the validator.
        // The hooks' record calls open the write's transaction; hooks that make none leave the fast path open.
        const applyBeforeHooks = async (deferred: DeferredTransaction) => {
          const changes = await deps.hooks!.before(() => deferred.tx(), caller, "beforeCreate", key, valid.map((r) => ({ id: r.id, values: r })), prefixes);
          if (changes.every((c) => c === undefined)) return;
          refuse(changes.flatMap((c, i) => (c ? forbiddenFields(definition, caller, c, prefixes[i]!) : [])));
          const problems: Issue[] = [];
          valid = valid.map((record, i) => {
            if (!changes[i]) return record;
            const result = check(entity, "create", { ...(inputs[i] as Record<string, unknown>), ...changes[i] }, prefixes[i]!);
            if (!result.ok) problems.push(...result.issues);
            return result.ok ? { ...result.value, id: record.id } : record;
          });
          if (problems.length) throw RecordInvalid("A plugin's changes left invalid fields; nothing was written. See issues.", { issues: problems });
          const moved = valid.filter((r) => r[OWNER_FIELD] !== undefined && r[OWNER_FIELD] !== caller.userId);
          if (moved.length) await checkOwnersExist(deferred.opened ? await deferred.tx() : db, valid, prefixes);
        };
        let deferred: DeferredTransaction | undefined;
        if (beforeHooks) {
          deferred = deferTransaction(db);
          try {
            await applyBeforeHooks(deferred);
          } catch (error) {
            await deferred.rollback();
            throw translateRecordError(error, definition, "");
          }
        }
        const given = valid.filter((r) => r[OWNER_FIELD] !== undefined && r[OWNER_FIELD] !== caller.userId);
        if (given.length) await checkOwnersExist(db, valid, prefixes);
        const shown = (record: RecordJson) => visibleRecord(record, definition, caller);
        const write = async (t: Queryable) => {
          const created = (await insert(t, definition, valid, caller)).map(shown);
          const response: StoredResponse = batch
            ? { status: 201, body: { items: created }, headers: {} }
            : { status: 201, body: created[0], headers: { etag: etagOf(created[0]!), location: `/api/records/${key}/${created[0]!.id}` } };
          if (options.idempotencyKey) await completeIdempotencyKey(t, idempotencyScope, options.idempotencyKey, response);
          return response;
        };
        // One record, no links, no idempotency record, no events to enqueue: the INSERT and its history
        // row are one statement, atomic on its own, so it runs without BEGIN/COMMIT round trips.
        const alone =
          !batch &&
          deferred?.opened !== true &&
          deps.hooks?.has(key, "afterCreate") !== true &&
          !options.idempotencyKey &&
          !definition.fields.some((f) => f.type === "relation" && f.relation === "manyToMany") &&
          deps.events?.mayEnqueue?.(key) === false &&
          !caller.policy?.readable(definition);
        if (alone) {
          try {
            const { fragment } = insertFragment(definition, valid, { actor: caller.userId, owner: caller.userId, textRecords: true });
            const history = createHistorySql(definition, caller.actor, { from: "ins", requestId: caller.requestId ?? null });
            const combined = toStatement(sql`WITH "ins" AS (${fragment}), "h" AS (${history}) SELECT "r", "v" FROM "ins"`);
            const [row] = await db.query<{ r: string; v: number }>(combined.text, combined.params);
            const id = valid[0]!.id;
            return { status: 201, body: undefined, json: row!.r, headers: { etag: etagOf({ version: Number(row!.v) }), location: `/api/records/${key}/${id}` } };
          } catch (error) {
            throw translateRecordError(error, definition, "");
          }
        }
        if (deferred?.opened) {
          try {
            const response = await write(await deferred.tx());
            await deferred.commit();
            deps.events?.notify();
            deps.hooks?.notify();
            return response;
          } catch (error) {
            await deferred.rollback();
            throw translateRecordError(error, definition, "");
          }
        }
        return run(definition, "", write);
      };
      if (!options.idempotencyKey) return work();
      checkIdempotencyKey(options.idempotencyKey);
      const scope = idempotencyScope;
      const replay = await claimIdempotencyKey(db, scope, options.idempotencyKey, requestHash(scope, body));
      if (replay) return { ...replay, headers: { ...replay.headers, "idempotent-replayed": "true" } };
      try {
        return await work();
      } catch (error) {
        await releaseIdempotencyKey(db, scope, options.idempotencyKey).catch(() => undefined);
        throw error;
      }
    },

    async update(key: string, rawId: string, body: unknown, caller: Caller, options: { ifMatch?: string | undefined } = {}): Promise<RecordJson> {
      const entity = live(key);
      const definition = entity.definition;
      allow(definition, caller, "update");
      const id = checkId(definition, rawId);
      const expectedVersion = parseIfMatch(options.ifMatch);
      refuse(forbiddenFields(definition, caller, body, "", null).filter((issue) => issue.code === "FIELD_NOT_WRITABLE"));
      const changes = validate(entity, "update", body, "");
      return run(definition, "", async (tx) => {
        const { before, record } = await updateOne(tx, definition, caller, id, body, changes, expectedVersion, "");
        await writeHistory(tx, [history(definition, caller, id, "update", before, record)]);
        await deps.events?.enqueue(tx, { entity: key, type: "updated", records: [{ id, record, before }], actor: caller.actor });
        if (deps.hooks?.has(key, "afterUpdate")) await deps.hooks.after(tx, caller, "afterUpdate", key, [{ id, values: record, previous: before }]);
        return visibleRecord(record, definition, caller);
      });
    },

    /** Update several records in one transaction: each item `{ id, version?, ...changes }`; any failure writes nothing. */
    async updateMany(key: string, body: unknown, caller: Caller): Promise<{ items: RecordJson[] }> {
      const entity = live(key);
      const definition = entity.definition;
      allow(definition, caller, "update");
      if (!Array.isArray(body) || body.length === 0 || body.length > MAX_BATCH) {
        throw RecordInvalid(`Send an array of 1 to ${MAX_BATCH} changes, each with the record's id.`, { issues: [{ code: "BATCH_SIZE", pointer: "", message: "Expected a non-empty array." }] });
      }
      const split = body.map((item: unknown) => {
        const { id, version, ...changes } = (item && typeof item === "object" && !Array.isArray(item) ? item : {}) as Record<string, unknown>;
        return { id, version, changes };
      });
      refuse(split.flatMap((item, i) => forbiddenFields(definition, caller, item.changes, `/${i}`, null).filter((issue) => issue.code === "FIELD_NOT_WRITABLE")));
      const issues: Issue[] = [];
      const items = split.map(({ id, version, changes }, i) => {
        if (!isUuid(id)) issues.push({ code: "REQUIRED", pointer: `/${i}/id`, message: "Each change needs the record's id (a UUID)." });
        if (version !== undefined && !(Number.isSafeInteger(version) && (version as number) >= 1)) issues.push({ code: "INVALID_TYPE", pointer: `/${i}/version`, message: "version must be a positive integer." });
        const result = check(entity, "update", changes, `/${i}`);
        if (!result.ok) issues.push(...result.issues);
        return result.ok ? { id: typeof id === "string" ? id.toLowerCase() : "", version: version as number | undefined, input: changes, changes: result.value } : undefined;
      });
      if (issues.length) throw RecordInvalid("Some changes are invalid; nothing was written. See issues.", { issues });
      const valid = items as Array<{ id: string; version: number | undefined; input: Record<string, unknown>; changes: Record<string, unknown> }>;
      return run(definition, "", async (tx) => {
        const updated: RecordJson[] = [];
        const previous: RecordJson[] = [];
        const entries: HistoryEntry[] = [];
        for (const [i, item] of valid.entries()) {
          try {
            const { before, record } = await updateOne(tx, definition, caller, item.id, item.input, item.changes, item.version, `/${i}`);
            updated.push(record);
            previous.push(before);
            entries.push(history(definition, caller, item.id, "update", before, record));
          } catch (error) {
            throw translateRecordError(error, definition, `/${i}`);
          }
        }
        await writeHistory(tx, entries);
        await deps.events?.enqueue(tx, { entity: key, type: "updated", records: updated.map((record, i) => ({ id: record.id, record, before: previous[i] })), actor: caller.actor });
        if (deps.hooks?.has(key, "afterUpdate")) await deps.hooks.after(tx, caller, "afterUpdate", key, updated.map((record, i) => ({ id: record.id, values: record, previous: previous[i] })));
        return { items: updated.map((record) => visibleRecord(record, definition, caller)) };
      });
    },

    async remove(key: string, rawId: string, caller: Caller, options: { ifMatch?: string | undefined } = {}): Promise<void> {
      const entity = live(key);
      const definition = entity.definition;
      allow(definition, caller, "delete");
      const id = checkId(definition, rawId);
      const expectedVersion = parseIfMatch(options.ifMatch);
      await run(
        definition,
        "",
        async (tx) => {
          const current = await lockForChange(tx, definition, caller, "delete", id, expectedVersion, "");
          if (deps.hooks?.has(key, "beforeDelete")) await deps.hooks.before(tx, caller, "beforeDelete", key, [{ id, previous: current }], [""]);
          const entries: HistoryEntry[] = [];
          const [previous] = await deleteWithEffects(effects(tx, caller), definition, [id], entries);
          await writeHistory(tx, entries);
          await deps.events?.enqueue(tx, { entity: key, type: "deleted", records: [{ id, previous }], actor: caller.actor });
          if (deps.hooks?.has(key, "afterDelete")) await deps.hooks.after(tx, caller, "afterDelete", key, [{ id, previous: previous as Record<string, unknown> | undefined }]);
        },
        "delete",
      );
    },

    /** Delete several records by id in one transaction; if any is missing (or out of scope), nothing is deleted. */
    async removeMany(key: string, body: unknown, caller: Caller): Promise<{ deleted: number }> {
      const entity = live(key);
      const definition = entity.definition;
      allow(definition, caller, "delete");
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
      const deleteOwners = ownersFor(caller, definition, "delete");
      return run(definition, "", async (tx) => {
        // Lock what the caller can see, then delete only if every record is in the delete scope.
        const lock = compileReadByIds(definition, unique, [], readScope(caller, definition));
        const visible = (await tx.query<{ r: unknown }>(`${lock.text} FOR UPDATE`, lock.params)).map((row) => parseRecordJson(row.r));
        const found = new Map(visible.map((r) => [r.id, r]));
        const missing = (ids as string[]).flatMap((id, i) => (found.has(id.toLowerCase()) ? [] : [{ code: "NOT_FOUND", pointer: `/ids/${i}`, message: "No such record." }]));
        if (missing.length) throw RecordNotFound(`${missing.length} of the records do not exist; nothing was deleted.`, { issues: missing });
        const denied = (ids as string[]).flatMap((id, i) => {
          const owner = found.get(id.toLowerCase())![OWNER_FIELD] as string | null;
          return deleteOwners === "all" || (owner !== null && deleteOwners.includes(owner)) ? [] : [{ code: "NOT_ALLOWED", pointer: `/ids/${i}`, message: "You may not delete this record." }];
        });
        if (denied.length) throw AccessDenied(`You may not delete ${denied.length} of the records; nothing was deleted.`, { issues: denied });
        if (deps.hooks?.has(key, "beforeDelete")) await deps.hooks.before(tx, caller, "beforeDelete", key, unique.map((id) => ({ id, previous: found.get(id) })), unique.map((id) => `/ids/${(ids as string[]).findIndex((given) => given.toLowerCase() === id)}`));
        const entries: HistoryEntry[] = [];
        const rows = await deleteWithEffects(effects(tx, caller), definition, unique, entries);
        await writeHistory(tx, entries);
        await deps.events?.enqueue(tx, { entity: key, type: "deleted", records: rows.map((previous) => ({ id: previous.id, previous })), actor: caller.actor });
        if (deps.hooks?.has(key, "afterDelete")) await deps.hooks.after(tx, caller, "afterDelete", key, rows.map((previous) => ({ id: previous.id as string, previous })));
        return { deleted: rows.length };
      }, "delete");
    },
  };
}

export type RecordWrites = ReturnType<typeof createRecordWrites>;
