/**
 * The plugin author's view of the platform: handler inputs and results, the `crm` host API, and
 * record types. Entity record types come from `crm-plugin types` (an `Entities` map); without them
 * every record is `AnyRecord`. The shapes here are the contract with the runtime (see README
 * "Handler inputs and results").
 */

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/** Columns every record has. */
export interface SystemFields {
  id: string;
  createdAt: string;
  updatedAt: string;
  createdBy: string | null;
  updatedBy: string | null;
  version: number;
  ownerId: string | null;
}

/** A currency field's value. */
export interface Money {
  amount: number;
  currency: string;
}

/** A record of an entity the generated types do not describe. */
export type AnyRecord = { [field: string]: any };

/** Entity key → record fields (without system fields); `crm-plugin types` generates one. */
export type EntityMap = object;
export type AnyEntities = { [entity: string]: AnyRecord };

/** A stored record: the entity's fields plus the system fields. */
export type StoredRecord<R> = R & SystemFields;

/**
 * A before-hook's refusal: nothing is written and the caller gets 422 `PLUGIN_REJECTED` naming the
 * plugin, with one issue per field (`/field`) or, without fields, one for the record.
 */
export interface Rejection {
  reject: string | { message: string; fields?: { [field: string]: string } };
}

/** A before-hook may leave the write alone (`undefined`), change it, or reject it. */
export type BeforeResult<R> = void | undefined | { changes?: Partial<R> } | Rejection;

/** What every hook input carries besides the records. */
interface HookBase<H extends string, K extends string> {
  hook: H;
  /** The entity key. */
  entity: K;
  /** The acting user (null for role tokens). */
  userId: string | null;
}

/* Each input below is a union with one member per entity, discriminated by `entity`. */
export type BeforeCreateInput<E extends EntityMap = AnyEntities> = {
  /** `record` and `changes`: the values to insert. */
  [K in keyof E & string]: HookBase<"beforeCreate", K> & { id: string | null; record: Partial<E[K]>; changes: Partial<E[K]>; previous: null };
}[keyof E & string];
export type BeforeUpdateInput<E extends EntityMap = AnyEntities> = {
  /** `previous`: the stored record; `changes`: the update; `record`: `previous` with `changes` applied. */
  [K in keyof E & string]: HookBase<"beforeUpdate", K> & { id: string; record: StoredRecord<E[K]>; changes: Partial<E[K]>; previous: StoredRecord<E[K]> };
}[keyof E & string];
export type BeforeDeleteInput<E extends EntityMap = AnyEntities> = {
  /** `record` and `previous`: the record being deleted. */
  [K in keyof E & string]: HookBase<"beforeDelete", K> & { id: string; record: StoredRecord<E[K]>; previous: StoredRecord<E[K]> };
}[keyof E & string];
export type AfterInput<E extends EntityMap = AnyEntities> = {
  /** `record`: as committed (null after a delete); `previous`: before the write (null after a create). */
  [K in keyof E & string]: HookBase<"afterCreate" | "afterUpdate" | "afterDelete", K> & { id: string; record: StoredRecord<E[K]> | null; previous: StoredRecord<E[K]> | null };
}[keyof E & string];

export type ActionInput<E extends EntityMap = AnyEntities> = {
  [K in keyof E & string]: { action: string; entity: K; userId: string | null; records: Array<StoredRecord<E[K]>> };
}[keyof E & string];
export interface ActionResult {
  message?: string;
  /** Field changes per selected record id; the host writes them as the acting user. */
  changes?: { [id: string]: { [field: string]: JsonValue } };
}

export interface ScheduleInput {
  /** The schedule's name in plugin.json. */
  schedule: string;
  userId: string | null;
  /** When the job ran, ISO 8601 UTC. */
  scheduledAt: string;
}

/**
 * `crm.records.find` query: the REST list syntax (README "Query syntax"), as values instead of a
 * query string. Several filters are ANDed. A page holds at most 200 records (`limit` 1..200; a
 * larger one, or none, gets 200 or what the rows-read budget leaves); the next page is the same
 * query with `cursor: page.nextCursor` (or use `findAll`).
 */
export interface FindQuery {
  filter?: string | string[];
  sort?: string;
  limit?: number;
  /** `nextCursor` of the previous page of this query. */
  cursor?: string;
  /** Comma-separated field keys (system fields always come too): `"account,amount"`. */
  fields?: string;
  q?: string;
}

/** A page of `crm.records.find`: the records, and the cursor of the next page (null at the end). */
export type FoundPage<T> = T[] & { nextCursor: string | null };

/* The sandbox's own shapes for http.fetch (type-only: nothing of the sandbox is bundled). */
import type { FetchInit, FetchResponse } from "@crm/plugin-sandbox";
export type { FetchInit, FetchResponse };

/** The host API inside the sandbox: every call is checked against the manifest and the acting user. */
export interface Crm<E extends EntityMap = AnyEntities, S = { [key: string]: JsonValue }> {
  records: {
    /** One page: an array of records that also carries `nextCursor` (null on the last page). */
    find<K extends keyof E & string>(entity: K, query?: FindQuery): Promise<FoundPage<StoredRecord<E[K]>>>;
    get<K extends keyof E & string>(entity: K, id: string): Promise<StoredRecord<E[K]> | null>;
    create<K extends keyof E & string>(entity: K, values: Partial<E[K]>): Promise<StoredRecord<E[K]>>;
    update<K extends keyof E & string>(entity: K, id: string, changes: Partial<E[K]>): Promise<StoredRecord<E[K]>>;
    delete<K extends keyof E & string>(entity: K, id: string): Promise<void>;
  };
  log: {
    debug(message: string, data?: JsonValue): Promise<void>;
    info(message: string, data?: JsonValue): Promise<void>;
    warn(message: string, data?: JsonValue): Promise<void>;
    error(message: string, data?: JsonValue): Promise<void>;
  };
  /** The plugin's settings as configured by an administrator (validated against plugin.json). */
  settings(): Promise<S>;
  http: { fetch(url: string, init?: FetchInit): Promise<FetchResponse> };
  /** Epoch milliseconds from the host's clock (also `Date.now()`). */
  now(): number;
  /** Seeded per invocation (also `Math.random()`). */
  random(): number;
}

type Handler<I, O, E extends EntityMap, S> = (input: I, crm: Crm<E, S>) => O | Promise<O>;

export interface PluginHooks<E extends EntityMap = AnyEntities, S = { [key: string]: JsonValue }> {
  beforeCreate?: Handler<BeforeCreateInput<E>, BeforeResult<any>, E, S>;
  beforeUpdate?: Handler<BeforeUpdateInput<E>, BeforeResult<any>, E, S>;
  beforeDelete?: Handler<BeforeDeleteInput<E>, void | undefined | Rejection, E, S>;
  afterCreate?: Handler<AfterInput<E>, unknown, E, S>;
  afterUpdate?: Handler<AfterInput<E>, unknown, E, S>;
  afterDelete?: Handler<AfterInput<E>, unknown, E, S>;
}

/** What a plugin's `src/index.ts` exports as default. */
export interface PluginDefinition<E extends EntityMap = AnyEntities, S = { [key: string]: JsonValue }> {
  hooks?: PluginHooks<E, S>;
  actions?: { [name: string]: Handler<ActionInput<E>, ActionResult | void | undefined, E, S> };
  schedules?: { [name: string]: Handler<ScheduleInput, unknown, E, S> };
}
