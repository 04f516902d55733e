import type { Plugins } from "../../plugins/create-plugins.ts";
import { runRecordAction } from "../../plugins/run-record-action.ts";
import type { StepExecutor } from "../step-context.ts";
import { StepFailed } from "./step-failed.ts";

/**
 * runPluginAction: runs an installed plugin's record action on the run's record, as the workflow's
 * identity, through the same host, manifest checks and budgets as `POST …/actions/{plugin}/{action}`.
 * Everything happens in the step's transaction: the plugin's host API calls run in savepoints of it
 * (so on PGlite's one connection they never wait for the handle the step holds) and the changes it
 * answers are written in it, naming the run in history. A refusal or failure fails the step (and is
 * retried per the engine's policy) with the plugin's problem code and a message naming the plugin.
 * `plugins` is read per step: the plugin runtime is created after the workflows.
 */
export function pluginActionStep(plugins: () => Plugins | undefined): StepExecutor {
  return async (context) => {
    if (context.step.type !== "runPluginAction") throw new Error("pluginActionStep runs runPluginAction steps");
    const { plugin: pluginId, action } = context.step;
    const ref = context.record;
    const input = { plugin: pluginId, action, entity: ref?.entity ?? null, id: ref?.id ?? null };
    const installed = plugins();
    if (!installed) throw StepFailed(`Plugin "${pluginId}" cannot run: this runtime has no plugin host.`);
    if (!ref || !(await context.loadRecord())) throw StepFailed(`Plugin "${pluginId}" action "${action}" runs on the run's record, which does not exist or is not visible to the workflow's identity.`);
    const declared = installed.active(pluginId)?.manifest.actions?.find((a) => a.name === action && a.entity === ref.entity);
    const result = await runRecordAction(
      { plugins: installed, reads: context.reads, writes: context.writes },
      { entity: ref.entity, pluginId, action, ids: [ref.id], selection: declared?.selection ?? "one", caller: context.caller, within: context.tx },
    );
    return {
      move: { kind: "next" },
      input,
      output: { message: result.message, changes: result.changes, updated: result.updated.map((r) => ({ id: r.id, version: r.version })), usage: result.usage },
    };
  };
}
