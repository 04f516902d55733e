import type { EntityDefinition, FieldDefinition } from "../definition/types.ts";

/** Every step is classed so the preview can say what it does to existing data. */
export type StepClass = "additive" | "lossless" | "lossy";

/** A parameterised SQL statement. DDL cannot take parameters, so DDL literals are quoted by the renderer. */
export interface SqlStatement {
  text: string;
  params: unknown[];
}

/**
 * A query run against the live data before applying, to measure what a step will do.
 * It returns exactly one row with one integer column named `count`.
 */
export interface ImpactQuery {
  sql: SqlStatement;
  /** Message with `{count}` placeholder, e.g. "{count} rows exceed maxLength 50 and will be truncated". */
  message: string;
  /**
   * When the count is non-zero the step cannot run at all (e.g. NOT NULL on a column holding
   * empty values with no default to fill them, a unique constraint over duplicate values).
   */
  blocksWhenNonZero?: boolean;
}

/** A field that was soft-dropped: its column is parked under another name until purge or restore. */
export interface ParkedField {
  entityId: string;
  field: FieldDefinition;
  /** The physical column names it is parked under, in the order of `fieldColumns(field)`. */
  columns: string[];
}

/** An entity that was soft-dropped: its table is parked in the trash schema. */
export interface ParkedEntity {
  entity: EntityDefinition;
  /** Table name inside TRASH_SCHEMA. */
  table: string;
}

export interface PlanContext {
  /** Soft-dropped fields and entities that a next definition may restore (matched by stable id). */
  parkedFields?: ParkedField[];
  parkedEntities?: ParkedEntity[];
  /**
   * Explicit conversions for type or option changes, keyed by field id.
   * `valueMap` maps old stored values to new option keys (text→select, select option removal…).
   */
  conversions?: Record<string, { valueMap?: Record<string, string | null> }>;
  /**
   * Other entities renamed in the same change, old key → new key. A relation whose target entity was
   * renamed keeps its target (no refusal), and foreign keys of parked fields point at the new table.
   * The entity's own rename is known from the definitions and need not be listed.
   */
  entityKeyRenames?: Record<string, string>;
}

/** Result of planning one entity's change. */
export interface MigrationPlan {
  entityId: string;
  entityKey: string;
  steps: MigrationStep[];
  /** Changes the planner refuses to make, with the reason (e.g. an unsupported type change). */
  refusals: PlanRefusal[];
}

export interface PlanRefusal {
  code: string;
  /** JSON Pointer into the next definition. */
  pointer: string;
  message: string;
}

export interface MigrationStep {
  /** Stable across preview and apply for the same (previous, next): confirm lossy steps by this id. */
  id: string;
  /** Step type, e.g. "createTable", "addColumn", "renameColumn", "changeType"… */
  kind: string;
  class: StepClass;
  /** One sentence a non-developer can read. */
  description: string;
  /** JSON Pointer into the next definition (or previous, for drops) that caused the step. */
  pointer: string;
  /** The SQL the step runs, in order. */
  sql: SqlStatement[];
  /** Measurements to take on live data before applying. */
  impacts: ImpactQuery[];
}
