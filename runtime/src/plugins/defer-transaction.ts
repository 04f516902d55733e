import type { Database, Queryable } from "../db/database.ts";

/** A transaction opened on first use: work that may never touch the database opens none. */
export interface DeferredTransaction {
  /** The transaction, opened by the first call. */
  tx(): Promise<Queryable>;
  readonly opened: boolean;
  /** Commit, if opened; rejects with the commit's error. */
  commit(): Promise<void>;
  /** Roll back, if opened; never rejects. */
  rollback(): Promise<void>;
}

const ROLLBACK = Symbol("rollback");

/**
 * Defer `db.transaction` until something asks for it: a before-hook that makes no record call then
 * costs its write no transaction, so the write keeps its single-statement fast path.
 * @example
 * const deferred = deferTransaction(db);
 * await runHooks(() => deferred.tx());
 * if (deferred.opened) { await insert(await deferred.tx()); await deferred.commit(); } else await insertAlone();
 */
export function deferTransaction(db: Database): DeferredTransaction {
  let opened: Promise<Queryable> | undefined;
  let settle: ((commit: boolean) => void) | undefined;
  let finished: Promise<void> | undefined;
  return {
    get opened() {
      return opened !== undefined;
    },
    tx() {
      opened ??= new Promise<Queryable>((resolve, reject) => {
        finished = db
          .transaction(async (tx) => {
            const decided = new Promise<boolean>((r) => (settle = r));
            resolve(tx);
            if (!(await decided)) throw ROLLBACK;
          })
          .catch((error: unknown) => {
            reject(error);
            if (error !== ROLLBACK) throw error;
          });
        finished.catch(() => undefined);
      });
      return opened;
    },
    async commit() {
      if (!opened) return;
      await opened;
      settle?.(true);
      await finished;
    },
    async rollback() {
      if (!opened) return;
      const started = await opened.then(() => true, () => false);
      if (!started) return;
      settle?.(false);
      await finished?.catch(() => undefined);
    },
  };
}
