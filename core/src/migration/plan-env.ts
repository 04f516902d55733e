import type { EntityDefinition, FieldDefinition, OnDelete } from "../definition/types.ts";
import type { PlannedStep } from "./planned-step.ts";
import type { Fragment } from "./sql.ts";
import type { Rename, StepSpec, TableName } from "./step-spec.ts";
import type { PlanContext, PlanRefusal, StepClass } from "./types.ts";

/** What the planner of one entity knows and collects while it walks the fields. */
export interface PlanEnv {
  /** The definition being reached. */
  next: EntityDefinition;
  /** The table once the table-level step ran: `data.<next.key>`. Every later step works here. */
  table: TableName;
  /** The table as it is before anything runs, where impacts are measured. */
  source: TableName;
  context: PlanContext;
  steps: PlannedStep[];
  refusals: PlanRefusal[];
  /** Renames are ordered together once every field is planned (swaps need a detour). */
  renames: PendingRename[];
  /** The current key of an entity named in a definition, after the renames of this change. */
  targetKey(key: string): string;
}

export interface PendingRename {
  kind: "renameColumn" | "renameJoinTable";
  subject: string;
  renames: Rename[];
  /** Temporary names for a swap. */
  aside: string[];
  description: string;
  pointer: string;
}

/** Where a field stands physically at some point of the plan. */
export interface FieldState {
  /** The definition the stored values match so far (type, precision, key once renamed). */
  field: FieldDefinition;
  /** Current physical column names, aligned with `fieldColumns(field)`. */
  columns: string[];
  notNull: boolean;
  /** Current `DEFAULT` expressions per column. */
  defaults: Array<string | undefined>;
  unique: boolean;
  index: boolean;
  /** The foreign key's current ON DELETE, for manyToOne fields. */
  onDelete: OnDelete | undefined;
  /**
   * Per column, the value each existing row will hold at this point of the plan, as an expression over
   * the source table; `null` where it cannot be known before applying (a new autoNumber).
   */
  values: Array<Fragment | null>;
  /** Option keys the stored values may hold (select / multiSelect). */
  options: string[] | undefined;
  /** Longest text the stored values may hold, undefined when unbounded. */
  maxLength: number | undefined;
  /** Values were rewritten (so a unique constraint must be re-checked). */
  dataChanged: boolean;
  /** The field's columns changed (a currency column came or went), so its constraints are rebuilt. */
  columnsChanged: boolean;
  typeChanged: boolean;
  /** The value map was already applied by the type conversion. */
  valueMapApplied: boolean;
}

/** Push one planned step. */
export function emit(env: PlanEnv, phase: PlannedStep["phase"], subject: string, spec: StepSpec, meta: { class: StepClass; description: string; pointer: string; impacts?: PlannedStep["impacts"] }): void {
  env.steps.push({ phase, subject, spec, class: meta.class, description: meta.description, pointer: meta.pointer, impacts: meta.impacts ?? [] });
}
