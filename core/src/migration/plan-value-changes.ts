import type { FieldDefinition } from "../definition/types.ts";
import { pointer } from "../issues.ts";
import { displayName } from "./display-name.ts";
import { countImpact } from "./impact-query.ts";
import { mapOptionValue, touchesOptions } from "./option-map.ts";
import { emit } from "./plan-env.ts";
import type { FieldState, PlanEnv } from "./plan-env.ts";
import { checkedValueMap } from "./plan-type-change.ts";
import { param, sql } from "./sql.ts";

const TEXT_LIKE = new Set(["text", "longText", "richText", "email", "phone", "url"]);

/**
 * Removed (or explicitly remapped) select options: rows holding them are cleared, or re-keyed through
 * `context.conversions[fieldId].valueMap`. Added, relabelled or recoloured options need no step.
 */
export function planOptionChange(env: PlanEnv, state: FieldState, to: FieldDefinition, index: number): FieldState {
  if ((to.type !== "select" && to.type !== "multiSelect") || state.options === undefined || state.valueMapApplied) return state;
  const valueMap = checkedValueMap(env, to, index);
  if (valueMap === null) return state;
  const keys = new Set(to.options.map((o) => o.key));
  const changes: Record<string, string | null> = {};
  for (const key of state.options) {
    const mapped = Object.hasOwn(valueMap, key) ? (valueMap[key] ?? null) : keys.has(key) ? key : null;
    if (mapped !== key) changes[key] = mapped;
  }
  if (Object.keys(changes).length === 0) return { ...state, options: [...keys] };
  const multiple = to.type === "multiSelect";
  const column = state.columns[0] ?? "";
  const clears = Object.values(changes).includes(null);
  const dropNotNull = state.notNull && !multiple && clears;
  const summary = Object.entries(changes)
    .map(([from, target]) => (target === null ? `"${from}" cleared` : `"${from}" → "${target}"`))
    .join(", ");
  const value = state.values[0];
  emit(
    env,
    "data",
    to.id,
    { kind: "changeOptions", table: env.table, column, multiple, valueMap: changes, dropNotNull },
    {
      class: "lossy",
      description: `Update ${displayName(to)} for removed options: ${summary}.`,
      pointer: pointer("fields", index, "options"),
      impacts: value ? [countImpact(env.source, touchesOptions(value, changes, multiple), `{count} rows hold removed options and will change (${summary})`)] : [],
    },
  );
  return {
    ...state,
    notNull: state.notNull && !dropNotNull,
    values: [value ? sql`(${mapOptionValue(value, changes, multiple)})` : null],
    options: [...keys],
    dataChanged: true,
  };
}

/** A lowered (or new) maxLength cuts longer texts. */
export function planTruncation(env: PlanEnv, state: FieldState, to: FieldDefinition, index: number): FieldState {
  if (!TEXT_LIKE.has(to.type) || !("maxLength" in to) || to.maxLength === undefined) return state;
  const max = to.maxLength;
  if (state.maxLength !== undefined && state.maxLength <= max) return state;
  const value = state.values[0];
  emit(
    env,
    "data",
    to.id,
    { kind: "truncateText", table: env.table, column: state.columns[0] ?? "", maxLength: max },
    {
      class: "lossy",
      description: `Cut values of ${displayName(to)} longer than ${max} characters to ${max} characters.`,
      pointer: pointer("fields", index, "maxLength"),
      impacts: value ? [countImpact(env.source, sql`char_length(${value}) > ${param(max)}`, `{count} rows exceed maxLength ${max} and will be cut to ${max} characters`)] : [],
    },
  );
  return { ...state, values: [value ? sql`left(${value}, ${param(max)})` : null], maxLength: max, dataChanged: true };
}
