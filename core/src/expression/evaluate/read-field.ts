import type { ResolvedPath } from "../../query/types.ts";
import { spend, type At, type RecordJson } from "../evaluation-state.ts";
import { fault } from "../evaluation-error.ts";
import { T, type ExpressionType } from "../expression-type.ts";
import type { Value } from "../values.ts";
import { decodeValue, referenceId } from "./decode-value.ts";

/**
 * The value at a resolved path of `record`: each manyToOne hop uses the embedded record when the API
 * expanded it, else asks the context's `lookup`. A null link, or a related record that does not
 * exist or is not visible, makes the whole path null.
 */
export function readField(record: RecordJson, path: ResolvedPath, type: ExpressionType, text: string, at: At): Value {
  let current: RecordJson = record;
  for (const hop of path.hops) {
    const link = current[hop.field.key];
    if (link === null || link === undefined) return null;
    if (typeof link === "object" && !Array.isArray(link)) {
      current = link as RecordJson;
      continue;
    }
    const id = referenceId(link);
    if (id === undefined) fault("INVALID_RECORD_VALUE", `${hop.field.key} (on ${hop.from.key}) holds ${JSON.stringify(link)?.slice(0, 60)}, not a record id`, at.span);
    const lookup = at.state.context.lookup;
    if (!lookup) fault("INVALID_CONTEXT", `reading ${text} needs related ${hop.to.key} records, but the evaluation context has no lookup`, at.span);
    spend(at);
    let related: RecordJson | null | undefined;
    try {
      related = lookup(hop.to.key, id);
    } catch (error) {
      fault("INVALID_CONTEXT", `the lookup of ${hop.to.key} ${id} failed: ${error instanceof Error ? error.message : String(error)}`, at.span);
    }
    if (related === null || related === undefined) return null;
    current = related;
  }
  const raw = current[path.field.key];
  if (path.part && raw !== null && raw !== undefined) {
    // Not an object: decoding it as an amount reports the bad value.
    if (typeof raw !== "object") return decodeValue(raw, T.currency, text, at);
    return decodeValue((raw as Record<string, unknown>)[path.part], type, text, at);
  }
  return decodeValue(raw, type, text, at);
}
