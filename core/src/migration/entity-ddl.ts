import type { CompositeConstraint, EntityDefinition, FieldDefinition } from "../definition/types.ts";
import { DATA_SCHEMA } from "../definition/types.ts";
import { autoNumberMax, columnDefaults } from "./column-defaults.ts";
import {
  compositeIndexName,
  compositeUniqueName,
  foreignKeyName,
  indexName,
  joinPrimaryKeyName,
  ownerIndexName,
  createdIndexName,
  joinTargetIndexName,
  primaryKeyName,
  sequenceName,
  uniqueName,
} from "./constraint-names.ts";
import { fieldColumns } from "./field-columns.ts";
import { qualifiedName, quoteIdent } from "./quote-ident.ts";
import type { ForeignKey, TableName } from "./step-spec.ts";
import { joinTableName } from "./table-ref.ts";

/** DDL building blocks shared by `createTable`, `addColumn` and the join-table steps. */

export const SYSTEM_COLUMNS_SQL = [
  `"id" uuid NOT NULL DEFAULT gen_random_uuid()`,
  `"createdAt" timestamptz NOT NULL DEFAULT now()`,
  `"updatedAt" timestamptz NOT NULL DEFAULT now()`,
  `"createdBy" uuid`,
  `"updatedBy" uuid`,
  `"version" integer NOT NULL DEFAULT 1`,
  `"ownerId" uuid`,
];

export function tableSql(table: TableName): string {
  return qualifiedName(table.schema, table.name);
}

export function dataTable(name: string): TableName {
  return { schema: DATA_SCHEMA, name };
}

export function columnList(columns: string[]): string {
  return columns.map(quoteIdent).join(", ");
}

const ON_DELETE_SQL = { restrict: "RESTRICT", setNull: "SET NULL", cascade: "CASCADE" } as const;

export function foreignKeySql(fk: ForeignKey): string {
  return `CONSTRAINT ${quoteIdent(fk.name)} FOREIGN KEY (${quoteIdent(fk.column)}) REFERENCES ${tableSql(fk.target)} ("id") ON DELETE ${ON_DELETE_SQL[fk.onDelete]}`;
}

/** The foreign key of a manyToOne field as defined, or undefined for other fields. */
export function fieldForeignKey(field: FieldDefinition): ForeignKey | undefined {
  if (field.type !== "relation" || field.relation !== "manyToOne") return undefined;
  return { name: foreignKeyName(field), column: field.key, target: dataTable(field.target), onDelete: field.onDelete ?? "restrict" };
}

/**
 * Column definitions of a field. `NOT NULL` only where it is safe on a table that may hold rows:
 * always in a new table (`inNewTable`), otherwise only with a default to fill existing rows.
 */
export function columnDefinitionsSql(entity: EntityDefinition, field: FieldDefinition, inNewTable: boolean): string[] {
  const defaults = columnDefaults(entity, field);
  return fieldColumns(field).map((column, i) => {
    const fallback = defaults[i];
    const notNull = field.required === true && column.role === "value" && (inNewTable || fallback !== undefined);
    return `${quoteIdent(column.name)} ${column.sqlType}${fallback === undefined ? "" : ` DEFAULT ${fallback}`}${notNull ? " NOT NULL" : ""}`;
  });
}

export function createSequenceSql(entity: EntityDefinition, field: FieldDefinition & { type: "autoNumber" }): string {
  return `CREATE SEQUENCE ${qualifiedName(DATA_SCHEMA, sequenceName(entity, field))} AS bigint MAXVALUE ${autoNumberMax(field)}`;
}

export function ownSequenceSql(table: TableName, entity: EntityDefinition, field: FieldDefinition): string {
  return `ALTER SEQUENCE ${qualifiedName(DATA_SCHEMA, sequenceName(entity, field))} OWNED BY ${tableSql(table)}.${quoteIdent(field.key)}`;
}

export function addUniqueSql(table: TableName, name: string, columns: string[]): string {
  return `ALTER TABLE ${tableSql(table)} ADD CONSTRAINT ${quoteIdent(name)} UNIQUE (${columnList(columns)})`;
}

export function createIndexSql(table: TableName, name: string, columns: string[]): string {
  return `CREATE INDEX ${quoteIdent(name)} ON ${tableSql(table)} (${columnList(columns)})`;
}

export function createJoinTableSql(table: TableName, source: TableName, target: TableName, primaryKey: string, targetIndex: string): string[] {
  return [
    [
      `CREATE TABLE ${tableSql(table)} (`,
      `  "source" uuid NOT NULL,`,
      `  "target" uuid NOT NULL,`,
      `  CONSTRAINT ${quoteIdent(primaryKey)} PRIMARY KEY ("source", "target"),`,
      `  CONSTRAINT "fk_source" FOREIGN KEY ("source") REFERENCES ${tableSql(source)} ("id") ON DELETE CASCADE,`,
      `  CONSTRAINT "fk_target" FOREIGN KEY ("target") REFERENCES ${tableSql(target)} ("id") ON DELETE CASCADE`,
      `)`,
    ].join("\n"),
    createIndexSql(table, targetIndex, ["target"]),
  ];
}

/** Parameters of a manyToMany field's join table. */
export function joinTableSpec(entity: EntityDefinition, field: FieldDefinition & { type: "relation" }) {
  return {
    table: dataTable(joinTableName(entity, field)),
    source: dataTable(entity.key),
    target: dataTable(field.target),
    primaryKey: joinPrimaryKeyName(entity, field),
    targetIndex: joinTargetIndexName(entity, field),
  };
}

/** Physical columns of a composite constraint's fields, in order; fields without a column are skipped. */
export function compositeColumns(entity: EntityDefinition, constraint: CompositeConstraint): string[] {
  return constraint.fields.flatMap((key) => {
    const field = entity.fields.find((f) => f.key === key);
    return field ? fieldColumns(field).map((c) => c.name) : [];
  });
}

/** Every statement that builds a new entity's table, in a safe order. */
export function createTableSql(table: TableName, entity: EntityDefinition): string[] {
  const statements: string[] = [];
  const autoNumbers = entity.fields.filter((f) => f.type === "autoNumber");
  for (const field of autoNumbers) statements.push(createSequenceSql(entity, field));
  const columns = [...SYSTEM_COLUMNS_SQL, ...entity.fields.flatMap((f) => columnDefinitionsSql(entity, f, true))];
  columns.push(`CONSTRAINT ${quoteIdent(primaryKeyName(entity))} PRIMARY KEY ("id")`);
  statements.push(`CREATE TABLE ${tableSql(table)} (\n${columns.map((c) => `  ${c}`).join(",\n")}\n)`);
  for (const field of autoNumbers) statements.push(ownSequenceSql(table, entity, field));
  statements.push(createIndexSql(table, ownerIndexName(entity), ["ownerId"]));
  statements.push(createIndexSql(table, createdIndexName(entity), ["createdAt"]));
  for (const field of entity.fields) {
    const fk = fieldForeignKey(field);
    if (fk) statements.push(`ALTER TABLE ${tableSql(table)} ADD ${foreignKeySql(fk)}`);
  }
  for (const field of entity.fields) {
    const columns = fieldColumns(field).map((c) => c.name);
    if (columns.length === 0) continue;
    if (field.unique) statements.push(addUniqueSql(table, uniqueName(entity, field), columns));
    if (field.indexed) statements.push(createIndexSql(table, indexName(entity, field), columns));
  }
  for (const field of entity.fields) {
    if (field.type === "relation" && field.relation === "manyToMany") {
      const spec = joinTableSpec(entity, field);
      statements.push(...createJoinTableSql(spec.table, spec.source, spec.target, spec.primaryKey, spec.targetIndex));
    }
  }
  for (const unique of entity.uniques ?? []) {
    const columns = compositeColumns(entity, unique);
    if (columns.length > 0) statements.push(addUniqueSql(table, compositeUniqueName(entity, unique), columns));
  }
  for (const index of entity.indexes ?? []) {
    const columns = compositeColumns(entity, index);
    if (columns.length > 0) statements.push(createIndexSql(table, compositeIndexName(entity, index), columns));
  }
  return statements;
}
