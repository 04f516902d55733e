import { dispatchHostCall, toHostCallFailure } from "@crm/plugin-sandbox";
import type { HostApi, InvocationCall, InvocationResult, PluginBundle, PluginHandlers } from "@crm/plugin-sandbox";
import { createCircuitBreaker } from "./circuit-breaker.ts";
import { startHostProcess } from "./host-process.ts";
import type { HostProcess } from "./host-process.ts";
import type { ChildMessage } from "./plugin-host-protocol.ts";

export interface PluginHostOptions {
  /** Failures in a row that disable a plugin (default 5). */
  maxConsecutiveFailures?: number;
  /** Which results count as failures for the circuit breaker (default: every outcome but "ok"). */
  isFailure?: (result: InvocationResult) => boolean;
  /** Environment of the plugin-host process; nothing of this process's is passed on (default {}). */
  env?: Record<string, string>;
  /**
   * Nice value of the plugin host's threads (default 10; 0 to 19): above 0 a plugin spinning at its
   * CPU limit yields the CPU to the API process. Its cost: isolated-vm's CPU limit runs on the clock
   * while the isolate runs, so on a saturated machine a plugin gets less done within it.
   */
  nice?: number;
  /** Deadline of an invocation that brings none (default 10 s from the call). */
  defaultWallMs?: number;
  /** How long past a deadline the host may stay silent before it is killed and restarted (default 1 s). */
  stallGraceMs?: number;
  onEvent?: (event: PluginHostEvent) => void;
}

export type PluginHostEvent =
  | { type: "crashed"; pid: number | undefined; reason: string; plugins: string[]; stderr: string }
  | { type: "restarted"; pid: number | undefined; afterMs: number }
  | { type: "disabled"; pluginId: string; reason: string };

/** An invocation's result, with the plugin it belongs to. */
export type PluginInvocationResult = InvocationResult & { pluginId: string; version: string };

export interface PluginStatus {
  id: string;
  version: string;
  enabled: boolean;
  disabledReason?: string;
  consecutiveFailures: number;
}

/** The API process's handle on the supervised plugin-host process. */
export interface PluginHost {
  /** Load a plugin version (replacing the plugin's other version); rejects when its bundle does not load. */
  load(bundle: PluginBundle): Promise<PluginHandlers>;
  unload(pluginId: string): Promise<void>;
  /** Run a handler; always resolves, with the outcome (a crash of the host is outcome "crashed"). */
  invoke(pluginId: string, call: InvocationCall, api: HostApi): Promise<PluginInvocationResult>;
  status(pluginId: string): PluginStatus | undefined;
  /** Close a plugin's circuit breaker. */
  enable(pluginId: string): void;
  readonly pid: number | undefined;
  close(): Promise<void>;
}

interface Pending {
  bundle: PluginBundle;
  api: HostApi;
  startedAt: number;
  host: HostProcess;
  timer: NodeJS.Timeout;
  resolve: (result: PluginInvocationResult) => void;
}

interface Request {
  host: HostProcess;
  resolve: (message: ChildMessage) => void;
  reject: (error: Error) => void;
}

const NO_USAGE = { hostCalls: 0, rowsRead: 0, rowsWritten: 0, outboundRequests: 0 };

/**
 * Start the plugin-host process and supervise it: requests and invocations by id, host calls
 * answered from each invocation's HostApi, a restart right after a crash (in-flight invocations
 * end as "crashed", naming their plugin; loaded plugins are loaded again), and a circuit breaker
 * per plugin.
 *
 * @example
 * const host = createPluginHost();
 * await host.load({ id: "lead-scoring", version: "1.0.0", code, budgets });
 * const result = await host.invoke("lead-scoring", { kind: "hook", name: "beforeCreate", input }, hostApi);
 */
export function createPluginHost(options: PluginHostOptions = {}): PluginHost {
  const defaultWallMs = options.defaultWallMs ?? 10_000;
  const stallGraceMs = options.stallGraceMs ?? 1000;
  const breaker = createCircuitBreaker(options.maxConsecutiveFailures ?? 5, options.isFailure ?? ((r) => r.outcome !== "ok"));
  const bundles = new Map<string, PluginBundle>();
  const invocations = new Map<number, Pending>();
  const requests = new Map<number, Request>();
  const crashes: number[] = [];
  let nextId = 1;
  let closing = false;
  let host: HostProcess;
  let ready: Promise<void> = Promise.resolve();

  const emit = (event: PluginHostEvent) => options.onEvent?.(event);

  let up = false;
  /** `promise` settles when the (next) host process can take work; until then invocations wait. */
  const setReady = (promise: Promise<void>) => {
    up = false;
    ready = promise;
    promise.then(
      () => {
        if (ready === promise) up = true;
      },
      () => undefined,
    );
  };

  /** Wait for the current host process (a restart may replace it meanwhile); false at the deadline. */
  const waitUntilReady = async (deadline: number): Promise<boolean> => {
    while (!up && !closing) {
      const current = ready;
      const left = deadline - Date.now();
      if (left <= 0) return false;
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<boolean>((resolve) => (timer = setTimeout(resolve, left, false)));
      const settled = await Promise.race([current.then(() => true, () => false), timeout]);
      clearTimeout(timer);
      if (settled && current === ready) return true;
      if (current === ready) await new Promise((resolve) => setTimeout(resolve, 10));
    }
    return up;
  };

  const request = async (message: { type: "load"; bundle: PluginBundle } | { type: "unload"; pluginId: string }, reloading = false): Promise<ChildMessage> => {
    if (!reloading && !(await waitUntilReady(Date.now() + defaultWallMs))) throw new Error("The plugin host is not running.");
    const id = nextId++;
    return new Promise((resolve, reject) => {
      requests.set(id, { host, resolve, reject });
      host.send({ ...message, id });
    });
  };

  const loadInChild = async (bundle: PluginBundle, reloading = false): Promise<PluginHandlers> => {
    const answer = await request({ type: "load", bundle }, reloading);
    if (answer.type === "loaded") return answer.handlers;
    throw new Error(`Plugin "${bundle.id}" ${bundle.version} did not load: ${answer.type === "failed" ? answer.message : answer.type}`);
  };

  const finish = (id: number, result: InvocationResult) => {
    const pending = invocations.get(id);
    if (pending === undefined) return;
    invocations.delete(id);
    clearTimeout(pending.timer);
    const reason = breaker.record(pending.bundle.id, result);
    if (reason !== undefined) emit({ type: "disabled", pluginId: pending.bundle.id, reason });
    pending.resolve({ ...result, pluginId: pending.bundle.id, version: pending.bundle.version });
  };

  const receive = (from: HostProcess, message: ChildMessage) => {
    if (from !== host || typeof message !== "object" || message === null) return;
    if (message.type === "result") return finish(message.id, message.result);
    if (message.type === "hostCall") return answerHostCall(message);
    if (message.type === "ready") return;
    const waiting = requests.get(message.id);
    requests.delete(message.id);
    waiting?.resolve(message);
  };

  const answerHostCall = (message: Extract<ChildMessage, { type: "hostCall" }>) => {
    const pending = invocations.get(message.invocation);
    const reply = (answer: { ok: true; value: unknown } | { ok: false; error: unknown }) => {
      const now = pending?.api.now() ?? Date.now();
      if (answer.ok) host.send({ type: "hostResult", id: message.id, now, ok: true, value: (answer.value ?? null) as never });
      else host.send({ type: "hostResult", id: message.id, now, ok: false, error: toHostCallFailure(answer.error) });
    };
    if (pending === undefined || pending.host !== host) {
      return reply({ ok: false, error: { code: "INVOCATION_ENDED", message: "This invocation has ended; its host API can no longer be used." } });
    }
    const args = Array.isArray(message.args) ? message.args : [];
    dispatchHostCall(pending.api, String(message.method), args).then(
      (value) => reply({ ok: true, value }),
      (error: unknown) => reply({ ok: false, error }),
    );
  };

  const exited = (from: HostProcess, code: number | null, signal: NodeJS.Signals | null) => {
    if (from !== host) return;
    const reason = signal ?? `exit code ${code}`;
    const plugins = new Set<string>();
    for (const [id, pending] of invocations) {
      if (pending.host !== from) continue;
      plugins.add(pending.bundle.id);
      finish(id, crashed(pending, `the plugin host process stopped (${reason}) while it ran`));
    }
    for (const [id, waiting] of requests) {
      if (waiting.host !== from) continue;
      requests.delete(id);
      waiting.reject(new Error(`The plugin host process stopped (${reason}).`));
    }
    if (closing) return;
    emit({ type: "crashed", pid: from.pid, reason, plugins: [...plugins], stderr: from.stderrTail() });
    restart();
  };

  const start = () => {
    const child: HostProcess = startHostProcess({
      env: { ...options.env, PLUGIN_HOST_NICE: String(options.nice ?? 10) },
      onMessage: (message) => receive(child, message),
      onExit: (code, signal) => exited(child, code, signal),
    });
    host = child;
    return child;
  };

  // Crashes in quick succession back off (100 ms, 200 ms … up to 1 s), so a host that dies at
  // start cannot spin; a lone crash restarts at once.
  const restart = () => {
    const at = Date.now();
    crashes.push(at);
    while (crashes.length > 0 && (crashes[0] ?? at) < at - 10_000) crashes.shift();
    const delayMs = crashes.length <= 1 ? 0 : Math.min(1000, 100 * 2 ** (crashes.length - 2));
    const child = new Promise<HostProcess>((resolve, reject) => setTimeout(() => (closing ? reject(new Error("The plugin host was closed.")) : resolve(start())), delayMs));
    // Invocations wait until the plugins are loaded again; the reloads themselves only need the process.
    const reloaded = child.then(async (started) => {
      await started.ready;
      await Promise.all([...bundles.values()].map((bundle) => loadInChild(bundle, true).catch(() => undefined)));
    });
    setReady(reloaded);
    void reloaded.then(
      async () => emit({ type: "restarted", pid: (await child).pid, afterMs: Date.now() - at }),
      () => undefined,
    );
  };

  setReady(start().ready);

  return {
    get pid() {
      return host.pid;
    },
    async load(bundle) {
      const handlers = await loadInChild(bundle);
      if (bundles.get(bundle.id)?.version !== bundle.version) breaker.reset(bundle.id);
      bundles.set(bundle.id, bundle);
      return handlers;
    },
    async unload(pluginId) {
      bundles.delete(pluginId);
      breaker.forget(pluginId);
      await request({ type: "unload", pluginId });
    },
    async invoke(pluginId, call, api) {
      const bundle = bundles.get(pluginId);
      if (bundle === undefined) throw new Error(`Plugin "${pluginId}" is not loaded.`);
      const startedAt = performance.now();
      const { disabledReason } = breaker.state(pluginId);
      if (disabledReason !== undefined) {
        return { outcome: "disabled", error: { code: "PLUGIN_DISABLED", name: "PluginDisabledError", message: `Plugin "${pluginId}" is disabled: ${disabledReason}` }, durationMs: 0, cpuMs: 0, usage: { ...NO_USAGE }, pluginId, version: bundle.version };
      }
      const deadline = call.deadline ?? Date.now() + defaultWallMs;
      if (!(await waitUntilReady(deadline))) {
        const error = { code: "PLUGIN_HOST_UNAVAILABLE", name: "PluginHostError", message: `Plugin "${pluginId}" ${bundle.version} did not run: the plugin host was not back by the deadline.` };
        return { outcome: "crashed", error, durationMs: performance.now() - startedAt, cpuMs: 0, usage: { ...NO_USAGE }, pluginId, version: bundle.version };
      }
      return new Promise<PluginInvocationResult>((resolve) => {
        const id = nextId++;
        const timer = setTimeout(() => stalled(id), Math.max(0, deadline - Date.now()) + stallGraceMs);
        invocations.set(id, { bundle, api, startedAt, host, timer, resolve });
        host.send({ type: "invoke", id, pluginId, call: { ...call, deadline }, now: api.now(), random: api.random() });
      });
    },
    status(pluginId) {
      const bundle = bundles.get(pluginId);
      if (bundle === undefined) return undefined;
      const state = breaker.state(pluginId);
      return { id: pluginId, version: bundle.version, enabled: state.disabledReason === undefined, consecutiveFailures: state.consecutiveFailures, ...(state.disabledReason === undefined ? {} : { disabledReason: state.disabledReason }) };
    },
    enable(pluginId) {
      breaker.reset(pluginId);
    },
    async close() {
      closing = true;
      for (const [id, pending] of invocations) finish(id, crashed(pending, "the plugin host was closed"));
      host.kill();
      await host.exited;
    },
  };

  /** The host said nothing past the deadline: this invocation times out and the host is replaced. */
  function stalled(id: number) {
    const pending = invocations.get(id);
    if (pending === undefined) return;
    finish(id, {
      outcome: "timeout",
      limit: "wall",
      error: { code: "PLUGIN_HOST_STALLED", name: "TimeoutError", message: `Plugin "${pending.bundle.id}" ${pending.bundle.version} passed its deadline and the plugin host did not answer; the host is restarted.` },
      durationMs: performance.now() - pending.startedAt,
      cpuMs: 0,
      usage: { ...NO_USAGE },
    });
    if (pending.host !== host) return;
    // Until the restart replaces it, nothing more is sent to the process being killed.
    const dying = host;
    setReady(dying.exited.then(() => Promise.reject(new Error("The plugin host was replaced."))));
    dying.kill();
  }
}

function crashed(pending: Pending, what: string): InvocationResult {
  return {
    outcome: "crashed",
    error: { code: "PLUGIN_HOST_CRASHED", name: "PluginHostError", message: `Plugin "${pending.bundle.id}" ${pending.bundle.version} failed: ${what}.` },
    durationMs: performance.now() - pending.startedAt,
    cpuMs: 0,
    usage: { ...NO_USAGE },
  };
}
