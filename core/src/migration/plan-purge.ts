import type { EntityDefinition } from "../definition/types.ts";
import { DATA_SCHEMA, TRASH_SCHEMA } from "../definition/types.ts";
import { displayName } from "./display-name.ts";
import { fieldColumns, parkedColumnName } from "./field-columns.ts";
import { countImpact } from "./impact-query.ts";
import { finishSteps } from "./planned-step.ts";
import type { PlannedStep } from "./planned-step.ts";
import { ident, joinSql, raw, sql } from "./sql.ts";
import type { TableName } from "./step-spec.ts";
import { parkedJoinTableName } from "./table-ref.ts";
import type { MigrationPlan, ParkedEntity, ParkedField } from "./types.ts";

/**
 * Plan erasing soft-dropped data for good: a parked entity's table (with its join tables), or a parked
 * field's columns (or join table). A parked field needs its owner: the current entity definition,
 * or the parked entity when the owner itself sits in the trash.
 * @example planPurge(parkedEntity).steps[0]?.kind // "dropTable"
 */
export function planPurge(parked: ParkedEntity): MigrationPlan;
export function planPurge(parked: ParkedField, owner: EntityDefinition | ParkedEntity): MigrationPlan;
export function planPurge(parked: ParkedField | ParkedEntity, owner?: EntityDefinition | ParkedEntity): MigrationPlan {
  if ("table" in parked) {
    const entity = parked.entity;
    const table = { schema: TRASH_SCHEMA, name: parked.table };
    const joinTables = entity.fields.flatMap((f) =>
      f.type === "relation" && f.relation === "manyToMany" ? [{ schema: TRASH_SCHEMA, name: parkedJoinTableName(entity, f) }] : [],
    );
    const step: PlannedStep = {
      phase: "purge",
      subject: entity.id,
      spec: { kind: "dropTable", table, joinTables },
      class: "lossy",
      description: `Erase deleted entity ${displayName(entity)} and all its records for good.`,
      pointer: "",
      impacts: [countImpact(table, raw("true"), `{count} records of ${displayName(entity)} will be erased for good`)],
    };
    return { entityId: entity.id, entityKey: entity.key, steps: finishSteps([step]), refusals: [] };
  }
  if (!owner) throw new Error("planPurge: a parked field needs its owner entity");
  const entity = "table" in owner ? owner.entity : owner;
  const table: TableName = "table" in owner ? { schema: TRASH_SCHEMA, name: owner.table } : { schema: DATA_SCHEMA, name: owner.key };
  return { entityId: entity.id, entityKey: entity.key, steps: finishSteps(purgeFieldSteps(entity, table, parked)), refusals: [] };
}

function purgeFieldSteps(entity: EntityDefinition, table: TableName, parked: ParkedField): PlannedStep[] {
  const field = parked.field;
  if (field.type === "relation" && field.relation === "manyToMany") {
    const joinTable = { schema: TRASH_SCHEMA, name: parkedJoinTableName(entity, field) };
    return [
      {
        phase: "purge",
        subject: field.id,
        spec: { kind: "dropJoinTable", table: joinTable },
        class: "lossy",
        description: `Erase the links of deleted relation ${displayName(field)} for good.`,
        pointer: "",
        impacts: [countImpact(joinTable, raw("true"), `{count} links of ${displayName(field)} will be erased for good`)],
      },
    ];
  }
  if (parked.columns.length === 0) return [];
  // A number field that was once a currency may still hold its set-aside currency codes.
  const stale = ["integer", "decimal", "percent"].includes(field.type) ? [parkedColumnName(field, "currency")] : [];
  const held = joinSql(parked.columns.map((c) => sql`${ident(c)} IS NOT NULL`), " OR ");
  return [
    {
      phase: "purge",
      subject: field.id,
      spec: { kind: "dropColumn", table, columns: parked.columns, staleColumns: stale.filter((c) => !parked.columns.includes(c)) },
      class: "lossy",
      description: `Erase the values of deleted field ${displayName(field)} for good.`,
      pointer: "",
      impacts: [countImpact(table, held, `{count} records still hold a value of ${displayName(field)}; it will be erased for good`)],
    },
  ];
}

/**
 * Columns a removed field is parked under, in the order of `fieldColumns(field)`: what `ParkedField.columns` holds.
 * @example parkedColumns({ id: "f-price", key: "price", label: { en: "Price" }, type: "currency" }) // ["_del_f-price", "_del_f-price.cur"]
 */
export function parkedColumns(field: ParkedField["field"]): string[] {
  return fieldColumns(field).map((c) => parkedColumnName(field, c.role));
}
