import { AppError, ConcurrentChange, SchemaBusy, SchemaChanged } from "../errors.ts";

/** The SQLSTATE of a database error, looking through drizzle's wrapper. */
export function sqlState(error: unknown): string | undefined {
  for (let e: unknown = error, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string" && /^[0-9A-Z]{5}$/.test(code)) return code;
  }
  return undefined;
}

/**
 * The one place that turns database errors into catalogue errors. Unknown ones pass through unchanged
 * (and become a logged 500): they are our bugs, not the caller's.
 */
export function translateDatabaseError(error: unknown): unknown {
  if (error instanceof AppError) return error;
  const state = sqlState(error);
  switch (state) {
    case "55P03": // lock_not_available (lock_timeout)
      return SchemaBusy("The table is in use by other work and the schema change could not lock it in time. Retry shortly.", {
        headers: { "retry-after": "1" },
        extra: { retryable: true },
        cause: error,
      });
    case "40001": // serialization_failure
    case "40P01": // deadlock_detected
      return ConcurrentChange("Another change touched the same data at the same time. Retry the request.", {
        headers: { "retry-after": "1" },
        extra: { retryable: true },
        cause: error,
      });
    case "42703": // undefined_column
    case "42P01": // undefined_table
      // Only our own generated SQL names columns and tables: it raced a schema change made by another process.
      return SchemaChanged("The entity's schema changed while the request ran. Retry the request.", {
        headers: { "retry-after": "1" },
        extra: { retryable: true },
        cause: error,
      });
    default:
      return error;
  }
}
