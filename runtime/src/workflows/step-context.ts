import type { CompiledWorkflow, Cursor, EntityDefinition, RecordRef, StepMove, Value, WorkflowStep } from "@crm/core";
import type { Queryable } from "../db/database.ts";
import type { Caller } from "../services/caller.ts";
import type { RecordReads } from "../services/record-reads.ts";
import type { RecordWrites } from "../services/record-writes.ts";

export type RecordJson = Record<string, unknown> & { id: string };

/** What started a run, as stored on it: a record change (`created`…), or `schedule`, `dateRelative`, `manual`, `webhook`. */
export interface RunTrigger {
  type: string;
  entity: string;
  recordId: string | null;
  record?: RecordJson | null;
  previous?: RecordJson | null;
  /** The minute a schedule fired for, or the moment a date-relative trigger came due (ISO). */
  at?: string;
  /** Who started a manual run. */
  startedBy?: string;
  /** `$name` values of the run's expressions: manual inputs, a webhook's declared inputs and `payload`. */
  variables?: Record<string, unknown>;
}

/** Everything a step executor may use; record services are bound to the step's transaction. */
export interface StepContext {
  step: WorkflowStep;
  /** JSON Pointer of the step in the run's version. */
  pointer: string;
  run: { id: string; workflowId: string; version: number; depth: number; attempt: number; cursor: Cursor };
  workflow: CompiledWorkflow;
  /** The record steps act on here: a findRecords loop's current record, else the trigger's. */
  record: RecordRef | null;
  trigger: RunTrigger;
  /** The workflow's declared identity, named in history as the run. */
  caller: Caller;
  tx: Queryable;
  reads: RecordReads;
  writes: RecordWrites;
  /** The injected clock's time when the step started. */
  now: Date;
  /** Stable for this step of this run (and loop record): give it to effects outside the database. */
  idempotencyKey: string;
  /** A live entity definition by key. */
  entity(key: string): EntityDefinition | undefined;
  /** The current record as the identity sees it (the deleted record of a delete trigger), or null. */
  loadRecord(): Promise<RecordJson | null>;
  /** Evaluate the expression at `pointer` on a record (default: the current one); a failure throws StepFailed. */
  evaluate(pointer: string, record?: RecordJson | null): Promise<Value>;
}

/** What a step did: where the run goes next, and what to keep in the step's execution record. */
export interface StepResult {
  move: StepMove;
  input?: unknown;
  output?: unknown;
  /** With `move: stop`: the run ends with this outcome (default success). */
  outcome?: { status: "succeeded" | "failed"; message?: string };
  /**
   * The run waits at this step (`move` is ignored): until the date, when the step runs again, or, with
   * `until: null`, until something queues the run (an approval's decision). The step is executed again
   * on resume and decides then whether to move on.
   */
  wait?: { until: Date | null };
}

/** Runs one type of step. Register more in the engine's executor registry. */
export type StepExecutor = (context: StepContext) => Promise<StepResult>;
