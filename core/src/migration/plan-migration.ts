import type { EntityDefinition } from "../definition/types.ts";
import { DATA_SCHEMA, TRASH_SCHEMA } from "../definition/types.ts";
import { pointer } from "../issues.ts";
import { displayName } from "./display-name.ts";
import { dataTable } from "./entity-ddl.ts";
import { existingFieldState } from "./field-state.ts";
import { planComposites } from "./plan-composites.ts";
import type { FieldState, PlanEnv } from "./plan-env.ts";
import { planField } from "./plan-field.ts";
import { planAddedField, planParkedField, planRestoredField } from "./plan-field-lifecycle.ts";
import { planRenames } from "./plan-renames.ts";
import { finishSteps } from "./planned-step.ts";
import type { PlannedStep } from "./planned-step.ts";
import type { TableName } from "./step-spec.ts";
import { joinTableName, parkedJoinTableName, parkedTableName } from "./table-ref.ts";
import type { MigrationPlan, PlanContext, PlanRefusal } from "./types.ts";

/**
 * Plan the migration of one entity's table from its previous definition to the next one.
 * `null` previous means a new (or restored) entity, `null` next a removed one. Assumes both
 * definitions are valid. A plan with refusals must not be applied.
 * @example
 * const plan = planMigration(null, account);
 * plan.steps.map((s) => s.kind); // ["createTable"]
 */
export function planMigration(previous: EntityDefinition | null, next: EntityDefinition | null, context: PlanContext = {}): MigrationPlan {
  if (next === null) {
    if (previous === null) return { entityId: "", entityKey: "", steps: [], refusals: [] };
    return { entityId: previous.id, entityKey: previous.key, steps: finishSteps([parkTableStep(previous)]), refusals: [] };
  }
  if (previous === null) {
    const parked = context.parkedEntities?.find((p) => p.entity.id === next.id);
    if (parked) {
      const source = { schema: TRASH_SCHEMA, name: parked.table };
      const step: PlannedStep = {
        phase: "table",
        subject: next.id,
        spec: { kind: "restoreTable", parked: source, table: dataTable(next.key), joinTables: joinTableMoves(parked.entity, next.key, "restore") },
        class: "lossless",
        description: `Restore entity ${displayName(next)} with the records it held when it was deleted.`,
        pointer: "",
        impacts: [],
      };
      return diffEntity(parked.entity, next, context, source, step);
    }
    const step: PlannedStep = {
      phase: "table",
      subject: next.id,
      spec: { kind: "createTable", table: dataTable(next.key), entity: next },
      class: "additive",
      description: `Create the table of entity ${displayName(next)} with ${next.fields.length} field${next.fields.length === 1 ? "" : "s"}.`,
      pointer: "",
      impacts: [],
    };
    return { entityId: next.id, entityKey: next.key, steps: finishSteps([step]), refusals: [] };
  }
  if (previous.id !== next.id) {
    const refusal: PlanRefusal = {
      code: "ENTITY_ID_CHANGED",
      pointer: pointer("id"),
      message: `The id of entity ${displayName(next)} changed from "${previous.id}" to "${next.id}"; ids never change. Remove the old entity and add a new one instead.`,
    };
    return { entityId: next.id, entityKey: next.key, steps: [], refusals: [refusal] };
  }
  const renameStep: PlannedStep | null =
    previous.key === next.key
      ? null
      : {
          phase: "table",
          subject: next.id,
          spec: {
            kind: "renameTable",
            from: dataTable(previous.key),
            to: next.key,
            joinTables: manyToManyFields(previous).map((f) => ({ from: joinTableName(previous, f), to: joinTableName(next, f) })),
          },
          class: "lossless",
          description: `Rename entity ${displayName(previous)} to ${next.key}.`,
          pointer: pointer("key"),
          impacts: [],
        };
  return diffEntity(previous, next, context, dataTable(previous.key), renameStep);
}

function diffEntity(base: EntityDefinition, next: EntityDefinition, context: PlanContext, source: TableName, tableStep: PlannedStep | null): MigrationPlan {
  const env: PlanEnv = {
    next,
    table: dataTable(next.key),
    source,
    context,
    steps: tableStep ? [tableStep] : [],
    refusals: [],
    renames: [],
    targetKey: (key) => (key === base.key ? next.key : (context.entityKeyRenames?.[key] ?? key)),
  };
  const states = new Map<string, FieldState>();
  next.fields.forEach((to, index) => {
    const before = base.fields.find((f) => f.id === to.id);
    const parked = before ? undefined : context.parkedFields?.find((p) => p.entityId === next.id && p.field.id === to.id);
    const state = before
      ? planField(env, before, existingFieldState(next, before), to, index)
      : parked
        ? planField(env, parked.field, planRestoredField(env, parked, to, index), to, index)
        : planField(env, null, planAddedField(env, to, index), to, index);
    if (state) states.set(to.id, state);
  });
  base.fields.forEach((field, index) => {
    if (!next.fields.some((f) => f.id === field.id)) planParkedField(env, field, index);
  });
  planRenames(env);
  planComposites(env, base, states);
  return { entityId: next.id, entityKey: next.key, steps: finishSteps(env.steps), refusals: env.refusals };
}

function manyToManyFields(entity: EntityDefinition) {
  return entity.fields.filter((f) => f.type === "relation" && f.relation === "manyToMany");
}

/** Join tables travel with their entity table, between `data` (named by keys) and the trash (named by ids). */
function joinTableMoves(entity: EntityDefinition, key: string, direction: "park" | "restore"): Array<{ from: TableName; to: TableName }> {
  return manyToManyFields(entity).map((field) => {
    const live = { schema: DATA_SCHEMA, name: joinTableName({ key }, field) };
    const parked = { schema: TRASH_SCHEMA, name: parkedJoinTableName(entity, field) };
    return direction === "park" ? { from: live, to: parked } : { from: parked, to: live };
  });
}

function parkTableStep(previous: EntityDefinition): PlannedStep {
  const parked = { schema: TRASH_SCHEMA, name: parkedTableName(previous) };
  return {
    phase: "table",
    subject: previous.id,
    spec: { kind: "parkTable", table: dataTable(previous.key), parked, joinTables: joinTableMoves(previous, previous.key, "park") },
    class: "lossless",
    description: `Remove entity ${displayName(previous)}: its records are kept in ${TRASH_SCHEMA}."${parked.name}" until purged or restored.`,
    pointer: "",
    impacts: [],
  };
}

