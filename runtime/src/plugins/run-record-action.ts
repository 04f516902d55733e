import { isUuid, resolveBudgets, type Issue } from "@crm/core";
import type { JsonObject } from "@crm/plugin-sandbox";
import { BadRequest } from "../errors.ts";
import type { Queryable } from "../db/database.ts";
import type { Caller } from "../services/caller.ts";
import type { RecordReads } from "../services/record-reads.ts";
import type { RecordWrites } from "../services/record-writes.ts";
import type { Plugins } from "./create-plugins.ts";
import { PluginActionNotFound, PluginFailed, PluginUnavailable } from "./plugin-errors.ts";
import { pluginFailure } from "./plugin-failure.ts";

const MAX_SELECTION = 100;

export interface RecordActionInput {
  entity: string;
  pluginId: string;
  action: string;
  ids: unknown;
  selection: "one" | "many";
  caller: Caller;
  /**
   * A workflow step's open transaction: the action's host API calls run in savepoints of it (on
   * PGlite's one connection they must not wait for the handle the step holds), and `reads`/`writes`
   * are bound to it too. The changes then keep the caller's actor (the run), so history names the run
   * and the loop guard sees its writes.
   */
  within?: Queryable | undefined;
}

/**
 * Run a plugin's record action on records the caller can read; the changes it answers are written
 * through the record services as the caller, acting as the plugin (or, `within` a workflow step, as the run).
 */
export async function runRecordAction(deps: { plugins: Plugins; reads: RecordReads; writes: RecordWrites }, input: RecordActionInput) {
  const { plugins } = deps;
  const plugin = plugins.active(input.pluginId);
  const declared = plugin?.manifest.actions?.find((a) => a.name === input.action);
  if (!plugin || !declared || declared.entity !== input.entity || declared.selection !== input.selection) {
    throw PluginActionNotFound(`Plugin "${input.pluginId}" has no action "${input.action}" on ${input.selection === "one" ? "a single" : "a selection of"} ${input.entity} records.`);
  }
  if (!plugin.enabled) throw PluginUnavailable(`Plugin "${input.pluginId}" is disabled.`, { extra: { pluginId: input.pluginId } });
  const ids = input.ids;
  if (!Array.isArray(ids) || ids.length === 0 || ids.length > MAX_SELECTION || !ids.every((id) => typeof id === "string" && isUuid(id))) {
    throw BadRequest(`Send { "ids": [...] } with 1 to ${MAX_SELECTION} record ids.`, { issues: [{ code: "INVALID_SELECTION", pointer: "/ids", message: `1 to ${MAX_SELECTION} record ids (UUIDs).` }] });
  }
  const unique = [...new Set((ids as string[]).map((id) => id.toLowerCase()))];
  // Each record must be readable by the caller: a missing or hidden one is 404, as on a read.
  const records: JsonObject[] = [];
  for (const id of unique) records.push(JSON.parse((await deps.reads.get(input.entity, id, new URLSearchParams(), input.caller)).json) as JsonObject);
  const result = await plugins.run(input.pluginId, { caller: input.caller, call: { kind: "action", name: input.action, input: { action: input.action, entity: input.entity, userId: input.caller.userId, records } }, entity: input.entity, recordIds: unique, tx: input.within, keepActor: input.within !== undefined });
  if (result.outcome !== "ok") throw pluginFailure(input.pluginId, result);
  const value = (result.value ?? {}) as { message?: unknown; changes?: unknown };
  const changes = value.changes && typeof value.changes === "object" && !Array.isArray(value.changes) ? Object.entries(value.changes as Record<string, unknown>) : [];
  const outside: Issue[] = changes.filter(([id]) => !unique.includes(id.toLowerCase())).map(([id]) => ({ code: "NOT_SELECTED", pointer: `/changes/${id}`, message: "The action may only change the selected records." }));
  if (outside.length) throw PluginFailed(`Plugin "${input.pluginId}" answered changes to records outside the selection.`, { issues: outside, extra: { pluginId: input.pluginId } });
  const writable = new Set(plugin.manifest.capabilities.records?.write ?? []);
  if (changes.length > 0 && !writable.has(input.entity)) {
    throw PluginFailed(`Plugin "${input.pluginId}" may not write ${input.entity} records: its manifest does not list "${input.entity}" under capabilities.records.write.`, { extra: { pluginId: input.pluginId } });
  }
  // Each changed record is a row written, as if the action had updated it through the host API.
  const { rowsWritten } = resolveBudgets(plugin.manifest);
  if (changes.length > 0 && result.usage.rowsWritten + changes.length > rowsWritten) {
    const detail = `Plugin "${input.pluginId}" failed: Budget exceeded: rowsWritten (at most ${rowsWritten} per invocation; it wrote ${result.usage.rowsWritten} and answered changes to ${changes.length} records).`;
    throw PluginFailed(detail, { extra: { pluginId: input.pluginId, outcome: "budget_exceeded", budget: "rowsWritten" } });
  }
  const caller: Caller = input.within ? input.caller : { ...input.caller, actor: { kind: "plugin", pluginId: input.pluginId, userId: input.caller.userId } };
  // All the changes or none, through the caller's permissions (and other plugins' hooks).
  const items = changes.map(([id, change]) => ({ ...(change as Record<string, unknown>), id }));
  const updated = items.length ? (await deps.writes.updateMany(input.entity, items, caller)).items : [];
  return { message: typeof value.message === "string" ? value.message : null, updated, changes: items, usage: result.usage };
}
