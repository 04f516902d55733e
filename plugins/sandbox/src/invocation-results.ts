import { readJson } from "./read-json.ts";
import type { CountedBudget, InvocationError, InvocationResult, JsonValue, SandboxBudgets } from "./types.ts";

type Outcome = Omit<InvocationResult, "durationMs" | "cpuMs" | "usage">;

/**
 * The outcome of an invocation whose handler settled: the prelude's JSON envelope, unless a
 * counted budget ran out on the way (which stands even if the plugin caught the error).
 */
export function settledResult(envelopeJson: string, exceeded: CountedBudget | undefined, budgets: SandboxBudgets): Outcome {
  if (exceeded !== undefined) {
    return { outcome: "budget_exceeded", budget: exceeded, error: { code: "BUDGET_EXCEEDED", name: "BudgetExceededError", message: `Budget exceeded: ${exceeded} (at most ${budgets[exceeded]} per invocation).` } };
  }
  const envelope = readJson(envelopeJson) as unknown as { ok: boolean; value?: JsonValue; error?: InvocationError };
  if (envelope.ok) return { outcome: "ok", value: envelope.value ?? null };
  return { outcome: "error", error: envelope.error ?? { code: "PLUGIN_ERROR", name: "Error", message: "The plugin failed." } };
}

/** The outcome of an invocation that isolated-vm ended: CPU timeout, exhausted heap, a disposed isolate, an unhandled rejection. */
export function classifyFailure(error: unknown, budgets: SandboxBudgets): Outcome {
  const message = error instanceof Error ? error.message : String(error);
  if (/timed out/i.test(message)) {
    return { outcome: "timeout", limit: "cpu", error: { code: "CPU_TIME_EXCEEDED", name: "TimeoutError", message: `The invocation used more than its ${budgets.cpuMs} ms of CPU time.` } };
  }
  if (/memory limit/i.test(message)) {
    return { outcome: "memory", error: { code: "MEMORY_EXCEEDED", name: "RangeError", message: `The plugin used more than its ${budgets.memoryMb} MB of memory.` } };
  }
  if (/disposed/i.test(message)) return { outcome: "error", error: { code: "SANDBOX_ERROR", name: "Error", message: `The sandbox stopped the invocation: ${message}` } };
  // The prelude catches whatever the handler throws, so anything else is isolated-vm reporting a
  // promise the plugin left rejected and unhandled; like Node, that fails the invocation.
  const name = error instanceof Error ? error.name : "Error";
  return { outcome: "error", error: { code: "UNHANDLED_REJECTION", name, message: `The plugin left a rejected promise unhandled: ${message}` } };
}
