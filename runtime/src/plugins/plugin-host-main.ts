import { createForwardingHostApi, createPluginSandbox, fromHostCallFailure } from "@crm/plugin-sandbox";
import type { HostMethod, JsonValue, PluginSandbox } from "@crm/plugin-sandbox";
import { lowerPriority } from "./lower-priority.ts";
import type { ChildMessage, ParentMessage } from "./plugin-host-protocol.ts";

// The plugin-host process: started by plugin-host.ts with `child_process.fork`, it holds one
// sandbox per plugin and runs whatever the parent asks, sending host calls back over IPC. If an
// isolate takes this process down, the parent restarts it; nothing here needs to survive.

// Plugins yield the CPU to the API process: a plugin spinning at its CPU limit must not slow the
// requests that do not involve it. isolated-vm starts threads as isolates need them, so new threads
// are lowered too, at most once a second.
const NICE = Number(process.env.PLUGIN_HOST_NICE ?? 10);
let lowered = 0;
const keepLowered = () => {
  if (Date.now() - lowered < 1000) return;
  lowered = Date.now();
  lowerPriority(NICE);
};

const sandboxes = new Map<string, PluginSandbox>();
const pendingCalls = new Map<number, { resolve: (value: JsonValue) => void; reject: (error: Error) => void; setClock: (now: number) => void }>();
let nextCallId = 1;

function send(message: ChildMessage): void {
  process.send?.(message);
}

async function handle(message: ParentMessage): Promise<void> {
  keepLowered();
  switch (message.type) {
    case "load": {
      // The new version replaces the loaded one only once it has loaded.
      const { bundle } = message;
      const sandbox = createPluginSandbox(bundle);
      try {
        const handlers = await sandbox.load();
        sandboxes.get(bundle.id)?.dispose();
        sandboxes.set(bundle.id, sandbox);
        send({ type: "loaded", id: message.id, handlers });
      } catch (error) {
        sandbox.dispose();
        send({ type: "failed", id: message.id, message: (error as Error).message });
      }
      return;
    }
    case "unload":
      sandboxes.get(message.pluginId)?.dispose();
      sandboxes.delete(message.pluginId);
      send({ type: "unloaded", id: message.id });
      return;
    case "invoke":
      return invoke(message);
    case "hostResult": {
      const pending = pendingCalls.get(message.id);
      if (pending === undefined) return;
      pendingCalls.delete(message.id);
      pending.setClock(message.now);
      if (message.ok) pending.resolve(message.value);
      else pending.reject(fromHostCallFailure(message.error));
      return;
    }
  }
}

async function invoke(message: Extract<ParentMessage, { type: "invoke" }>): Promise<void> {
  const sandbox = sandboxes.get(message.pluginId);
  if (sandbox === undefined) {
    const error = { code: "NOT_LOADED", name: "Error", message: `Plugin "${message.pluginId}" is not loaded in the plugin host.` };
    send({ type: "result", id: message.id, result: { outcome: "error", error, durationMs: 0, cpuMs: 0, usage: { hostCalls: 0, rowsRead: 0, rowsWritten: 0, outboundRequests: 0 } } });
    return;
  }
  let clock = message.now;
  const forward = (method: HostMethod, args: JsonValue[]) =>
    new Promise<JsonValue>((resolve, reject) => {
      const id = nextCallId++;
      pendingCalls.set(id, { resolve, reject, setClock: (now) => (clock = now) });
      send({ type: "hostCall", id, invocation: message.id, method, args });
    });
  const api = createForwardingHostApi(forward, () => clock, message.random);
  send({ type: "result", id: message.id, result: await sandbox.invoke(message.call, api) });
}

process.on("message", (message: ParentMessage) => {
  void handle(message);
});
// Without its parent this process has no purpose, and nobody would stop its isolates.
process.on("disconnect", () => process.exit(0));
keepLowered();
send({ type: "ready" });
