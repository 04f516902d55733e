import { OWNER_FIELD, toFieldValue, type EntityDefinition, type FieldDefinition } from "@crm/core";
import type { RecordJson, StepContext } from "../step-context.ts";
import { StepFailed } from "./step-failed.ts";

/**
 * Evaluate a step's `values` (field key → expression at `<pointer>/values/<key>`) on `record` and
 * turn each result into the field's JSON; a value that does not fit fails the step.
 */
export async function fieldValues(context: StepContext, target: EntityDefinition, values: Record<string, string>, record: RecordJson | null): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(values)) {
    const pointer = `${context.pointer}/values/${key}`;
    const value = await context.evaluate(pointer, record);
    if (key === OWNER_FIELD) {
      out[key] = value === null ? null : String(value);
      continue;
    }
    const field = target.fields.find((f) => f.key === key) as FieldDefinition;
    const converted = toFieldValue(value, field, pointer);
    if (!converted.ok) throw StepFailed(`The value for "${key}" does not fit the field.`, { issues: converted.issues });
    out[key] = converted.value;
  }
  return out;
}
