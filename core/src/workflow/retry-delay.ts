import type { WorkflowStep } from "./types.ts";

/** Attempts and first backoff of a step without its own `retry`. */
export const DEFAULT_RETRY = { maxAttempts: 3, backoffMs: 1000 } as const;

/**
 * How long to wait before the next attempt of a step that failed `attempt` times (exponential:
 * backoffMs × 2^(attempt−1), at most an hour), or undefined when it has no attempt left.
 * @example retryDelayMs({ id: "a", type: "stop", outcome: "success", retry: { maxAttempts: 3, backoffMs: 100 } }, 2) // 200
 */
export function retryDelayMs(step: WorkflowStep, attempt: number, defaults: { maxAttempts: number; backoffMs: number } = DEFAULT_RETRY): number | undefined {
  const maxAttempts = step.retry?.maxAttempts ?? defaults.maxAttempts;
  if (attempt >= maxAttempts) return undefined;
  const base = step.retry?.backoffMs ?? defaults.backoffMs;
  return Math.min(base * 2 ** (attempt - 1), 3_600_000);
}
