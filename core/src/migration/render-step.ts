import { DATA_SCHEMA } from "../definition/types.ts";
import { autoNumberDigits, columnDefaults } from "./column-defaults.ts";
import { sequenceName } from "./constraint-names.ts";
import {
  addUniqueSql,
  columnDefinitionsSql,
  createIndexSql,
  createJoinTableSql,
  createSequenceSql,
  createTableSql,
  foreignKeySql,
  ownSequenceSql,
  tableSql,
} from "./entity-ddl.ts";
import { mapOptionValue, touchesOptions } from "./option-map.ts";
import { qualifiedName, quoteIdent } from "./quote-ident.ts";
import { quoteLiteral } from "./quote-literal.ts";
import { ident, param, qualified, raw, sql, toDdl, toStatement } from "./sql.ts";
import type { StepSpec, TableName } from "./step-spec.ts";
import type { SqlStatement } from "./types.ts";

/**
 * The one place that turns a typed step into SQL. DDL literals are quoted here; values in DML
 * (UPDATE) always travel as `$n` parameters.
 * @example renderStep({ kind: "dropNotNull", table: { schema: "data", name: "account" }, column: "name" })
 * // [{ text: 'ALTER TABLE "data"."account" ALTER COLUMN "name" DROP NOT NULL', params: [] }]
 */
export function renderStep(step: StepSpec): SqlStatement[] {
  switch (step.kind) {
    case "createTable":
      return createTableSql(step.table, step.entity).map(ddl);
    case "renameTable":
      return [
        ddl(`ALTER TABLE ${tableSql(step.from)} RENAME TO ${quoteIdent(step.to)}`),
        ...step.joinTables.map((j) => ddl(`ALTER TABLE ${qualifiedName(step.from.schema, j.from)} RENAME TO ${quoteIdent(j.to)}`)),
      ];
    case "parkTable":
      return [...step.joinTables.flatMap((j) => moveTable(j.from, j.to)), ...moveTable(step.table, step.parked)];
    case "restoreTable":
      return [...moveTable(step.parked, step.table), ...step.joinTables.flatMap((j) => moveTable(j.from, j.to))];
    case "addColumn":
      return renderAddColumn(step);
    case "renameColumn":
    case "restoreColumn":
      return step.renames.map((r) => renameColumn(step.table, r.from, r.to));
    case "parkColumn":
      return [
        ...step.renames.map((r) => renameColumn(step.table, r.from, r.to)),
        ...(step.dropNotNull ? [alterColumns(step.table, [`ALTER COLUMN ${quoteIdent(step.dropNotNull)} DROP NOT NULL`])] : []),
        ...(step.foreignKey ? [replaceForeignKey(step.table, step.foreignKey)] : []),
      ];
    case "createJoinTable":
      return createJoinTableSql(step.table, step.source, step.target, step.primaryKey, step.targetIndex).map(ddl);
    case "renameJoinTable":
      return [ddl(`ALTER TABLE ${tableSql(step.from)} RENAME TO ${quoteIdent(step.to)}`)];
    case "parkJoinTable":
    case "restoreJoinTable":
      return moveTable(step.from, step.to);
    case "changeType":
      return renderChangeType(step);
    case "changePrecision":
      return [toDdl(sql`ALTER TABLE ${tableFragment(step.table)} ALTER COLUMN ${ident(step.column)} TYPE ${raw(step.sqlType)} USING ${step.convert}`)];
    case "changeOptions": {
      const column = ident(step.column);
      const update = sql`UPDATE ${tableFragment(step.table)} SET ${column} = ${mapOptionValue(column, step.valueMap, step.multiple)} WHERE ${touchesOptions(column, step.valueMap, step.multiple)}`;
      return [...(step.dropNotNull ? [alterColumns(step.table, [`ALTER COLUMN ${quoteIdent(step.column)} DROP NOT NULL`])] : []), toStatement(update)];
    }
    case "truncateText": {
      const column = ident(step.column);
      const max = param(step.maxLength);
      return [toStatement(sql`UPDATE ${tableFragment(step.table)} SET ${column} = left(${column}, ${max}) WHERE char_length(${column}) > ${max}`)];
    }
    case "changeOnDelete":
      return [replaceForeignKey(step.table, step.foreignKey)];
    case "setDefault":
      return [
        ...(step.sequence ? [ddl(`ALTER SEQUENCE ${tableSql(step.sequence.name)} MAXVALUE ${step.sequence.maxValue}`)] : []),
        alterColumns(
          step.table,
          step.columns.map((c) => `ALTER COLUMN ${quoteIdent(c.column)} ${c.expression === undefined ? "DROP DEFAULT" : `SET DEFAULT ${c.expression}`}`),
        ),
      ];
    case "dropDefault":
      return [alterColumns(step.table, step.columns.map((c) => `ALTER COLUMN ${quoteIdent(c)} DROP DEFAULT`))];
    case "setNotNull":
      return [
        ...(step.fillDefault.length > 0
          ? [ddl(`UPDATE ${tableSql(step.table)} SET ${step.fillDefault.map((c) => `${quoteIdent(c)} = DEFAULT`).join(", ")} WHERE ${quoteIdent(step.column)} IS NULL`)]
          : []),
        alterColumns(step.table, [`ALTER COLUMN ${quoteIdent(step.column)} SET NOT NULL`]),
      ];
    case "dropNotNull":
      return [alterColumns(step.table, [`ALTER COLUMN ${quoteIdent(step.column)} DROP NOT NULL`])];
    case "checkConstraint":
      return [];
    case "addUnique":
    case "addCompositeUnique":
      return [ddl(addUniqueSql(step.table, step.name, step.columns))];
    case "dropUnique":
    case "dropCompositeUnique":
      return [ddl(`ALTER TABLE ${tableSql(step.table)} DROP CONSTRAINT ${quoteIdent(step.name)}`)];
    case "addIndex":
    case "addCompositeIndex":
      return [ddl(createIndexSql(step.table, step.name, step.columns))];
    case "dropIndex":
    case "dropCompositeIndex":
      return [ddl(`DROP INDEX ${qualifiedName(step.schema, step.name)}`)];
    case "dropColumn":
      return [
        alterColumns(step.table, [
          ...step.columns.map((c) => `DROP COLUMN ${quoteIdent(c)}`),
          ...step.staleColumns.map((c) => `DROP COLUMN IF EXISTS ${quoteIdent(c)}`),
        ]),
      ];
    case "dropTable":
      return [...step.joinTables.map((t) => ddl(`DROP TABLE IF EXISTS ${tableSql(t)}`)), ddl(`DROP TABLE ${tableSql(step.table)} CASCADE`)];
    case "dropJoinTable":
      return [ddl(`DROP TABLE ${tableSql(step.table)}`)];
    default:
      return assertNever(step);
  }
}

function ddl(text: string): SqlStatement {
  return { text, params: [] };
}

function tableFragment(table: TableName) {
  return qualified(table.schema, table.name);
}

function alterColumns(table: TableName, actions: string[]): SqlStatement {
  return ddl(`ALTER TABLE ${tableSql(table)} ${actions.join(", ")}`);
}

function renameColumn(table: TableName, from: string, to: string): SqlStatement {
  return ddl(`ALTER TABLE ${tableSql(table)} RENAME COLUMN ${quoteIdent(from)} TO ${quoteIdent(to)}`);
}

/** Move a table between schemas under a new name. The name changes on the side where it is free. */
function moveTable(from: TableName, to: TableName): SqlStatement[] {
  const statements: SqlStatement[] = [];
  if (from.schema === to.schema) return [ddl(`ALTER TABLE ${tableSql(from)} RENAME TO ${quoteIdent(to.name)}`)];
  // Parked names start with "_", which no key can, so they are free in both schemas; the other name may not be.
  const renameFirst = to.name.startsWith("_");
  if (renameFirst) statements.push(ddl(`ALTER TABLE ${tableSql(from)} RENAME TO ${quoteIdent(to.name)}`));
  const middle = renameFirst ? { schema: from.schema, name: to.name } : from;
  statements.push(ddl(`ALTER TABLE ${tableSql(middle)} SET SCHEMA ${quoteIdent(to.schema)}`));
  if (!renameFirst) statements.push(ddl(`ALTER TABLE ${qualifiedName(to.schema, from.name)} RENAME TO ${quoteIdent(to.name)}`));
  return statements;
}

function replaceForeignKey(table: TableName, fk: { name: string } & Parameters<typeof foreignKeySql>[0]): SqlStatement {
  return alterColumns(table, [`DROP CONSTRAINT ${quoteIdent(fk.name)}`, `ADD ${foreignKeySql(fk)}`]);
}

function renderAddColumn(step: StepSpec & { kind: "addColumn" }): SqlStatement[] {
  const { table, entity, field } = step;
  const fk = step.foreignKey ? [alterColumns(table, [`ADD ${foreignKeySql(step.foreignKey)}`])] : [];
  if (field.type !== "autoNumber") {
    return [alterColumns(table, columnDefinitionsSql(entity, field, false).map((c) => `ADD COLUMN ${c}`)), ...fk];
  }
  // Number existing rows in creation order first, then let the sequence continue after them.
  const column = ident(field.key);
  const sequence = qualifiedName(DATA_SCHEMA, sequenceName(entity, field));
  const digits = autoNumberDigits(field);
  const padded = `lpad(o.n::text, ${digits}, '0')`;
  const number = field.prefix ? sql`${param(field.prefix)}::text || ${raw(padded)}` : raw(padded);
  const t = tableFragment(table);
  return [
    ddl(createSequenceSql(entity, field)),
    alterColumns(table, [`ADD COLUMN ${quoteIdent(field.key)} text`]),
    toStatement(
      sql`UPDATE ${t} AS r SET ${column} = ${number} FROM (SELECT "id", row_number() OVER (ORDER BY "createdAt", "id") AS n FROM ${t}) AS o WHERE r."id" = o."id"`,
    ),
    ddl(`SELECT setval(${quoteLiteral(sequence)}::regclass, greatest(count(*), 1), count(*) > 0) FROM ${tableSql(table)}`),
    ddl(ownSequenceSql(table, entity, field)),
    alterColumns(table, [
      `ALTER COLUMN ${quoteIdent(field.key)} SET DEFAULT ${columnDefaults(entity, field)[0]}`,
      ...(field.required ? [`ALTER COLUMN ${quoteIdent(field.key)} SET NOT NULL`] : []),
    ]),
  ];
}

function renderChangeType(step: StepSpec & { kind: "changeType" }): SqlStatement[] {
  const statements: SqlStatement[] = [];
  const t = tableFragment(step.table);
  const column = ident(step.column);
  const prepare = [
    ...step.dropDefaults.map((c) => `ALTER COLUMN ${quoteIdent(c)} DROP DEFAULT`),
    ...(step.dropNotNull ? [`ALTER COLUMN ${quoteIdent(step.column)} DROP NOT NULL`] : []),
  ];
  if (prepare.length > 0) statements.push(alterColumns(step.table, prepare));
  if (step.currency?.action === "park") statements.push(renameColumn(step.table, step.currency.column, step.currency.parked));
  if (step.sqlType !== undefined) {
    const using = step.convert ?? sql`${column}::${raw(step.sqlType)}`;
    statements.push(toDdl(sql`ALTER TABLE ${t} ALTER COLUMN ${column} TYPE ${raw(step.sqlType)} USING ${using}`));
  } else if (step.convert) {
    statements.push(toStatement(sql`UPDATE ${t} SET ${column} = ${step.convert} WHERE ${column} IS DISTINCT FROM ${step.convert}`));
  }
  if (step.currency?.action === "add") {
    const currency = step.currency;
    statements.push(alterColumns(step.table, [`DROP COLUMN IF EXISTS ${quoteIdent(currency.stale)}`, `ADD COLUMN ${quoteIdent(currency.column)} char(3)`]));
    if (currency.fill !== undefined) {
      statements.push(toStatement(sql`UPDATE ${t} SET ${ident(currency.column)} = ${param(currency.fill)} WHERE ${column} IS NOT NULL`));
    }
  }
  if (step.dropSequence) statements.push(ddl(`DROP SEQUENCE ${tableSql(step.dropSequence)}`));
  return statements;
}

function assertNever(value: never): never {
  throw new Error(`Unknown step kind: ${JSON.stringify(value)}`);
}

