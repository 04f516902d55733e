import type { FieldDefinition } from "../definition/types.ts";
import { TRASH_SCHEMA } from "../definition/types.ts";
import { pointer } from "../issues.ts";
import { autoNumberDigits, autoNumberMax } from "./column-defaults.ts";
import { foreignKeyName } from "./constraint-names.ts";
import { displayName } from "./display-name.ts";
import { dataTable, fieldForeignKey, joinTableSpec } from "./entity-ddl.ts";
import { fieldColumns, parkedColumnName } from "./field-columns.ts";
import { addedFieldState, restoredFieldState } from "./field-state.ts";
import { emit } from "./plan-env.ts";
import type { FieldState, PlanEnv } from "./plan-env.ts";
import { param, qualified, sql, toStatement } from "./sql.ts";
import { joinTableName, parkedJoinTableName } from "./table-ref.ts";
import type { ParkedField } from "./types.ts";

/** A new field: a column (nullable, or NOT NULL with its default), a join table, or nothing for oneToMany. */
export function planAddedField(env: PlanEnv, to: FieldDefinition, index: number): FieldState {
  const at = pointer("fields", index);
  if (to.type === "relation" && to.relation === "manyToMany") {
    emit(env, "add", to.id, { kind: "createJoinTable", ...joinTableSpec(env.next, to) }, {
      class: "additive",
      description: `Add relation ${displayName(to)}: a link table between ${env.next.key} and ${to.target}.`,
      pointer: at,
    });
  } else if (fieldColumns(to).length > 0) {
    const foreignKey = fieldForeignKey(to);
    emit(env, "add", to.id, { kind: "addColumn", table: env.table, entity: env.next, field: to, ...(foreignKey ? { foreignKey } : {}) }, {
      class: "additive",
      description: addDescription(to),
      pointer: at,
      impacts: to.type === "autoNumber" ? [autoNumberCapacity(env, to)] : [],
    });
  }
  return addedFieldState(env.next, to);
}

function addDescription(field: FieldDefinition): string {
  if (field.type === "autoNumber") {
    return `Add ${displayName(field)}: create its number sequence, number the existing records in creation order (${field.prefix ?? ""}${"0".repeat(autoNumberDigits(field) - 1)}1, …), then number new records automatically.`;
  }
  const columns = fieldColumns(field);
  const what = field.type === "relation" ? `relation ${displayName(field)} to ${field.target}` : displayName(field);
  return `Add ${what} as ${columns.map((c) => `column "${c.name}" (${c.sqlType})`).join(" and ")}.`;
}

/** Existing records beyond what the digits can number. */
function autoNumberCapacity(env: PlanEnv, field: FieldDefinition & { type: "autoNumber" }) {
  const max = Number(autoNumberMax(field));
  return {
    sql: toStatement(sql`SELECT greatest(count(*) - ${param(max)}, 0)::int AS count FROM ${qualified(env.source.schema, env.source.name)}`),
    message: `{count} existing records would not get a number: ${autoNumberDigits(field)} digits allow ${max} numbers`,
    blocksWhenNonZero: true,
  };
}

/** A parked field coming back: its columns (or join table) return under the field's current key. */
export function planRestoredField(env: PlanEnv, parked: ParkedField, to: FieldDefinition, index: number): FieldState {
  const at = pointer("fields", index);
  const restored = { ...parked.field, key: to.key } as FieldDefinition;
  if (restored.type === "relation" && restored.relation === "manyToMany") {
    emit(env, "restore", to.id, {
      kind: "restoreJoinTable",
      from: { schema: TRASH_SCHEMA, name: parkedJoinTableName(env.next, parked.field) },
      to: dataTable(joinTableName(env.next, restored)),
    }, { class: "lossless", description: `Restore relation ${displayName(to)} with its links.`, pointer: at });
  } else if (parked.columns.length > 0) {
    const columns = fieldColumns(restored);
    emit(env, "restore", to.id, {
      kind: "restoreColumn",
      table: env.table,
      renames: parked.columns.map((from, i) => ({ from, to: columns[i]?.name ?? from })),
    }, { class: "lossless", description: `Restore ${displayName(to)} with the values it held when it was deleted.`, pointer: at });
  }
  return restoredFieldState(env.next, parked, to.key);
}

/**
 * A removed field is parked, not dropped: its columns are renamed out of the way (so its key is free
 * at once), NOT NULL is relaxed so new records can be saved, and a foreign key switches to
 * ON DELETE SET NULL so hidden links never block deleting records. Unique constraint, index and
 * default stay for a restore. A join table moves to the trash schema.
 */
export function planParkedField(env: PlanEnv, field: FieldDefinition, index: number): void {
  const at = pointer("fields", index);
  if (field.type === "relation" && field.relation === "manyToMany") {
    const to = { schema: TRASH_SCHEMA, name: parkedJoinTableName(env.next, field) };
    emit(env, "park", field.id, { kind: "parkJoinTable", from: dataTable(joinTableName(env.next, field)), to }, {
      class: "lossless",
      description: `Remove relation ${displayName(field)}: its links are kept in ${TRASH_SCHEMA}."${to.name}" until purged or restored.`,
      pointer: at,
    });
    return;
  }
  const columns = fieldColumns(field);
  if (columns.length === 0) return;
  const renames = columns.map((c) => ({ from: c.name, to: parkedColumnName(field, c.role) }));
  const parkedValue = renames[0]?.to ?? "";
  const relinks = field.type === "relation" && field.relation === "manyToOne" && (field.onDelete ?? "restrict") !== "setNull";
  emit(
    env,
    "park",
    field.id,
    {
      kind: "parkColumn",
      table: env.table,
      renames,
      ...(field.required ? { dropNotNull: parkedValue } : {}),
      ...(relinks ? { foreignKey: { name: foreignKeyName(field), column: parkedValue, target: dataTable(env.targetKey(field.target)), onDelete: "setNull" as const } } : {}),
    },
    {
      class: "lossless",
      description: `Remove ${displayName(field)}: its values are kept aside in column "${parkedValue}" until purged or restored.`,
      pointer: at,
    },
  );
}
