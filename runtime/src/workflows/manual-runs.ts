import { checkTriggerInputs, isUuid, type Issue, type TriggerInput, type WorkflowTrigger } from "@crm/core";
import type { Database, Queryable } from "../db/database.ts";
import { RecordNotFound, ValidationFailed } from "../errors.ts";
import type { Caller } from "../services/caller.ts";
import type { EntityRegistry } from "../services/entity-registry.ts";
import { createRecordReads } from "../services/record-reads.ts";
import { findRunByTriggerKey } from "./run-row.ts";
import type { TriggerDispatcher } from "./trigger-dispatcher.ts";
import { WorkflowNotFound, WorkflowNotStartable } from "./workflow-errors.ts";
import type { WorkflowStore } from "./workflow-store.ts";

type ManualTrigger = Extract<WorkflowTrigger, { type: "manual" }>;

/** A manual workflow as a button: what the studio shows and asks for. */
export interface ManualWorkflowView {
  id: string;
  name: string;
  description: string | null;
  entity: string;
  selection: "one" | "many";
  inputs: TriggerInput[];
}

/** Records one manual request may start runs on (a list selection). */
export const MAX_MANUAL_RECORDS = 200;
/** Ids per permission query (the list filter's length limit). */
const IDS_PER_QUERY = 50;

/**
 * Manual triggers: the enabled manual workflows of an entity (buttons), and starting one on records
 * the caller may read (checked by the list query as the caller, in SQL), with inputs checked against
 * the trigger's declared ones. Runs act as the workflow's identity, like every run; the trigger
 * records who started them. An idempotency key makes a repeated request answer the runs it started.
 */
export function createManualRuns(deps: { db: Database; registry: EntityRegistry; store: WorkflowStore; dispatcher: TriggerDispatcher }) {
  const { db } = deps;
  const reads = createRecordReads({ db, registry: deps.registry });

  async function manualVersion(id: string, q: Queryable = db) {
    const [row] = await q.query<{ version: number; enabled: boolean }>(`select current_version as version, enabled from workflows where id = $1`, [id]);
    if (!row) throw WorkflowNotFound(`There is no workflow with id "${id.slice(0, 100)}".`);
    const { compiled } = await deps.store.version(id, row.version, q);
    const trigger = compiled.definition.trigger;
    if (trigger.type !== "manual") throw WorkflowNotStartable(`Workflow "${id}" starts on ${trigger.type}, not by hand.`);
    if (!row.enabled) throw WorkflowNotStartable(`Workflow "${id}" is disabled.`);
    return { version: row.version, definition: compiled.definition, trigger };
  }

  /** The ids among `ids` the caller may read (a 403 when the entity is out of reach). */
  async function readable(entity: string, ids: readonly string[], caller: Caller): Promise<Set<string>> {
    const found = new Set<string>();
    for (let i = 0; i < ids.length; i += IDS_PER_QUERY) {
      const chunk = ids.slice(i, i + IDS_PER_QUERY);
      const params = new URLSearchParams({ filter: `id:in:(${chunk.join(",")})`, fields: "id", limit: String(IDS_PER_QUERY) });
      const page = JSON.parse((await reads.list(entity, params, caller)).json) as { items: Array<{ id: string }> };
      for (const item of page.items) found.add(item.id);
    }
    return found;
  }

  function checkRequest(trigger: ManualTrigger, body: unknown): { recordIds: string[]; inputs: Record<string, unknown> } {
    const issues: Issue[] = [];
    const object = body !== null && typeof body === "object" && !Array.isArray(body) ? (body as Record<string, unknown>) : undefined;
    if (!object) throw ValidationFailed("The body must be a JSON object with recordIds (and inputs).", { issues: [{ code: "INVALID_TYPE", pointer: "", message: "Expected a JSON object." }] });
    for (const key of Object.keys(object)) if (key !== "recordIds" && key !== "inputs") issues.push({ code: "UNKNOWN_PROPERTY", pointer: `/${key.slice(0, 100)}`, message: "Expected recordIds and inputs only." });
    const max = trigger.selection === "many" ? MAX_MANUAL_RECORDS : 1;
    const ids = object.recordIds;
    if (!Array.isArray(ids) || ids.length === 0 || ids.length > max) {
      issues.push({ code: "INVALID_VALUE", pointer: "/recordIds", message: max === 1 ? "Expected an array of one record id (this workflow runs on one record)." : `Expected an array of 1 to ${max} record ids.` });
    } else {
      ids.forEach((id, i) => {
        if (typeof id !== "string" || !isUuid(id)) issues.push({ code: "INVALID_VALUE", pointer: `/recordIds/${i}`, message: "Expected a record id (UUID)." });
        else if (ids.indexOf(id) !== i) issues.push({ code: "DUPLICATE", pointer: `/recordIds/${i}`, message: "This id is listed already." });
      });
    }
    const inputs = checkTriggerInputs(trigger.inputs ?? [], object.inputs, "/inputs");
    if (!inputs.ok) issues.push(...inputs.issues);
    if (issues.length || !inputs.ok) throw ValidationFailed("The request to run the workflow has problems; see issues.", { issues });
    return { recordIds: ids as string[], inputs: inputs.value };
  }

  return {
    /** Enabled manual workflows on `entity`, for a caller who may read its records (none otherwise). */
    async list(entity: string, caller: Caller): Promise<ManualWorkflowView[]> {
      const live = deps.registry.find(entity);
      if (!live || (!caller.admin && !caller.policy?.canRead(live.definition))) return [];
      const rows = await db.query<{ id: string; version: number }>(`select id, current_version as version from workflows where enabled and entity = $1 order by id`, [entity]);
      const views: ManualWorkflowView[] = [];
      for (const row of rows) {
        const { definition } = (await deps.store.version(row.id, row.version)).compiled;
        const trigger = definition.trigger;
        if (trigger.type !== "manual") continue;
        views.push({ id: row.id, name: definition.name, description: definition.description ?? null, entity, selection: trigger.selection ?? "one", inputs: trigger.inputs ?? [] });
      }
      return views;
    },

    /** Start the workflow on each record (one run each, in one transaction); answers the runs. */
    async start(workflowId: string, body: unknown, caller: Caller, idempotencyKey?: string): Promise<{ runs: Array<{ id: string; recordId: string }> }> {
      const { version, definition, trigger } = await manualVersion(workflowId);
      const { recordIds, inputs } = checkRequest(trigger, body);
      const found = await readable(definition.entity, recordIds, caller);
      const missing: Issue[] = recordIds.flatMap((id, i) => (found.has(id) ? [] : [{ code: "RECORD_NOT_FOUND", pointer: `/recordIds/${i}`, message: `There is no ${definition.entity} record with this id that you may read.` }]));
      if (missing.length) throw RecordNotFound(`${missing.length} of the records do not exist or are out of your reach; see issues.`, { issues: missing });
      const runs = await db.transaction(async (tx) => {
        const started: Array<{ id: string; recordId: string }> = [];
        for (const recordId of recordIds) {
          const key = idempotencyKey === undefined ? null : `manual:${idempotencyKey}:${recordId}`;
          const event = { type: "manual", entity: definition.entity, recordId, startedBy: caller.userId ?? undefined, variables: inputs };
          const id = (await deps.dispatcher.startRun(tx, { id: workflowId, version }, event, 0, null, key)) ?? (key ? await findRunByTriggerKey(tx, workflowId, key) : undefined);
          if (id) started.push({ id, recordId });
        }
        return started;
      });
      return { runs };
    },
  };
}

export type ManualRuns = ReturnType<typeof createManualRuns>;
