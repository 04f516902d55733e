import { readFile } from "node:fs/promises";
import { resolveBudgets, validateManifest } from "@crm/core";
import type { HookName, PluginManifest } from "@crm/core";
import { createPluginSandbox } from "@crm/plugin-sandbox";
import type { InvocationCall, InvocationResult, JsonObject, JsonValue, PluginSandbox } from "@crm/plugin-sandbox";
import { buildPlugin } from "../build/build-plugin.ts";
import { createHarnessHostApi } from "./harness-host-api.ts";
import type { FakeFetch, LogEntry } from "./harness-host-api.ts";
import { createMemoryStore } from "./memory-store.ts";
import type { Fixtures, MemoryStore } from "./memory-store.ts";

export interface HarnessOptions {
  /** plugin.json, as an object or a path. */
  manifest: PluginManifest | string;
  /** The built bundle; or `entry` (e.g. `src/index.ts`), bundled with esbuild as `crm-plugin build` does. */
  code?: string;
  entry?: string;
  records?: Fixtures;
  /** What `crm.settings()` returns: exactly this (defaults are the plugin's business, as in production). */
  settings?: JsonObject;
  /** The clock, epoch ms (default 2025-01-01T00:00:00Z); change it with `harness.setNow`. */
  now?: number;
  /** The random seed source, [0, 1) (default 0.5). */
  random?: number;
  fetch?: FakeFetch;
  /** Wall-clock time per invocation (default 10 s). */
  wallMs?: number;
}

export interface Harness {
  manifest: PluginManifest;
  store: MemoryStore;
  logs: LogEntry[];
  /** Run a hook for an entity the manifest lists it for (anything else throws: production never calls it). */
  hook(name: HookName, input: JsonObject): Promise<InvocationResult>;
  action(name: string, input: JsonObject): Promise<InvocationResult>;
  /** Input `{ schedule, userId: null, scheduledAt }` (default: the harness clock). */
  schedule(name: string, scheduledAt?: string): Promise<InvocationResult>;
  invoke(call: InvocationCall): Promise<InvocationResult>;
  setNow(epochMs: number): void;
  setSettings(settings: JsonObject): void;
  dispose(): void;
}

/**
 * The offline harness: the plugin's bundle in the production sandbox (`createPluginSandbox`, the
 * manifest's budgets), with records in memory, the manifest's capabilities enforced, an injected
 * clock and random, and every outcome returned as the sandbox's `InvocationResult`.
 *
 * @example
 * const harness = await createHarness({ manifest: "plugin.json", entry: "src/index.ts", records: { lead: [] } });
 * const result = await harness.hook("beforeCreate", hookInputs.beforeCreate("lead", { lastName: "Lovelace", source: "referral" }));
 * // { outcome: "ok", value: { changes: { score: 55 } }, usage: { hostCalls: 1, rowsRead: 0, … }, … }
 * harness.dispose();
 */
export async function createHarness(options: HarnessOptions): Promise<Harness> {
  const manifest = await loadManifest(options.manifest);
  const code = options.code ?? (options.entry !== undefined ? await buildPlugin({ entry: options.entry }) : undefined);
  if (code === undefined) throw new Error("createHarness needs the bundle (code) or the entry to build it from.");
  let now = options.now ?? Date.UTC(2025, 0, 1);
  let settings = options.settings ?? {};
  const logs: LogEntry[] = [];
  const store = createMemoryStore(options.records ?? {}, () => now);
  const sandbox: PluginSandbox = createPluginSandbox({ id: manifest.id, version: manifest.version, code, budgets: resolveBudgets(manifest) });
  await sandbox.load();
  const api = createHarnessHostApi({ manifest, store, logs, settings: () => settings, now: () => now, random: () => options.random ?? 0.5, ...(options.fetch ? { fetch: options.fetch } : {}) });
  const invoke = (call: InvocationCall) => sandbox.invoke({ ...call, deadline: Date.now() + (options.wallMs ?? 10_000) }, api);

  return {
    manifest,
    store,
    logs,
    hook(name, input) {
      const entities = manifest.hooks?.[name]?.entities ?? [];
      if (!entities.includes(String(input.entity))) throw new Error(`plugin.json declares no ${name} hook for entity ${JSON.stringify(input.entity)}; production would never call it.`);
      return invoke({ kind: "hook", name, input });
    },
    action(name, input) {
      const action = manifest.actions?.find((a) => a.name === name);
      if (action === undefined) throw new Error(`plugin.json declares no action ${name}.`);
      if (input.entity !== action.entity) throw new Error(`Action ${name} runs on ${action.entity} records, not ${JSON.stringify(input.entity)}.`);
      return invoke({ kind: "action", name, input });
    },
    schedule(name, scheduledAt) {
      if (!manifest.schedules?.some((s) => s.name === name)) throw new Error(`plugin.json declares no schedule ${name}.`);
      const input: JsonValue = { schedule: name, userId: null, scheduledAt: scheduledAt ?? new Date(now).toISOString() };
      return invoke({ kind: "schedule", name, input });
    },
    invoke,
    setNow: (epochMs) => void (now = epochMs),
    setSettings: (next) => void (settings = next),
    dispose: () => sandbox.dispose(),
  };
}

async function loadManifest(source: PluginManifest | string): Promise<PluginManifest> {
  const raw: unknown = typeof source === "string" ? JSON.parse(await readFile(source, "utf8")) : source;
  const checked = validateManifest(raw);
  if (!checked.ok) throw new Error(`plugin.json is not valid:\n${checked.issues.map((i) => `  ${i.pointer || "/"}: ${i.message}`).join("\n")}`);
  return checked.value;
}

/**
 * A harness for the length of `use`, disposed afterwards whatever happens.
 * @example const value = await withHarness({ manifest, code }, (h) => h.schedule("nightly"));
 */
export async function withHarness<T>(options: HarnessOptions, use: (harness: Harness) => Promise<T>): Promise<T> {
  const harness = await createHarness(options);
  try {
    return await use(harness);
  } finally {
    harness.dispose();
  }
}
