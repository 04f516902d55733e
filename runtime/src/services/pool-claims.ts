import { compileReadByIds, compileUpdate, diffRecords, isUuid, OWNER_FIELD, tableRef, type EntityDefinition, type EntityPool } from "@crm/core";
import type { Database, Queryable } from "../db/database.ts";
import { translateRecordError } from "../db/translate-record-error.ts";
import { writeHistory } from "../audit/record-history.ts";
import { AccessDenied, ClaimQuotaReached, EntityNotFound, NoPool, OwnedLimitReached, RecordInPool, RecordNotFound, RecordOwned } from "../errors.ts";
import type { RecordHooks } from "../plugins/record-hooks.ts";
import { ownersFor, reachesOwner, visibleRecord, type Caller } from "./caller.ts";
import type { EntityRegistry } from "./entity-registry.ts";
import { parseRecordJson, type RecordEvents, type RecordJson } from "./record-writes.ts";

/**
 * The public pool of an entity with a `pool` definition: records nobody owns, which users whose role
 * grants `claim` see and claim. A claim makes the caller the owner, at most `claimsPerDay` per user per
 * day (in the pool's time zone; 429 with Retry-After until the next day) and only while the caller
 * owns fewer than `maxOwned` records of the entity (409). A record goes back to the pool when its
 * owner releases it, or when someone who may transfer it within their update scope does (a manager,
 * an admin, a workflow). Both are ordinary updates of `ownerId` for history, webhooks and after-hooks
 * (before-hooks do not run: no field but the owner changes). Claims of one user are serialised, so
 * concurrent claims never exceed the quota or the cap; two users claiming one record: one wins, the
 * other gets 409.
 */
export function createPoolClaims(deps: { db: Database; registry: EntityRegistry; events?: RecordEvents | undefined; hooks?: RecordHooks | undefined }) {
  function pooled(key: string): { definition: EntityDefinition; pool: EntityPool } {
    const entity = deps.registry.find(key);
    if (!entity) throw EntityNotFound(`There is no entity with key "${key}".`);
    const pool = entity.definition.pool;
    if (!pool) throw NoPool(`${key} records have no pool to claim from or return to.`);
    return { definition: entity.definition, pool };
  }

  async function lock(tx: Queryable, definition: EntityDefinition, id: string): Promise<RecordJson | undefined> {
    const statement = compileReadByIds(definition, [id]);
    const [row] = await tx.query<{ r: unknown }>(`${statement.text} FOR UPDATE`, statement.params);
    return row ? parseRecordJson(row.r) : undefined;
  }

  /** Set the owner and record it like any update: history, webhooks, after-hooks, in the transaction. */
  async function setOwner(tx: Queryable, definition: EntityDefinition, caller: Caller, before: RecordJson, owner: string | null): Promise<RecordJson> {
    const { statement } = compileUpdate(definition, before.id, { [OWNER_FIELD]: owner }, { actor: caller.userId });
    const [row] = await tx.query<{ r: unknown }>(statement.text, statement.params);
    const record = parseRecordJson(row!.r);
    await writeHistory(tx, [{ entity: definition, recordId: record.id, action: "update", actor: caller.actor, requestId: caller.requestId ?? null, changes: diffRecords(definition, before, record) }]);
    await deps.events?.enqueue(tx, { entity: definition.key, type: "updated", records: [{ id: record.id, record }] });
    if (deps.hooks?.has(definition.key, "afterUpdate")) await deps.hooks.after(tx, caller, "afterUpdate", definition.key, [{ id: record.id, values: record, previous: before }]);
    return record;
  }

  async function transaction<T>(definition: EntityDefinition, fn: (tx: Queryable) => Promise<T>): Promise<T> {
    try {
      const result = await deps.db.transaction(fn);
      deps.events?.notify();
      deps.hooks?.notify();
      return result;
    } catch (error) {
      throw translateRecordError(error, definition, "");
    }
  }

  const missing = (key: string, id: string) => RecordNotFound(`There is no ${key} record with id "${id.slice(0, 64)}".`);

  return {
    /** Take a record from the pool: the caller becomes its owner. */
    async claim(key: string, rawId: string, caller: Caller): Promise<RecordJson> {
      const { definition, pool } = pooled(key);
      if (!isUuid(rawId)) throw missing(key, rawId);
      const id = rawId.toLowerCase();
      const userId = caller.userId;
      if (!userId) throw AccessDenied("Only a user can claim records; a role token has no one to own them.");
      if (!caller.admin && !caller.access(definition).can.claim) throw AccessDenied(`You may not claim ${key} records.`);
      return transaction(definition, async (tx) => {
        // One user's claims of one entity queue up here, so the counts below cannot race.
        await tx.query(`select pg_advisory_xact_lock(hashtext($1))`, [`pool:${definition.id}:${userId}`]);
        const before = await lock(tx, definition, id);
        if (!before || !reachesOwner(caller, definition, "read", before[OWNER_FIELD] as string | null)) throw missing(key, id);
        const owner = before[OWNER_FIELD] as string | null;
        if (owner !== null) throw RecordOwned(owner === userId ? "You already own this record." : "Someone claimed this record first; it is no longer in the pool.");
        if (pool.maxOwned !== undefined) {
          const [held] = await tx.query<{ n: number }>(`select count(*)::int as n from ${tableRef(definition)} where "ownerId" = $1::uuid`, [userId]);
          if (held!.n >= pool.maxOwned) throw OwnedLimitReached(`You own ${held!.n} ${key} records, the most the pool allows (${pool.maxOwned}); return some to the pool first.`, { extra: { owned: held!.n, maxOwned: pool.maxOwned } });
        }
        if (pool.claimsPerDay !== undefined) {
          const zone = pool.timeZone ?? "UTC";
          const [today] = await tx.query<{ n: number; wait: number }>(
            `with day as (select date_trunc('day', now() at time zone $3) as start)
             select (select count(*)::int from pool_claims c, day where c.user_id = $1::uuid and c.entity_id = $2 and c.claimed_at >= day.start at time zone $3) as n,
                    ceil(extract(epoch from ((select start from day) + interval '1 day') at time zone $3 - now()))::int as wait`,
            [userId, definition.id, zone],
          );
          if (today!.n >= pool.claimsPerDay) {
            throw ClaimQuotaReached(`You have claimed ${today!.n} ${key} records today, the daily quota (${pool.claimsPerDay}); claim more tomorrow (${zone}).`, {
              extra: { claimedToday: today!.n, claimsPerDay: pool.claimsPerDay },
              headers: { "retry-after": String(Math.max(1, today!.wait)) },
            });
          }
        }
        await tx.query(`insert into pool_claims (user_id, entity_id, record_id) values ($1::uuid, $2, $3::uuid)`, [userId, definition.id, id]);
        return visibleRecord(await setOwner(tx, definition, caller, before, userId), definition, caller);
      });
    },

    /** Put a record back into the pool: by its owner (who may claim), or by someone who may transfer it within their update scope. */
    async release(key: string, rawId: string, caller: Caller): Promise<RecordJson> {
      const { definition } = pooled(key);
      if (!isUuid(rawId)) throw missing(key, rawId);
      const id = rawId.toLowerCase();
      return transaction(definition, async (tx) => {
        const before = await lock(tx, definition, id);
        if (!before || !reachesOwner(caller, definition, "read", before[OWNER_FIELD] as string | null)) throw missing(key, id);
        const owner = before[OWNER_FIELD] as string | null;
        if (owner === null) throw RecordInPool("The record is already in the pool.");
        const access = caller.access(definition);
        const updateOwners = ownersFor(caller, definition, "update");
        const ownRelease = owner === caller.userId && (caller.admin || access.can.claim || access.can.transfer);
        const transfer = caller.admin || (access.can.transfer && (updateOwners === "all" || updateOwners.includes(owner)));
        if (!ownRelease && !transfer) throw AccessDenied(`Only the record's owner, or someone who may transfer it, can return it to the pool.`);
        return visibleRecord(await setOwner(tx, definition, caller, before, null), definition, caller);
      });
    },
  };
}

export type PoolClaims = ReturnType<typeof createPoolClaims>;
