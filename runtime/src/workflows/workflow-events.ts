import type { Queryable } from "../db/database.ts";
import type { RecordEvents, RecordEvent } from "../services/record-writes.ts";

/**
 * Record changes into `workflow_outbox`, inside the write's transaction: a rolled-back write leaves
 * no row (starts nothing), a committed one always leaves its rows for the dispatcher. Only entities
 * some enabled workflow triggers on are captured (`entities`, kept current by the store's changes).
 */
export function createWorkflowEvents(deps: { entities: () => ReadonlySet<string>; wake: () => void }): RecordEvents {
  let enqueued = false;
  return {
    mayEnqueue: (entity) => deps.entities().has(entity),
    async enqueue(tx: Queryable, event: RecordEvent) {
      if (!deps.entities().has(event.entity) || event.records.length === 0) return;
      const runId = event.actor?.kind === "workflow" ? event.actor.runId : null;
      const params: unknown[] = [];
      const rows = event.records.map((r) => {
        params.push(event.entity, event.type, r.id, r.record === undefined ? null : JSON.stringify(r.record), (r.before ?? r.previous) === undefined ? null : JSON.stringify(r.before ?? r.previous), runId);
        const n = params.length - 6;
        return `($${n + 1}, $${n + 2}, $${n + 3}::uuid, $${n + 4}::jsonb, $${n + 5}::jsonb, $${n + 6}::uuid)`;
      });
      await tx.query(`insert into workflow_outbox (entity, event, record_id, record, previous, caused_by_run) values ${rows.join(", ")}`, params);
      enqueued = true;
    },
    notify() {
      if (!enqueued) return;
      enqueued = false;
      deps.wake();
    },
  };
}

/** Several event sinks as one: each write's events reach all of them, in its transaction. */
export function fanOutEvents(sinks: ReadonlyArray<RecordEvents | undefined>): RecordEvents {
  const present = sinks.filter((s): s is RecordEvents => s !== undefined);
  return {
    mayEnqueue: (entity) => present.some((s) => s.mayEnqueue?.(entity) !== false),
    async enqueue(tx, event) {
      for (const sink of present) await sink.enqueue(tx, event);
    },
    notify() {
      for (const sink of present) sink.notify();
    },
  };
}
