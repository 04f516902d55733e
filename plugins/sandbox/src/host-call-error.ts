/**
 * An error a host call reports back into the plugin: a stable code and a message, never a stack
 * or anything else of the host's.
 */
export class HostCallError extends Error {
  override name = "HostCallError";
  readonly code: string;

  constructor(code: string, message: string) {
    super(message);
    this.code = code;
  }
}

/** A failed host call as it travels: JSON, with the budget when one ran out. */
export interface HostCallFailure {
  name: string;
  code: string;
  message: string;
  budget?: string;
}

/**
 * What of a host error may reach plugin code. Errors with a code (HostCallError, the runtime's
 * catalogue errors) are meant for it; anything else is the host's business, so the plugin learns
 * only that the call failed.
 * @example toHostCallFailure(new Error("connect ECONNREFUSED 10.0.0.5:5432")) // { name: "HostCallError", code: "HOST_ERROR", message: "The host call failed." }
 */
export function toHostCallFailure(error: unknown): HostCallFailure {
  const e = (typeof error === "object" && error !== null ? error : {}) as { name?: unknown; code?: unknown; message?: unknown; budget?: unknown };
  if (typeof e.code !== "string" || typeof e.message !== "string") return { name: "HostCallError", code: "HOST_ERROR", message: "The host call failed." };
  return {
    name: typeof e.name === "string" ? e.name : "HostCallError",
    code: e.code,
    message: e.message,
    ...(typeof e.budget === "string" ? { budget: e.budget } : {}),
  };
}

/**
 * Rebuild a failure that travelled as JSON into an error to throw.
 * @example throw fromHostCallFailure({ name: "HostCallError", code: "URL_NOT_ALLOWED", message: "…" })
 */
export function fromHostCallFailure(failure: HostCallFailure): HostCallError {
  const error = new HostCallError(failure.code, failure.message);
  error.name = failure.name;
  return error;
}
