import { compileWorkflow, isUuid, type CompiledWorkflow, type DryRunReport as CoreDryRunReport, type Issue } from "@crm/core";
import type { AccessService } from "../access/index.ts";
import type { Approvals } from "../approvals/create-approvals.ts";
import type { Database, Queryable } from "../db/database.ts";
import { AppError, ValidationFailed } from "../errors.ts";
import type { Logger } from "../logger.ts";
import type { Notifications } from "../notifications/create-notifications.ts";
import { boundToTransaction } from "../plugins/create-host-api.ts";
import type { EntityRegistry } from "../services/entity-registry.ts";
import { createRecordReads } from "../services/record-reads.ts";
import { createEffectRecorder, type EffectRecorder, type RecordedEffect } from "./effect-recorder.ts";
import { defaultExecutors } from "./executors/default-executors.ts";
import { runtimeExecutors } from "./executors/runtime-executors.ts";
import type { JobQueue } from "./job-queue.ts";
import { createRunEngine, type Clock } from "./run-engine.ts";
import { createRunLog, type StepExecutionView } from "./run-log.ts";
import type { RunStatus } from "./run-row.ts";
import type { RecordJson, RunTrigger, StepExecutor } from "./step-context.ts";
import { createTriggerDispatcher } from "./trigger-dispatcher.ts";
import { workflowCaller } from "./workflow-caller.ts";
import { WorkflowInvalid } from "./workflow-errors.ts";
import type { WorkflowStore, WorkflowVersion } from "./workflow-store.ts";

/** What a dry run found: the run's end (or where it would pause) and every step with its recorded effects. */
export type DryRunReport = CoreDryRunReport<RecordedEffect>;

interface DryRunRequest {
  recordId: string;
  version?: number;
  definition?: unknown;
  inputs?: Record<string, unknown>;
}

const ROLLBACK = Symbol("dry run");
/** Jobs (of up to 200 steps each) one dry run executes at most; a longer run is reported where it stopped. */
const MAX_ROUNDS = 5;
const isObject = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === "object" && !Array.isArray(value);

function readRequest(body: unknown): DryRunRequest {
  const issues: Issue[] = [];
  if (!isObject(body)) throw ValidationFailed("Send { recordId, version?, definition?, inputs? }.", { issues: [{ code: "INVALID_TYPE", pointer: "", message: "Expected an object." }] });
  const { recordId, version, definition, inputs } = body;
  if (typeof recordId !== "string" || !isUuid(recordId)) issues.push({ code: "INVALID_VALUE", pointer: "/recordId", message: "Expected the id (UUID) of the record to run on." });
  if (version !== undefined && (typeof version !== "number" || !Number.isSafeInteger(version) || version < 1)) issues.push({ code: "INVALID_VALUE", pointer: "/version", message: "Expected a positive integer." });
  if (definition !== undefined && !isObject(definition)) issues.push({ code: "INVALID_TYPE", pointer: "/definition", message: "Expected a workflow definition (an object)." });
  if (definition !== undefined && version !== undefined) issues.push({ code: "CONFLICT", pointer: "/version", message: "Send a version or an unsaved definition, not both." });
  if (inputs !== undefined && !isObject(inputs)) issues.push({ code: "INVALID_TYPE", pointer: "/inputs", message: "Expected an object of trigger inputs." });
  for (const key of Object.keys(body)) if (!["recordId", "version", "definition", "inputs"].includes(key)) issues.push({ code: "UNKNOWN_PROPERTY", pointer: `/${key}`, message: "Not a dry-run parameter." });
  if (issues.length) throw ValidationFailed("The dry run request has problems; see issues.", { issues });
  return { recordId: recordId as string, ...(version === undefined ? {} : { version: version as number }), ...(definition === undefined ? {} : { definition }), ...(inputs === undefined ? {} : { inputs: inputs as Record<string, unknown> }) };
}

const EVENT_OF: Record<string, RunTrigger["type"]> = { recordCreated: "created", recordDeleted: "deleted" };

/** A job queue that queues nothing: it remembers what the engine asked for. */
function recordingJobs(): JobQueue & { sent: Array<{ runId: string; startAfter: Date | undefined }> } {
  const sent: Array<{ runId: string; startAfter: Date | undefined }> = [];
  return { sent, send: async (runId, options) => void sent.push({ runId, startAfter: options?.startAfter }), work: async () => {}, start: async () => {}, stop: async () => {} };
}

/** runPluginAction in a dry run: plugin code is not run (it may call out, and its host logs and counts invocations); the step says what it would run. */
function dryPluginAction(recorder: EffectRecorder): StepExecutor {
  return async (context) => {
    if (context.step.type !== "runPluginAction") throw new Error("dryPluginAction runs runPluginAction steps");
    const effect = { kind: "pluginAction" as const, plugin: context.step.plugin, action: context.step.action, entity: context.record?.entity ?? null, id: context.record?.id ?? null };
    recorder.add(effect);
    return { move: { kind: "next" }, input: effect, output: { dryRun: true, note: "A dry run does not run plugin code." } };
  };
}

/**
 * Dry runs: a workflow version (or an unsaved definition) runs on a live record through the same
 * engine and executors, inside one transaction that is rolled back, so nothing it does stays: no run,
 * history, record change, notification, email or approval row, no job (the queue only remembers),
 * no outbox row (record writes go to a recorder, not to the workflow or webhook outbox), no HTTP call
 * (recorded and answered 200 `{}`), no plugin code. Waits and approvals report where the run would
 * pause. Everything the transaction needs is loaded before it opens (the compiled version, the
 * identity's subject), so on PGlite's single connection nothing waits for the handle it holds.
 */
export function createDryRun(deps: { db: Database; logger: Logger; registry: EntityRegistry; access: AccessService; store: WorkflowStore; notifications: Notifications; approvals: Approvals; http: { allowedHosts: readonly string[]; secret: string | undefined }; clock?: Clock }) {
  const clock = deps.clock ?? { now: () => new Date() };

  async function versionToRun(workflowId: string, request: DryRunRequest, requestedBy: string | null): Promise<WorkflowVersion & { version: number | null }> {
    if (request.definition !== undefined) {
      const result = compileWorkflow({ ...(request.definition as object), id: workflowId }, deps.registry.definitions());
      if (!result.ok) throw WorkflowInvalid("The unsaved definition has problems; see issues.", { issues: result.issues.map((i) => ({ ...i, pointer: `/definition${i.pointer}` })) });
      return { compiled: result.value, actAs: result.value.definition.runAs?.userId ?? requestedBy, version: null };
    }
    const version = request.version ?? (await deps.store.get(workflowId)).version;
    try {
      return { ...(await deps.store.version(workflowId, version)), version };
    } catch (error) {
      if (error instanceof AppError && error.status === 404 && request.version !== undefined) throw ValidationFailed(`Workflow "${workflowId}" has no version ${version}.`, { issues: [{ code: "UNKNOWN_VERSION", pointer: "/version", message: "No such version." }] });
      throw error;
    }
  }

  return async function dryRun(workflowId: string, body: unknown, requestedBy: string | null): Promise<DryRunReport> {
    const request = readRequest(body);
    const { compiled, actAs, version } = await versionToRun(workflowId, request, requestedBy);
    if (!actAs) throw ValidationFailed("The workflow has no identity to act as (runAs, or the administrator who saved it).", { issues: [{ code: "NO_IDENTITY", pointer: "/definition/runAs", message: "Declare runAs." }] });
    // Resolved now: inside the transaction the access service must not load it through the database handle.
    const subject = (await workflowCaller({ db: deps.db, access: deps.access }, "dry-run", actAs)).subject;
    const access: AccessService = { ...deps.access, subject: async () => subject };
    let report: DryRunReport | undefined;
    await deps.db
      .transaction(async (tx) => {
        report = await runInside(tx, { compiled, actAs, version, request, access });
        throw ROLLBACK;
      })
      .catch((error: unknown) => {
        if (error !== ROLLBACK) throw error;
      });
    return report!;
  };

  async function runInside(tx: Queryable, given: { compiled: CompiledWorkflow; actAs: string; version: number | null; request: DryRunRequest; access: AccessService }): Promise<DryRunReport> {
    const { compiled, request } = given;
    const db = boundToTransaction(deps.db, tx);
    const definition = compiled.definition;
    const recorder = createEffectRecorder();
    const jobs = recordingJobs();
    // The engine and startRun only read versions: this one, loaded before the transaction opened.
    const store = { version: async () => ({ compiled, actAs: given.actAs }) } as Pick<WorkflowStore, "version"> as WorkflowStore;
    const caller = await workflowCaller({ db, access: given.access }, "dry-run", given.actAs);
    let record: RecordJson;
    try {
      record = JSON.parse((await createRecordReads({ db, registry: deps.registry }).get(definition.entity, request.recordId, new URLSearchParams(), caller)).json) as RecordJson;
    } catch (error) {
      if (error instanceof AppError && error.status === 404) throw ValidationFailed(`There is no ${definition.entity} record with this id that the workflow's identity can read.`, { issues: [{ code: "UNKNOWN_RECORD", pointer: "/recordId", message: `No ${definition.entity} record with this id is visible to the workflow's identity.` }] });
      throw error;
    }
    const type = EVENT_OF[definition.trigger.type] ?? "updated";
    const trigger: RunTrigger & { inputs?: Record<string, unknown> } = { type, entity: definition.entity, recordId: record.id, record: type === "deleted" ? null : record, previous: type === "created" ? null : record, ...(request.inputs ? { inputs: request.inputs, variables: request.inputs } : {}) };
    const executors = recorder.wrap({
      ...defaultExecutors(),
      ...runtimeExecutors({ notifications: recorder.notifications(deps.notifications), approvals: recorder.approvals(deps.approvals), request: recorder.request, http: deps.http, plugins: () => undefined }),
      runPluginAction: dryPluginAction(recorder),
    });
    const common = { db, logger: deps.logger, registry: deps.registry, access: given.access, store, jobs, clock };
    const engine = createRunEngine({ ...common, executors, events: recorder.events, retry: { maxAttempts: 1, backoffMs: 0 } });
    const dispatcher = createTriggerDispatcher({ ...common, pollMs: 60_000, shouldPoll: () => false });
    const runId = (await dispatcher.startRun(tx, { id: definition.id, version: given.version ?? 0 }, trigger, 0, null))!;
    for (let round = 0; round < MAX_ROUNDS; round++) {
      const due = jobs.sent.splice(0).some((job) => job.startAfter === undefined);
      if (!due) break;
      await engine.advance(runId);
    }
    const run = await createRunLog({ db: tx, jobs, transaction: (fn) => fn(tx) }).get(runId);
    return { dryRun: true, workflowId: definition.id, version: given.version, record: { entity: definition.entity, id: record.id }, status: run.status, error: run.error, pausedAt: pausedAt(run, compiled), steps: withEffects(run.steps, recorder) };
  }
}

function pausedAt(run: { status: RunStatus; resumeAt: string | null; steps: StepExecutionView[] }, compiled: CompiledWorkflow): DryRunReport["pausedAt"] {
  const last = run.steps.at(-1);
  if (!last || (run.status !== "waiting" && run.status !== "retrying")) return null;
  const type = compiled.steps.get(last.stepId)?.step.type ?? last.type;
  return { stepId: last.stepId, type, reason: run.status === "retrying" ? "retry" : type === "approval" ? "approval" : "wait", until: run.resumeAt };
}

/** Each step execution with the effects of its executor call (calls and executions come in the same order). */
function withEffects(steps: StepExecutionView[], recorder: EffectRecorder): DryRunReport["steps"] {
  const calls = recorder.calls();
  const effects = recorder.all();
  let next = 0;
  return steps.map(({ id: _id, startedAt: _at, ...step }) => {
    const call = calls[next]?.stepId === step.stepId ? calls[next++] : undefined;
    return { ...step, effects: call ? effects.filter((e) => e.invocation === call.invocation) : [] };
  });
}

export type DryRun = ReturnType<typeof createDryRun>;
