import { PluginFailed, PluginUnavailable } from "./plugin-errors.ts";
import type { PluginInvocationResult } from "./plugin-host.ts";

/**
 * The problem for an invocation that did not end "ok": a throw or an exhausted counted budget is
 * 422 PLUGIN_FAILED, a timeout, memory overrun or host crash is 503 PLUGIN_UNAVAILABLE; both name
 * the plugin, the outcome and, when known, the budget or limit.
 */
export function pluginFailure(pluginId: string, result: PluginInvocationResult) {
  const detail = `Plugin "${pluginId}" failed: ${result.error?.message ?? result.outcome}`;
  const extra = { pluginId, outcome: result.outcome, ...(result.error ? { pluginError: result.error.code } : {}), ...(result.budget ? { budget: result.budget } : {}), ...(result.limit ? { limit: result.limit } : {}) };
  return result.outcome === "error" || result.outcome === "budget_exceeded" ? PluginFailed(detail, { extra }) : PluginUnavailable(detail, { extra });
}
