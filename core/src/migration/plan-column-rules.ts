import type { FieldDefinition } from "../definition/types.ts";
import { DATA_SCHEMA } from "../definition/types.ts";
import { pointer } from "../issues.ts";
import { autoNumberDigits, autoNumberMax, columnDefaults } from "./column-defaults.ts";
import { foreignKeyName, indexName, sequenceName, uniqueName } from "./constraint-names.ts";
import { displayName } from "./display-name.ts";
import { dataTable } from "./entity-ddl.ts";
import { countImpact, duplicateImpact } from "./impact-query.ts";
import { emit } from "./plan-env.ts";
import type { FieldState, PlanEnv } from "./plan-env.ts";
import { param, qualified, sql, toStatement } from "./sql.ts";
import type { Fragment } from "./sql.ts";
import { tightenedRules } from "./tightened-rules.ts";
import type { ImpactQuery } from "./types.ts";

const ON_DELETE_WORDS = { restrict: "prevents deleting a linked record", setNull: "clears the link", cascade: "deletes this record too" } as const;

/** ON DELETE of a manyToOne relation. */
export function planOnDelete(env: PlanEnv, state: FieldState, to: FieldDefinition, index: number): FieldState {
  if (to.type !== "relation" || to.relation !== "manyToOne" || state.columns.length === 0) return state;
  const onDelete = to.onDelete ?? "restrict";
  if (state.onDelete === onDelete) return state;
  const foreignKey = { name: foreignKeyName(to), column: state.columns[0] ?? "", target: dataTable(to.target), onDelete };
  emit(env, "foreignKey", to.id, { kind: "changeOnDelete", table: env.table, foreignKey }, {
    class: "lossless",
    description: `Change ${displayName(to)} so that deleting the linked record ${ON_DELETE_WORDS[onDelete]}.`,
    pointer: pointer("fields", index, "onDelete"),
  });
  return { ...state, onDelete };
}

/** Column defaults, including an autoNumber's prefix and width. */
export function planDefaults(env: PlanEnv, state: FieldState, to: FieldDefinition, index: number): FieldState {
  const wanted = columnDefaults(env.next, to);
  const changed = state.columns.map((column, i) => ({ column, expression: wanted[i] })).filter((c, i) => c.expression !== state.defaults[i]);
  if (changed.length === 0) return { ...state, defaults: wanted };
  const at = pointer("fields", index, defaultProperty(state.field, to));
  if (wanted.every((d) => d === undefined)) {
    emit(env, "defaults", to.id, { kind: "dropDefault", table: env.table, columns: changed.map((c) => c.column) }, {
      class: "lossless",
      description: `Remove the default value of ${displayName(to)}.`,
      pointer: at,
    });
    return { ...state, defaults: wanted };
  }
  const sequence = autoNumberSequence(env, state, to);
  emit(env, "defaults", to.id, { kind: "setDefault", table: env.table, columns: changed, ...(sequence ? { sequence: sequence.spec } : {}) }, {
    class: "lossless",
    description:
      to.type === "autoNumber"
        ? `Number new records of ${displayName(to)} like ${to.prefix ?? ""}${"0".repeat(autoNumberDigits(to) - 1)}1; existing numbers keep their format.`
        : `Set the default value of ${displayName(to)} for new records.`,
    pointer: at,
    impacts: sequence?.impacts ?? [],
  });
  return { ...state, defaults: wanted };
}

/** Which property moved the default: an autoNumber's prefix or digits, else `default`. */
function defaultProperty(from: FieldDefinition, to: FieldDefinition): string {
  if (to.type !== "autoNumber") return "default";
  return from.type === "autoNumber" && from.prefix !== to.prefix ? "prefix" : "digits";
}

function autoNumberSequence(env: PlanEnv, state: FieldState, to: FieldDefinition) {
  if (to.type !== "autoNumber" || state.field.type !== "autoNumber") return undefined;
  const before = autoNumberDigits(state.field);
  const after = autoNumberDigits(to);
  if (before === after) return undefined;
  const name = sequenceName(env.next, to);
  const impacts: ImpactQuery[] = [];
  if (after < before) {
    // Sequences move with their table, so before applying it sits in the source schema.
    const query = sql`SELECT count(*)::int AS count FROM ${qualified(env.source.schema, name)} WHERE is_called AND last_value > ${param(Number(autoNumberMax(to)))}`;
    impacts.push({ sql: toStatement(query), message: `{count} numbering sequence is already past ${autoNumberMax(to)}, the largest ${after}-digit number`, blocksWhenNonZero: true });
  }
  return { spec: { name: { schema: DATA_SCHEMA, name }, maxValue: autoNumberMax(to) }, impacts };
}

/** NOT NULL for required fields. Empty rows are filled with the default when there is one, else they block. */
export function planRequired(env: PlanEnv, state: FieldState, to: FieldDefinition, index: number): FieldState {
  const wanted = to.required === true && state.columns.length > 0;
  const column = state.columns[0] ?? "";
  const at = pointer("fields", index, "required");
  if (!wanted && state.notNull) {
    emit(env, "notNull", to.id, { kind: "dropNotNull", table: env.table, column }, { class: "lossless", description: `Make ${displayName(to)} optional.`, pointer: at });
    return { ...state, notNull: false };
  }
  if (!wanted || state.notNull) return state;
  const fillDefault = state.columns.filter((_, i) => state.defaults[i] !== undefined);
  const fills = fillDefault.includes(column);
  const value = state.values[0];
  const impacts = value
    ? [
        fills
          ? countImpact(env.source, sql`${value} IS NULL`, "{count} rows are empty and will be filled with the default")
          : countImpact(env.source, sql`${value} IS NULL`, "{count} rows are empty but the field becomes required", true),
      ]
    : [];
  emit(env, "notNull", to.id, { kind: "setNotNull", table: env.table, column, fillDefault: fills ? fillDefault : [] }, {
    class: "lossless",
    description: fills ? `Make ${displayName(to)} required, filling empty rows with the default.` : `Make ${displayName(to)} required.`,
    pointer: at,
    impacts,
  });
  return { ...state, notNull: true };
}

/** Stricter validation rules: nothing to run, only existing rows to count. */
export function planRuleCheck(env: PlanEnv, original: FieldDefinition | null, state: FieldState, to: FieldDefinition, index: number): void {
  const value = state.values[0];
  if (!value || original === null) return;
  const rules = tightenedRules(state.typeChanged ? null : original, to, value, state.values[1] ?? null);
  if (rules.length === 0) return;
  emit(env, "check", to.id, { kind: "checkConstraint" }, {
    class: "lossless",
    description: `Check existing values of ${displayName(to)} against its stricter rules; rows that break them are kept and flagged when next edited.`,
    pointer: pointer("fields", index),
    impacts: rules.map((rule) => countImpact(env.source, rule.where, rule.message)),
  });
}

/**
 * Single-field unique constraint and index. A unique constraint is rebuilt when the values change
 * (the new values are checked for duplicates first); an index only when its columns change, since
 * PostgreSQL rebuilds indexes itself when a column changes type.
 */
export function planUniqueAndIndex(env: PlanEnv, state: FieldState, to: FieldDefinition, index: number): FieldState {
  const hasColumns = state.columns.length > 0;
  const wantUnique = to.unique === true && hasColumns;
  const wantIndex = to.indexed === true && hasColumns;
  let { unique, index: indexed } = state;
  const uq = uniqueName(env.next, to);
  const ix = indexName(env.next, to);
  if (unique && (!wantUnique || state.dataChanged || state.columnsChanged)) {
    emit(env, "dropConstraint", to.id, { kind: "dropUnique", table: env.table, name: uq }, {
      class: "lossless",
      description: wantUnique ? `Set aside the unique rule of ${displayName(to)} while its values change.` : `Allow duplicate values in ${displayName(to)}.`,
      pointer: pointer("fields", index, "unique"),
    });
    unique = false;
  }
  if (wantUnique && !unique) {
    const values = state.values.every((v): v is Fragment => v !== null) ? state.values : null;
    emit(env, "unique", to.id, { kind: "addUnique", table: env.table, name: uq, columns: state.columns }, {
      class: "additive",
      description: `Require unique values in ${displayName(to)}.`,
      pointer: pointer("fields", index, "unique"),
      impacts: values ? [duplicateImpact(env.source, values, "{count} rows share their value with another row; make them unique first")] : [],
    });
    unique = true;
  }
  if (indexed && (!wantIndex || state.columnsChanged)) {
    emit(env, "dropConstraint", to.id, { kind: "dropIndex", schema: DATA_SCHEMA, name: ix }, {
      class: "lossless",
      description: wantIndex ? `Drop the index of ${displayName(to)} to rebuild it over its new columns.` : `Drop the index of ${displayName(to)}.`,
      pointer: pointer("fields", index, "indexed"),
    });
    indexed = false;
  }
  if (wantIndex && !indexed) {
    emit(env, "index", to.id, { kind: "addIndex", table: env.table, name: ix, columns: state.columns }, {
      class: "additive",
      description: `Index ${displayName(to)} for faster search and sorting.`,
      pointer: pointer("fields", index, "indexed"),
    });
    indexed = true;
  }
  return { ...state, unique, index: indexed };
}
