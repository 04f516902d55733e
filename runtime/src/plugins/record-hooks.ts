import type { HookName, Issue } from "@crm/core";
import type { JsonObject, JsonValue } from "@crm/plugin-sandbox";
import type { Queryable } from "../db/database.ts";
import type { Caller } from "../services/caller.ts";
import type { Plugins } from "./create-plugins.ts";
import { PluginRejected } from "./plugin-errors.ts";
import { pluginFailure } from "./plugin-failure.ts";
import type { PluginInvocationResult } from "./plugin-host.ts";

export type BeforeHook = Extract<HookName, `before${string}`>;
export type AfterHook = Extract<HookName, `after${string}`>;

/** One record a hook sees: the values written (create/update) and the record before (update/delete). */
export interface HookRecord {
  id: string;
  values?: Record<string, unknown> | undefined;
  previous?: Record<string, unknown> | undefined;
}

/** What record writes ask of plugins; `has` is a single map lookup so writes without hooks pay nothing. */
export interface RecordHooks {
  has(entity: string, hook: HookName): boolean;
  /** Run the before-hooks inside the write's transaction; answers each record's changes (merged). */
  before(tx: Queryable | (() => Promise<Queryable>), caller: Caller, hook: BeforeHook, entity: string, records: HookRecord[], prefixes: string[]): Promise<Array<Record<string, unknown> | undefined>>;
  /** Enqueue the after-hooks in the write's transaction; delivered after commit. */
  after(tx: Queryable, caller: Caller, hook: AfterHook, entity: string, records: HookRecord[]): Promise<void>;
  /** Wake the delivery of after-hooks (after a commit). */
  notify(): void;
}

interface Rejection {
  message?: unknown;
  fields?: unknown;
}

/** A before-hook's result turned into changes, or the problem that stops the write. */
function readOutcome(pluginId: string, result: PluginInvocationResult, prefix: string): Record<string, unknown> | undefined {
  if (result.outcome === "disabled") return undefined;
  if (result.outcome !== "ok") throw pluginFailure(pluginId, result);
  const value = result.value as { changes?: unknown; reject?: unknown } | null | undefined;
  if (value === null || typeof value !== "object" || Array.isArray(value)) return undefined;
  if (value.reject !== undefined && value.reject !== null && value.reject !== false) {
    const reject = (typeof value.reject === "string" ? { message: value.reject } : value.reject) as Rejection;
    const message = typeof reject.message === "string" ? reject.message : "The change was refused.";
    const fields = reject.fields && typeof reject.fields === "object" ? Object.entries(reject.fields as Record<string, unknown>) : [];
    const issues: Issue[] = fields.map(([field, text]) => ({ code: "PLUGIN_REJECTED", pointer: `${prefix}/${field}`, message: String(text) }));
    if (issues.length === 0) issues.push({ code: "PLUGIN_REJECTED", pointer: prefix, message });
    throw PluginRejected(`Plugin "${pluginId}" refused the change: ${message}`, { issues, extra: { pluginId } });
  }
  if (value.changes && typeof value.changes === "object" && !Array.isArray(value.changes)) return value.changes as Record<string, unknown>;
  return undefined;
}

/** Record hooks backed by the installed plugins and a table-backed outbox for after-hooks. */
export function createRecordHooks(plugins: Plugins, outbox: { wake(): void }): RecordHooks {
  // Set when an after-hook was enqueued: a commit wakes the outbox only then, never for every write.
  let enqueued = false;
  const others = (caller: Caller, ids: readonly string[]) => (caller.actor.kind === "plugin" ? ids.filter((id) => id !== (caller.actor as { pluginId: string }).pluginId) : ids);
  return {
    has(entity, hook) {
      return plugins.hooked(hook, entity) !== undefined;
    },
    async before(tx, caller, hook, entity, records, prefixes) {
      const changes: Array<Record<string, unknown> | undefined> = records.map(() => undefined);
      // A plugin's own writes do not run its hooks again (no loops).
      for (const pluginId of others(caller, plugins.hooked(hook, entity) ?? [])) {
        for (const [i, record] of records.entries()) {
          const values = { ...record.values, ...changes[i] };
          const input = { hook, entity, userId: caller.userId, id: record.id, record: (record.values ? { ...record.previous, ...values } : (record.previous ?? null)) as JsonValue, previous: (record.previous ?? null) as JsonValue, changes: (record.values ? values : null) as JsonValue };
          const result = await plugins.run(pluginId, { caller, call: { kind: "hook", name: hook, input: input as JsonObject }, entity, recordIds: [record.id], tx });
          const changed = readOutcome(pluginId, result, prefixes[i] ?? "");
          if (changed) changes[i] = { ...changes[i], ...changed };
        }
      }
      return changes;
    },
    async after(tx, caller, hook, entity, records) {
      const ids = others(caller, plugins.hooked(hook, entity) ?? []);
      if (ids.length === 0 || records.length === 0) return;
      const params: unknown[] = [];
      const rows: string[] = [];
      const roleIds = caller.subject.roles.map((role) => role.id);
      for (const pluginId of ids) {
        for (const record of records) {
          const input = { hook, entity, userId: caller.userId, id: record.id, record: record.values ?? null, previous: record.previous ?? null };
          params.push(pluginId, hook, entity, caller.userId, JSON.stringify({ input, roleIds }));
          const n = params.length - 5;
          rows.push(`($${n + 1}, $${n + 2}, $${n + 3}, $${n + 4}::uuid, $${n + 5}::jsonb)`);
        }
      }
      await tx.query(`insert into plugin_outbox (plugin_id, hook, entity, user_id, input) values ${rows.join(", ")}`, params);
      enqueued = true;
    },
    notify() {
      if (!enqueued) return;
      enqueued = false;
      outbox.wake();
    },
  };
}
