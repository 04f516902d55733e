import { OWNER_FIELD, type Value } from "@crm/core";
import { pickAssignee } from "../../assignment/pick-assignee.ts";
import { resolvePeople } from "../../notifications/resolve-people.ts";
import type { Notifications } from "../../notifications/create-notifications.ts";
import type { RecordJson, StepContext, StepExecutor } from "../step-context.ts";
import { StepFailed } from "./step-failed.ts";

/** An expression's value as message text (null: empty). */
function asText(value: Value): string {
  if (value === null || value === undefined) return "";
  return Array.isArray(value) ? value.map(String).join(", ") : String(value);
}

async function recordOrNull(context: StepContext): Promise<RecordJson | null> {
  return context.record ? await context.loadRecord() : null;
}

const ownerOf = (record: RecordJson | null): string | null => (typeof record?.[OWNER_FIELD] === "string" ? (record[OWNER_FIELD] as string) : null);

/**
 * notify: the recipients (users, roles, teams, departments, the record's owner or the owner's
 * manager; active users only) get the message in-app and/or by email, written in the step's
 * transaction and de-duplicated by the step's idempotency key, so a retried step notifies once.
 */
export function notifyStep(notifications: Notifications): StepExecutor {
  return async (context) => {
    if (context.step.type !== "notify") throw new Error("notifyStep runs notify steps");
    const step = context.step;
    const record = await recordOrNull(context);
    const recipients = await resolvePeople(context.tx, step.recipients, { ownerId: ownerOf(record) });
    const subject = asText(await context.evaluate(`${context.pointer}/subject`, record));
    const body = step.body === undefined ? null : asText(await context.evaluate(`${context.pointer}/body`, record));
    const channels = step.channels ?? ["inApp"];
    const sent = await notifications.send(context.tx, {
      recipients,
      subject: subject || "(no subject)",
      body,
      link: context.record ? { entity: context.record.entity, recordId: context.record.id } : null,
      channels,
      source: { kind: "workflow", id: context.run.id },
      dedupeKey: context.idempotencyKey,
    });
    return { move: { kind: "next" }, input: { recipients, channels, subject }, output: sent };
  };
}

/**
 * assignOwner: gives the current record an owner through the record service, as the workflow's
 * identity (which needs the transfer permission): `rules` takes the first rule whose condition holds;
 * `roundRobin` and `loadBalanced` choose from the pool (see `pickAssignee`; the rotation is per
 * workflow and step). Nobody to choose fails the step.
 */
export const assignOwnerStep: StepExecutor = async (context) => {
  if (context.step.type !== "assignOwner") throw new Error("assignOwnerStep runs assignOwner steps");
  const step = context.step;
  const ref = context.record;
  const record = await recordOrNull(context);
  if (!ref || !record) throw StepFailed("The record to assign does not exist or is not visible to the workflow's identity.");
  let chosen: string | null = null;
  let candidates: string[] = [];
  if (step.strategy === "rules") {
    for (const [i, rule] of (step.rules ?? []).entries()) {
      if ((await context.evaluate(`${context.pointer}/rules/${i}/when`, record)) === true) {
        chosen = rule.userId;
        break;
      }
    }
  } else {
    candidates = await resolvePeople(context.tx, step.pool ?? {}, { ownerId: ownerOf(record) });
    const entity = context.entity(ref.entity);
    chosen = await pickAssignee(context.tx, {
      key: `workflow:${context.run.workflowId}:${step.id}`,
      candidates,
      strategy: step.strategy,
      ...(entity ? { entity, entities: [entity] } : {}),
      ...(step.openFilter ? { openFilter: step.openFilter } : {}),
    });
  }
  if (!chosen) throw StepFailed(step.strategy === "rules" ? "No assignment rule matched this record." : "The pool names no active user to assign.");
  const updated = await context.writes.update(ref.entity, ref.id, { [OWNER_FIELD]: chosen }, context.caller);
  return { move: { kind: "next" }, input: { strategy: step.strategy, candidates }, output: { ownerId: chosen, version: updated.version } };
};
