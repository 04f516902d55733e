import type { HostCallFailure, InvocationCall, InvocationResult, JsonValue, PluginBundle, PluginHandlers } from "@crm/plugin-sandbox";

/**
 * Messages between the API process (parent) and the plugin-host process (child), over Node IPC
 * with JSON serialisation. Requests carry an `id` the answer repeats; host calls carry their own
 * `id` and the `invocation` they belong to.
 *
 *   parent → child   load, unload, invoke, hostResult
 *   child → parent   ready, loaded, failed, unloaded, result, hostCall
 */
export type ParentMessage =
  | { type: "load"; id: number; bundle: PluginBundle }
  | { type: "unload"; id: number; pluginId: string }
  | { type: "invoke"; id: number; pluginId: string; call: InvocationCall & { deadline: number }; now: number; random: number }
  | { type: "hostResult"; id: number; now: number; ok: true; value: JsonValue }
  | { type: "hostResult"; id: number; now: number; ok: false; error: HostCallFailure };

export type ChildMessage =
  | { type: "ready" }
  | { type: "loaded"; id: number; handlers: PluginHandlers }
  | { type: "failed"; id: number; message: string }
  | { type: "unloaded"; id: number }
  | { type: "result"; id: number; result: InvocationResult }
  | { type: "hostCall"; id: number; invocation: number; method: string; args: JsonValue[] };
