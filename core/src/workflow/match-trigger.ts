import { CRON_CATCH_UP_MS } from "../plugins/latest-cron-minute.ts";
import type { CompiledWorkflow } from "./compile-workflow.ts";
import { dueMoment } from "./due-moment.ts";

/** A committed record change, as the trigger outbox holds it. */
export interface RecordChangeEvent {
  type: "created" | "updated" | "deleted";
  entity: string;
  /** The record after the change (absent on delete). */
  record?: Record<string, unknown> | null;
  /** The record before the change (absent on create). */
  previous?: Record<string, unknown> | null;
}

/** What an expression evaluation needs besides the record (clock, time zone, variables). */
export interface TriggerContext {
  now: Date | number;
  timeZone?: string;
  variables?: Record<string, unknown>;
  /** Related records for conditions that read through relations (see EvaluationContext.lookup). */
  lookup?: (entity: string, id: string) => Readonly<Record<string, unknown>> | null | undefined;
}

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}

/**
 * Whether a record change starts the workflow: the trigger's type and entity, its fields or
 * from → to values (for `dateRelative`: the record's moment has come, at most a week ago, so a
 * record created or changed with a moment already past fires now), then its condition (evaluated on the record, or on the record before for a
 * delete, with `previous` for isChanged). A condition that fails to evaluate does not start it:
 * the answer carries the error so the caller can log it.
 * @example matchTrigger(compiled, { type: "updated", entity: "deal", record, previous }, { now }) // { matches: true }
 */
export function matchTrigger(workflow: CompiledWorkflow, event: RecordChangeEvent, context: TriggerContext): { matches: boolean; error?: string } {
  const { trigger, entity } = workflow.definition;
  if (event.entity !== entity) return { matches: false };
  const record = event.record ?? null;
  const previous = event.previous ?? null;
  switch (trigger.type) {
    case "recordCreated":
      if (event.type !== "created") return { matches: false };
      break;
    case "recordUpdated":
      if (event.type !== "updated") return { matches: false };
      if (trigger.fields && !trigger.fields.some((key) => !sameJson(record?.[key], previous?.[key]))) return { matches: false };
      break;
    case "recordDeleted":
      if (event.type !== "deleted") return { matches: false };
      break;
    case "fieldChanged": {
      if (event.type === "deleted") return { matches: false };
      const before = previous?.[trigger.field] ?? null;
      const after = record?.[trigger.field] ?? null;
      if (sameJson(before, after)) return { matches: false };
      if (trigger.from !== undefined && !sameJson(before, trigger.from)) return { matches: false };
      if (trigger.to !== undefined && !sameJson(after, trigger.to)) return { matches: false };
      break;
    }
    case "dateRelative": {
      if (event.type === "deleted") return { matches: false };
      const moment = dueMoment(trigger, record?.[trigger.field]);
      const now = new Date(context.now).getTime();
      if (moment === undefined || moment > now || moment <= now - CRON_CATCH_UP_MS) return { matches: false };
      break;
    }
    default:
      return { matches: false };
  }
  const condition = workflow.expressions.get("/trigger/condition");
  if (!condition) return { matches: true };
  const subject = event.type === "deleted" ? previous : record;
  const result = condition.evaluate(subject ?? {}, { now: context.now, ...(context.timeZone ? { timeZone: context.timeZone } : {}), ...(context.lookup ? { lookup: context.lookup } : {}), previous: event.type === "deleted" ? null : previous, variables: context.variables ?? {} });
  if (!result.ok) return { matches: false, error: `${result.error.code}: ${result.error.message}` };
  return { matches: result.value === true };
}
