import type { Queryable } from "../db/database.ts";

/** Runs deleted per transaction (with their step executions): a long backlog goes in short transactions. */
const BATCH = 500;
const DAY_MS = 86_400_000;

/**
 * Delete finished runs (succeeded, failed, cancelled) that finished more than `days` ago, with their
 * step executions, BATCH runs per transaction; runs still queued, running, retrying or waiting stay
 * whatever their age. Answers how many runs went.
 * @example await pruneWorkflowRuns(db, 90, new Date()) // 1200
 */
export async function pruneWorkflowRuns(db: { transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> }, days: number, now: Date, batch = BATCH): Promise<number> {
  const cutoff = new Date(now.getTime() - days * DAY_MS).toISOString();
  let total = 0;
  for (;;) {
    const gone = await db.transaction(async (tx) => {
      const runs = await tx.query<{ id: string }>(
        `delete from workflow_runs where id in (select id from workflow_runs where finished_at < $1::timestamptz and status in ('succeeded', 'failed', 'cancelled') order by finished_at limit $2) returning id::text as id`,
        [cutoff, batch],
      );
      if (runs.length) await tx.query(`delete from workflow_step_executions where run_id = any($1::uuid[])`, [`{${runs.map((r) => r.id).join(",")}}`]);
      return runs.length;
    });
    total += gone;
    if (gone < batch) return total;
  }
}
