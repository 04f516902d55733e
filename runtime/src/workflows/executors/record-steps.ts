import { Money, type Value } from "@crm/core";
import type { RecordJson, StepContext, StepExecutor } from "../step-context.ts";
import { fieldValues } from "./field-values.ts";
import { StepFailed } from "./step-failed.ts";

function entityOf(context: StepContext, key: string) {
  const entity = context.entity(key);
  if (!entity) throw StepFailed(`There is no entity with key "${key}" any more.`);
  return entity;
}

async function current(context: StepContext): Promise<RecordJson> {
  const record = await context.loadRecord();
  if (!record || !context.record) throw StepFailed("The record this step acts on does not exist or is not visible to the workflow's identity.");
  return record;
}

/** updateRecord: sets fields of the current record through the record service, as the workflow's identity. */
export const updateRecordStep: StepExecutor = async (context) => {
  if (context.step.type !== "updateRecord") throw new Error("updateRecordStep runs updateRecord steps");
  const record = await current(context);
  const ref = context.record!;
  const changes = await fieldValues(context, entityOf(context, ref.entity), context.step.values, record);
  const updated = await context.writes.update(ref.entity, ref.id, changes, context.caller);
  return { move: { kind: "next" }, input: { entity: ref.entity, id: ref.id, changes }, output: { id: updated.id, version: updated.version } };
};

/** createRecord: creates a record of `entity` with values computed on the current record. */
export const createRecordStep: StepExecutor = async (context) => {
  if (context.step.type !== "createRecord") throw new Error("createRecordStep runs createRecord steps");
  const record = context.record ? await current(context) : null;
  const values = await fieldValues(context, entityOf(context, context.step.entity), context.step.values, record);
  const response = await context.writes.create(context.step.entity, values, context.caller, { idempotencyKey: context.idempotencyKey });
  const body = (response.body ?? (response.json ? JSON.parse(response.json) : {})) as { id?: string; version?: number };
  return { move: { kind: "next" }, input: { entity: context.step.entity, values }, output: { entity: context.step.entity, id: body.id, version: body.version } };
};

/** findRecords: finds records with the record service (the identity's scope) and loops its steps over them. */
export const findRecordsStep: StepExecutor = async (context) => {
  if (context.step.type !== "findRecords") throw new Error("findRecordsStep runs findRecords steps");
  const step = context.step;
  const record = context.record ? await current(context) : null;
  const params = new URLSearchParams({ limit: String(step.limit ?? 50), fields: "id" });
  if (step.sort) params.set("sort", step.sort);
  const where: Array<{ field: string; op: string; value: string | null }> = [];
  let none = false;
  for (const [i, condition] of (step.where ?? []).entries()) {
    const value = await context.evaluate(`${context.pointer}/where/${i}/value`, record);
    if (value === null) {
      // Equality with null is "is empty"; ordering with null holds for no record.
      where.push({ field: condition.field, op: condition.op, value: null });
      if (condition.op === "eq" || condition.op === "ne") params.append("filter", `${condition.field}:isNull${condition.op === "ne" ? ":false" : ""}`);
      else none = true;
      continue;
    }
    const text = toFilterText(value);
    where.push({ field: condition.field, op: condition.op, value: text });
    params.append("filter", `${condition.field}:${condition.op}:"${text.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`);
  }
  if (none) return { move: { kind: "next" }, input: { entity: step.entity, where }, output: { count: 0, ids: [] } };
  const page = JSON.parse((await context.reads.list(step.entity, params, context.caller)).json) as { items: Array<{ id: string }> };
  const ids = page.items.map((item) => item.id);
  return { move: { kind: "loop", list: "steps", entity: step.entity, ids }, input: { entity: step.entity, where, limit: step.limit ?? 50 }, output: { count: ids.length, ids } };
};

/** A value as filter text: numbers in plain notation, dates ISO, amounts by their number. */
function toFilterText(value: Value): string {
  if (value instanceof Money) return value.amount.toString();
  if (Array.isArray(value)) throw StepFailed("A find condition compares with one value, not a list.");
  return String(value);
}
