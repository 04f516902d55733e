import type { Issue } from "@crm/core";

export interface FieldErrors {
  /** The first message per field key. */
  byField: Record<string, string>;
  /** Issues that point at no field (the whole record, or a field not on the form). */
  general: string[];
}

function unescape(token: string): string {
  return token.replace(/~1/g, "/").replace(/~0/g, "~");
}

/**
 * Issues mapped onto the form by their JSON Pointer's first token (`/amount/currency` → `amount`),
 * from the core validator or from a 422 of the API alike.
 * @example fieldErrors([{ code: "TOO_SHORT", pointer: "/name", message: "…" }], ["name"]).byField // { name: "…" }
 */
export function fieldErrors(issues: readonly Issue[], fields: readonly string[]): FieldErrors {
  const known = new Set(fields);
  const result: FieldErrors = { byField: {}, general: [] };
  for (const issue of issues) {
    const key = issue.pointer.startsWith("/") ? unescape(issue.pointer.slice(1).split("/")[0]!) : undefined;
    if (key !== undefined && known.has(key)) result.byField[key] ??= issue.message;
    else result.general.push(issue.message);
  }
  return result;
}
