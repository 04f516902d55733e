import { randomUUID } from "node:crypto";
import { dispatchHostCall } from "./dispatch-host-call.ts";
import { HostCallError, toHostCallFailure } from "./host-call-error.ts";
import { createInvocationMeter } from "./invocation-meter.ts";
import type { InvocationMeter } from "./invocation-meter.ts";
import { readJson } from "./read-json.ts";
import { createPluginIsolate } from "./plugin-isolate.ts";
import type { IsolateLimits, PluginIsolate } from "./plugin-isolate.ts";
import { classifyFailure, settledResult } from "./invocation-results.ts";
import type { HostApi, HostMethod, InvocationCall, InvocationResult, PluginBundle, PluginHandlers } from "./types.ts";

export interface SandboxOptions {
  /** Wall-clock time an invocation gets when the call brings no deadline (default 10 s). */
  defaultWallMs?: number;
  /** Largest result, as JSON characters, that may leave the sandbox (default 1,000,000). */
  maxOutputChars?: number;
  /** Largest arguments of one host call, as JSON characters (default 1,000,000). */
  maxArgumentChars?: number;
  /** Error messages are cut to this length (default 2,000). */
  maxMessageChars?: number;
  /** CPU time the bundle's top-level code may take (default 1 s). */
  loadTimeoutMs?: number;
  /** isolated-vm lost control of an isolate; its advice is to end the process (the default). */
  onCatastrophicError?: (message: string) => void;
}

/** One plugin version in its warm isolate; invocations run one at a time, in call order. */
export interface PluginSandbox {
  readonly bundle: PluginBundle;
  /** Build the isolate now (otherwise the first invocation does); rejects when the bundle does not load. */
  load(): Promise<PluginHandlers>;
  invoke(call: InvocationCall, api: HostApi): Promise<InvocationResult>;
  /** Whether an isolate is built and warm. */
  readonly warm: boolean;
  dispose(): void;
}

/** An invocation the bridge may route calls for. */
interface Active {
  token: string;
  api: HostApi;
  meter: InvocationMeter;
}

/**
 * A sandbox for one plugin version. The isolate is built on first use and kept warm; a CPU or
 * wall-clock overrun or an exhausted heap disposes it, and the next invocation builds a new one.
 * The isolate's CPU `timeout` does not run while plugin code waits for the host, so a host-side
 * wall-clock deadline covers that time.
 *
 * @example
 * const sandbox = createPluginSandbox({ id: "lead-scoring", version: "1.0.0", code, budgets });
 * const result = await sandbox.invoke({ kind: "hook", name: "beforeCreate", input: { record } }, hostApi);
 * // { outcome: "ok", value: { score: 40 }, durationMs: 3, cpuMs: 0.4, usage: { hostCalls: 1, … } }
 */
export function createPluginSandbox(bundle: PluginBundle, options: SandboxOptions = {}): PluginSandbox {
  const defaultWallMs = options.defaultWallMs ?? 10_000;
  const limits: IsolateLimits = {
    maxOutputChars: options.maxOutputChars ?? 1_000_000,
    maxArgumentChars: options.maxArgumentChars ?? 1_000_000,
    maxMessageChars: options.maxMessageChars ?? 2000,
    loadTimeoutMs: options.loadTimeoutMs ?? 1000,
    onCatastrophicError: options.onCatastrophicError ?? abortProcess,
  };
  let active: Active | undefined;
  let building: Promise<PluginIsolate> | undefined;
  let built: PluginIsolate | undefined;
  let queue: Promise<unknown> = Promise.resolve();
  let disposed = false;

  const bridge = async (token: string, method: string, argsJson: string): Promise<string> => {
    const current = active;
    try {
      if (current === undefined || current.token !== token) throw new HostCallError("INVOCATION_ENDED", "This invocation has ended; its host API can no longer be used.");
      // The prelude checks this too; the host does not rely on code inside the isolate.
      if (argsJson.length > limits.maxArgumentChars) throw new HostCallError("ARGUMENT_TOO_LARGE", "The arguments are too large.");
      const args = readJson(argsJson);
      if (!Array.isArray(args)) throw new HostCallError("INVALID_ARGUMENT", "Host call arguments must be a list.");
      const value = await current.meter.call(method as HostMethod, args, (m, a) => dispatchHostCall(current.api, m, a));
      return JSON.stringify({ ok: true, value: value ?? null, now: clockOf(current) });
    } catch (error) {
      return JSON.stringify({ ok: false, error: toHostCallFailure(error), now: current === undefined ? 0 : clockOf(current) });
    }
  };

  const ensureBuilt = (): Promise<PluginIsolate> => {
    if (disposed) return Promise.reject(new Error(`The sandbox of plugin ${bundle.id}@${bundle.version} is disposed.`));
    if (built !== undefined && !built.isolate.isDisposed) return Promise.resolve(built);
    building ??= createPluginIsolate(bundle, bridge, limits).then(
      (isolate) => {
        built = isolate;
        building = undefined;
        return isolate;
      },
      (error: unknown) => {
        building = undefined;
        throw error;
      },
    );
    return building;
  };

  const discard = () => {
    built?.dispose();
    built = undefined;
  };

  const runOne = async (call: InvocationCall, api: HostApi): Promise<InvocationResult> => {
    const startedAt = performance.now();
    const meter = createInvocationMeter(bundle.budgets);
    const base = () => ({ durationMs: performance.now() - startedAt, cpuMs: 0, usage: { ...meter.usage } });
    let plugin: PluginIsolate;
    try {
      plugin = await ensureBuilt();
    } catch (error) {
      return { outcome: "error", error: { code: "LOAD_FAILED", name: "PluginLoadError", message: `Plugin ${bundle.id}@${bundle.version} did not load: ${(error as Error).message}` }, ...base() };
    }
    const token = randomUUID();
    active = { token, api, meter };
    const cpuBefore = plugin.isolate.cpuTime;
    const wallMs = Math.max(0, (call.deadline ?? Date.now() + defaultWallMs) - Date.now());
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<"wall">((resolve) => (timer = setTimeout(resolve, wallMs, "wall")));
    const running = plugin.run.apply(undefined, [token, call.kind, call.name, JSON.stringify(call.input ?? null), api.now(), Math.floor(api.random() * 2 ** 32)], {
      timeout: bundle.budgets.cpuMs,
      result: { promise: true },
    });
    running.catch(() => undefined);
    try {
      const settled = await Promise.race([running, deadline]);
      const cpuMs = cpuSince(plugin, cpuBefore);
      if (settled === "wall") {
        plugin.dispose();
        return { outcome: "timeout", limit: "wall", error: { code: "WALL_TIME_EXCEEDED", name: "TimeoutError", message: `The invocation passed its wall-clock deadline (${wallMs} ms).` }, ...base(), cpuMs };
      }
      return { ...settledResult(settled, meter.exceeded, bundle.budgets, limits.maxMessageChars), ...base(), cpuMs };
    } catch (error) {
      const cpuMs = cpuSince(plugin, cpuBefore);
      plugin.dispose();
      return { ...classifyFailure(error, bundle.budgets), ...base(), cpuMs };
    } finally {
      clearTimeout(timer);
      active = undefined;
      if (plugin.isolate.isDisposed) discard();
    }
  };

  return {
    bundle,
    get warm() {
      return built !== undefined && !built.isolate.isDisposed;
    },
    load: () => ensureBuilt().then((plugin) => plugin.handlers),
    invoke(call, api) {
      const result = queue.then(() => runOne(call, api));
      queue = result.catch(() => undefined);
      return result;
    },
    dispose() {
      disposed = true;
      discard();
    },
  };
}

function clockOf(active: Active): number {
  return active.api.now();
}

function cpuSince(plugin: PluginIsolate, before: bigint): number {
  try {
    return Number(plugin.isolate.cpuTime - before) / 1e6;
  } catch {
    return 0;
  }
}

function abortProcess(message: string): void {
  process.stderr.write(`isolated-vm lost control of an isolate (${message}); ending the process as it advises.\n`);
  process.abort();
}
