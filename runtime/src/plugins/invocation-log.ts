import type { Database } from "../db/database.ts";
import type { Logger } from "../logger.ts";
import type { PluginInvocationResult } from "./plugin-host.ts";

export interface InvocationEntry {
  result: PluginInvocationResult;
  kind: string;
  name: string;
  entity: string | null;
  recordIds: string[];
  userId: string | null;
  logs: Array<{ level: string; message: string; data: unknown }>;
}

/** How long an entry may wait for others to share its INSERT; under load one statement then carries many rows. */
const GATHER_MS = 25;
/** Rows of one INSERT. */
const MAX_BATCH = 500;

const INSERT = `insert into plugin_invocations (plugin_id, version, kind, name, entity, record_ids, user_id, outcome, error, duration_ms, cpu_ms, usage, logs)
  select plugin_id, version, kind, name, entity, record_ids, user_id, outcome, error, duration_ms, cpu_ms, usage, logs
  from jsonb_to_recordset($1::jsonb) as r(plugin_id text, version text, kind text, name text, entity text, record_ids jsonb, user_id uuid, outcome text, error jsonb, duration_ms real, cpu_ms real, usage jsonb, logs jsonb)`;

/**
 * The invocation log, written in the background: an invocation may run inside a write's transaction
 * (on PGlite the only connection there is), and its row must stay even when that write rolls back.
 * Entries are gathered for a few milliseconds, so a busy hooked entity costs one INSERT per batch
 * of invocations rather than one per write.
 */
export function createInvocationLog(db: Database, logger: Logger) {
  let queue: InvocationEntry[] = [];
  let flushing: Promise<void> | undefined;
  let gathering: NodeJS.Timeout | undefined;

  async function flush(): Promise<void> {
    while (queue.length > 0) {
      const batch = queue.slice(0, MAX_BATCH);
      queue = queue.slice(MAX_BATCH);
      const rows = batch.map((e) => {
        const r = e.result;
        const error = r.error ? { ...r.error, ...(r.budget ? { budget: r.budget } : {}), ...(r.limit ? { limit: r.limit } : {}) } : null;
        return { plugin_id: r.pluginId, version: r.version, kind: e.kind, name: e.name, entity: e.entity, record_ids: e.recordIds, user_id: e.userId, outcome: r.outcome, error, duration_ms: r.durationMs, cpu_ms: r.cpuMs, usage: r.usage, logs: e.logs };
      });
      // One statement text whatever the batch size: prepared once per connection, not once per size.
      await db
        .query(INSERT, [JSON.stringify(rows)])
        .catch((error: unknown) => logger.error({ err: error }, "recording plugin invocations failed"));
    }
  }

  const kick = (): void => {
    clearTimeout(gathering);
    gathering = undefined;
    flushing ??= flush().finally(() => {
      flushing = undefined;
      if (queue.length > 0) gather();
    });
  };
  const gather = (): void => {
    if (queue.length >= MAX_BATCH) kick();
    else if (gathering === undefined && flushing === undefined) gathering = setTimeout(kick, GATHER_MS);
  };

  return {
    record(entry: InvocationEntry): void {
      queue.push(entry);
      gather();
    },
    /** Resolves once everything recorded so far is written. */
    async idle(): Promise<void> {
      if (queue.length > 0 && flushing === undefined) kick();
      while (flushing) await flushing;
    },
  };
}

export type InvocationLog = ReturnType<typeof createInvocationLog>;
