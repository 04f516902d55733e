import type { FieldDefinition } from "../definition/types.ts";
import { pointer } from "../issues.ts";
import { displayName } from "./display-name.ts";
import { fieldColumns, movingColumnName } from "./field-columns.ts";
import { boundedName } from "./physical-name.ts";
import type { FieldState, PlanEnv } from "./plan-env.ts";
import { planDefaults, planOnDelete, planRequired, planRuleCheck, planUniqueAndIndex } from "./plan-column-rules.ts";
import { planPrecisionChange, planTypeChange } from "./plan-type-change.ts";
import { planOptionChange, planTruncation } from "./plan-value-changes.ts";
import { joinTableName } from "./table-ref.ts";

/**
 * Plan every change of one field, from where it stands (`state`) to its next definition, in the
 * order the steps must run: key rename, type, precision, options, length, foreign key, default,
 * NOT NULL, rule check, unique and index. Returns the final state, or null if the change is refused.
 * `original` is the field as the user last saw it (null for a new field), for rule comparisons.
 */
export function planField(env: PlanEnv, original: FieldDefinition | null, start: FieldState, to: FieldDefinition, index: number): FieldState | null {
  if (!relationUnchanged(env, start.field, to, index)) return null;
  let state = planKeyRename(env, start, to, index);
  const typed = planTypeChange(env, state, to, index);
  if (typed === null) return null;
  state = planPrecisionChange(env, typed, to, index);
  state = planOptionChange(env, state, to, index);
  state = planTruncation(env, state, to, index);
  state = planOnDelete(env, state, to, index);
  state = planDefaults(env, state, to, index);
  state = planRequired(env, state, to, index);
  planRuleCheck(env, original, state, to, index);
  return planUniqueAndIndex(env, state, to, index);
}

/** Relations keep their kind and target (a renamed target entity is the same target). */
function relationUnchanged(env: PlanEnv, from: FieldDefinition, to: FieldDefinition, index: number): boolean {
  if (from.type !== "relation" || to.type !== "relation") return true;
  const how = "Add a new relation field instead, link the records again, then delete the old field.";
  if (from.relation !== to.relation) {
    env.refusals.push({
      code: "UNSUPPORTED_TYPE_CHANGE",
      pointer: pointer("fields", index, "relation"),
      message: `Changing ${displayName(to)} from a ${from.relation} to a ${to.relation} relation is not supported: the links are stored differently. ${how}`,
    });
    return false;
  }
  if (env.targetKey(from.target) !== to.target) {
    env.refusals.push({
      code: "UNSUPPORTED_TYPE_CHANGE",
      pointer: pointer("fields", index, "target"),
      message: `Pointing ${displayName(to)} at "${to.target}" instead of "${from.target}" is not supported: existing links point at records of "${from.target}". ${how}`,
    });
    return false;
  }
  return true;
}

/** A changed key renames the column(s) or the join table; ordering happens later, with all renames. */
function planKeyRename(env: PlanEnv, state: FieldState, to: FieldDefinition, index: number): FieldState {
  if (state.field.key === to.key) return state;
  const renamed = { ...state.field, key: to.key } as FieldDefinition;
  const description = `Rename ${displayName(state.field)} to ${to.key}.`;
  const at = pointer("fields", index, "key");
  if (to.type === "relation" && to.relation === "manyToMany") {
    env.renames.push({
      kind: "renameJoinTable",
      subject: to.id,
      renames: [{ from: joinTableName(env.next, state.field), to: joinTableName(env.next, to) }],
      aside: [boundedName(`_mv_${env.next.id}.${to.id}`)],
      description: `Rename ${displayName(state.field)} to ${to.key} (its link table too).`,
      pointer: at,
    });
  } else if (state.columns.length > 0) {
    const columns = fieldColumns(renamed);
    env.renames.push({
      kind: "renameColumn",
      subject: to.id,
      renames: state.columns.map((from, i) => ({ from, to: columns[i]?.name ?? from })),
      aside: columns.map((c) => movingColumnName(to, c.role)),
      description,
      pointer: at,
    });
    return { ...state, field: renamed, columns: columns.map((c) => c.name) };
  }
  return { ...state, field: renamed };
}
