import { readJson } from "./read-json.ts";
import type { CountedBudget, InvocationError, InvocationResult, JsonValue, SandboxBudgets } from "./types.ts";

type Outcome = Omit<InvocationResult, "durationMs" | "cpuMs" | "usage">;

const CODE = /^[A-Z][A-Z0-9_]{0,63}$/;

/**
 * The outcome of an invocation whose handler settled: the prelude's JSON envelope, unless a
 * counted budget ran out on the way (which stands even if the plugin caught the error). The
 * envelope was made inside the isolate, so its shape is checked rather than trusted.
 */
export function settledResult(envelopeJson: unknown, exceeded: CountedBudget | undefined, budgets: SandboxBudgets, maxMessageChars: number): Outcome {
  if (exceeded !== undefined) {
    return { outcome: "budget_exceeded", budget: exceeded, error: { code: "BUDGET_EXCEEDED", name: "BudgetExceededError", message: `Budget exceeded: ${exceeded} (at most ${budgets[exceeded]} per invocation).` } };
  }
  const envelope = parseEnvelope(envelopeJson);
  if (envelope?.["ok"] === true) return { outcome: "ok", value: envelope["value"] ?? null };
  if (envelope?.["ok"] === false) return { outcome: "error", error: pluginError(envelope["error"], maxMessageChars) };
  return { outcome: "error", error: { code: "INVALID_RESULT", name: "TypeError", message: "The sandbox returned something that is not a result." } };
}

function parseEnvelope(text: unknown): Record<string, JsonValue> | undefined {
  if (typeof text !== "string") return undefined;
  try {
    const value = readJson(text);
    return typeof value === "object" && value !== null && !Array.isArray(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

function pluginError(value: JsonValue | undefined, maxMessageChars: number): InvocationError {
  const error = typeof value === "object" && value !== null && !Array.isArray(value) ? value : {};
  const { code, name, message } = error;
  return {
    code: typeof code === "string" && CODE.test(code) ? code : "PLUGIN_ERROR",
    name: typeof name === "string" ? name.slice(0, 100) : "Error",
    message: typeof message === "string" ? message.slice(0, maxMessageChars) : "The plugin failed.",
  };
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
