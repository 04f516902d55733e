import type { PluginManifest } from "./types.ts";

/** The budgets counted call by call in the sandbox's bridge. */
export const COUNTED_BUDGETS = ["hostCalls", "rowsRead", "rowsWritten", "outboundRequests"] as const;
export type CountedBudget = (typeof COUNTED_BUDGETS)[number];

/** What one invocation may spend. */
export interface PluginBudgets {
  cpuMs: number;
  memoryMb: number;
  hostCalls: number;
  rowsRead: number;
  rowsWritten: number;
  outboundRequests: number;
}

/** Budgets a manifest leaves out (the `default`s of plugin-manifest.schema.json). */
export const DEFAULT_PLUGIN_BUDGETS: Readonly<PluginBudgets> = Object.freeze({
  cpuMs: 100,
  memoryMb: 32,
  hostCalls: 100,
  rowsRead: 1000,
  rowsWritten: 100,
  outboundRequests: 10,
});

/**
 * A manifest's budgets with the defaults filled in.
 * @example resolveBudgets({ ...manifest, budgets: { cpuMs: 50 } }).memoryMb // 32
 */
export function resolveBudgets(manifest: Pick<PluginManifest, "budgets">): PluginBudgets {
  return { ...DEFAULT_PLUGIN_BUDGETS, ...manifest.budgets };
}
