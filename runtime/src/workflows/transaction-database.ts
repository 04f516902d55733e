import type { Database, Queryable } from "../db/database.ts";

/**
 * A `Database` whose statements and "transactions" all run inside one open transaction: record
 * services built on it write as part of a workflow step's transaction, so the step's effects, its
 * execution record and the run's new position commit together or not at all.
 * @example const writes = createRecordWrites({ db: transactionDatabase(db, tx), registry, events });
 */
export function transactionDatabase(db: Database, tx: Queryable): Database {
  return {
    kind: db.kind,
    orm: tx.orm,
    query: (text, params) => tx.query(text, params),
    transaction: (fn) => fn(tx),
    pool: () => db.pool(),
    listen: async () => {},
    close: async () => {},
  };
}
