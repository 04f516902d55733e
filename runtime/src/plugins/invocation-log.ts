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

/**
 * The invocation log, written in the background: an invocation may run inside a write's transaction
 * (on PGlite the only connection there is), and its row must stay even when that write rolls back.
 */
export function createInvocationLog(db: Database, logger: Logger) {
  let queue: InvocationEntry[] = [];
  let flushing: Promise<void> | undefined;

  async function flush(): Promise<void> {
    while (queue.length > 0) {
      const batch = queue;
      queue = [];
      const params: unknown[] = [];
      const values = batch.map((e) => {
        const r = e.result;
        params.push(r.pluginId, r.version, e.kind, e.name, e.entity, JSON.stringify(e.recordIds), e.userId, r.outcome, r.error ? JSON.stringify({ ...r.error, ...(r.budget ? { budget: r.budget } : {}), ...(r.limit ? { limit: r.limit } : {}) }) : null, r.durationMs, r.cpuMs, JSON.stringify(r.usage), JSON.stringify(e.logs));
        const n = params.length - 13;
        return `($${n + 1}, $${n + 2}, $${n + 3}, $${n + 4}, $${n + 5}, $${n + 6}::jsonb, $${n + 7}::uuid, $${n + 8}, $${n + 9}::jsonb, $${n + 10}, $${n + 11}, $${n + 12}::jsonb, $${n + 13}::jsonb)`;
      });
      await db
        .query(`insert into plugin_invocations (plugin_id, version, kind, name, entity, record_ids, user_id, outcome, error, duration_ms, cpu_ms, usage, logs) values ${values.join(", ")}`, params)
        .catch((error: unknown) => logger.error({ err: error }, "recording plugin invocations failed"));
    }
  }

  const kick = (): void => {
    flushing ??= flush().finally(() => {
      flushing = undefined;
      if (queue.length > 0) kick();
    });
  };

  return {
    record(entry: InvocationEntry): void {
      queue.push(entry);
      kick();
    },
    /** Resolves once everything recorded so far is written. */
    async idle(): Promise<void> {
      while (flushing) await flushing;
    },
  };
}

export type InvocationLog = ReturnType<typeof createInvocationLog>;
