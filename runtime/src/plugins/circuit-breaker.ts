import type { InvocationResult } from "@crm/plugin-sandbox";

/** Whether a plugin may run, and why not. */
export interface BreakerState {
  consecutiveFailures: number;
  /** Set once the breaker has tripped; the plugin stays disabled until reset. */
  disabledReason?: string;
}

/**
 * Per-plugin circuit breaker: `limit` failures in a row disable the plugin with a reason naming
 * the last failure; a success in between starts the count again.
 *
 * @example
 * const breaker = createCircuitBreaker(3);
 * breaker.record("p", failed); breaker.record("p", failed); breaker.record("p", failed);
 * breaker.state("p").disabledReason // "Disabled after 3 failures in a row; the last: timeout (…)."
 */
export function createCircuitBreaker(limit: number, isFailure: (result: InvocationResult) => boolean) {
  const states = new Map<string, BreakerState>();
  const state = (pluginId: string): BreakerState => {
    let found = states.get(pluginId);
    if (found === undefined) states.set(pluginId, (found = { consecutiveFailures: 0 }));
    return found;
  };
  return {
    state,
    /** Count one result; answers the reason when this result tripped the breaker. */
    record(pluginId: string, result: InvocationResult): string | undefined {
      const current = state(pluginId);
      if (!isFailure(result)) {
        current.consecutiveFailures = 0;
        return undefined;
      }
      current.consecutiveFailures += 1;
      if (current.disabledReason !== undefined || current.consecutiveFailures < limit) return undefined;
      const detail = result.error?.message ?? result.outcome;
      current.disabledReason = `Disabled after ${current.consecutiveFailures} failures in a row; the last: ${result.outcome} (${detail})`;
      return current.disabledReason;
    },
    reset(pluginId: string): void {
      states.set(pluginId, { consecutiveFailures: 0 });
    },
    forget(pluginId: string): void {
      states.delete(pluginId);
    },
  };
}

export type CircuitBreaker = ReturnType<typeof createCircuitBreaker>;
