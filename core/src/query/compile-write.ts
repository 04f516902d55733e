import { OWNER_FIELD, type EntityDefinition, type FieldDefinition } from "../definition/types.ts";
import { fieldColumns } from "../migration/field-columns.ts";
import { ident, joinSql, param, raw, sql, toStatement, type Fragment } from "../migration/sql.ts";
import { joinTableRef, tableRef } from "../migration/table-ref.ts";
import type { SqlStatement } from "../migration/types.ts";
import { encodeFieldValue, textArrayLiteral } from "./encode-value.ts";
import { recordJson } from "./record-json.ts";
import { ownersPredicate } from "../access/scope-predicate.ts";

type Values = Record<string, unknown>;

function isManyToMany(field: FieldDefinition): boolean {
  return field.type === "relation" && field.relation === "manyToMany";
}

const writableFields = new WeakMap<EntityDefinition, FieldDefinition[]>();

/** Fields stored in the entity's own table that a client may write (per definition object, computed once). */
function columnFields(entity: EntityDefinition): FieldDefinition[] {
  let fields = writableFields.get(entity);
  if (!fields) writableFields.set(entity, (fields = entity.fields.filter((f) => f.type !== "autoNumber" && fieldColumns(f).length > 0)));
  return fields;
}

/**
 * Insert validated records in one statement; the caller assigns each record's `id` (so results can be
 * matched back to inputs whatever order the database returns them in). Absent fields take their column
 * defaults; `ownerId` is the record's own or else `options.owner`. Returns `{ r }` rows (record JSON), unless the entity has manyToMany fields, whose links are
 * written afterwards: then `{ id }` rows, and the caller re-reads the records.
 * @example compileInsert(account, [{ id, name: "Acme" }], { actor: null })
 */
export function compileInsert(
  entity: EntityDefinition,
  records: ReadonlyArray<Values & { id: string }>,
  options: { actor: string | null; owner?: string | null; textRecords?: boolean },
): { statement: SqlStatement; returnsRecords: boolean } {
  const { fragment, returnsRecords } = insertFragment(entity, records, options);
  return { statement: toStatement(fragment), returnsRecords };
}

/**
 * The SQL text of INSERTs between their parameters, per definition object and statement shape (which
 * fields, which of them null, text or jsonb records): a create binds its values into a known text
 * instead of building the statement again. A new definition version is a new object, so never stale.
 */
const insertTemplates = new WeakMap<EntityDefinition, Map<string, readonly string[]>>();
const MAX_TEMPLATES = 200;

/** `compileInsert` as a fragment, to compose into a larger statement (e.g. a CTE that also writes history). */
export function insertFragment(
  entity: EntityDefinition,
  records: ReadonlyArray<Values & { id: string }>,
  options: { actor: string | null; owner?: string | null; textRecords?: boolean },
): { fragment: Fragment; returnsRecords: boolean } {
  const fields = columnFields(entity).filter((f) => records.some((r) => r[f.key] !== undefined));
  const returnsRecords = !entity.fields.some(isManyToMany);
  // The parameter values in statement order, and the SQL between them as the cache key.
  const values: unknown[] = [];
  let shape = `${options.textRecords ? "text" : "jsonb"}:${fields.map((f) => f.key).join(",")}`;
  for (const record of records) {
    values.push(record.id, options.actor, options.actor, record[OWNER_FIELD] === undefined ? (options.owner ?? null) : record[OWNER_FIELD]);
    shape += "|";
    for (const field of fields) {
      const value = record[field.key];
      if (value === undefined) {
        shape += ",DEFAULT";
        continue;
      }
      for (const cell of encodeFieldValue(field, value)) {
        shape += ",";
        for (const chunk of cell.chunks) {
          if (typeof chunk === "string") {
            shape += chunk;
          } else {
            shape += "$";
            values.push(chunk.value);
          }
        }
      }
    }
  }
  let byShape = insertTemplates.get(entity);
  if (!byShape) insertTemplates.set(entity, (byShape = new Map()));
  let texts = byShape.get(shape);
  if (!texts) {
    const fragment = buildInsert(entity, records, fields, returnsRecords, options);
    texts = textsBetweenParams(fragment, values);
    if (!texts) return { fragment, returnsRecords };
    if (byShape.size >= MAX_TEMPLATES) byShape.clear();
    byShape.set(shape, texts);
  }
  const chunks: Array<Fragment["chunks"][number]> = [texts[0]!];
  for (let i = 0; i < values.length; i++) chunks.push({ value: values[i] }, texts[i + 1]!);
  return { fragment: { chunks }, returnsRecords };
}

/** The SQL text around each parameter of `fragment`, if its parameters are exactly `values` in order (else undefined: not cached). */
function textsBetweenParams(fragment: Fragment, values: readonly unknown[]): string[] | undefined {
  const texts = [""];
  let count = 0;
  for (const chunk of fragment.chunks) {
    if (typeof chunk === "string") {
      texts[texts.length - 1] += chunk;
    } else {
      if (count >= values.length || !Object.is(chunk.value, values[count])) return undefined;
      count++;
      texts.push("");
    }
  }
  return count === values.length ? texts : undefined;
}

/** The INSERT itself: absent fields take their column defaults; `ownerId` is the record's own or else `options.owner`. */
function buildInsert(
  entity: EntityDefinition,
  records: ReadonlyArray<Values & { id: string }>,
  fields: readonly FieldDefinition[],
  returnsRecords: boolean,
  options: { actor: string | null; owner?: string | null; textRecords?: boolean },
): Fragment {
  const columns = [ident("id"), ident("createdBy"), ident("updatedBy"), ident(OWNER_FIELD), ...fields.flatMap((f) => fieldColumns(f).map((c) => ident(c.name)))];
  const actor = sql`${param(options.actor)}::uuid`;
  const owner = sql`${param(options.owner ?? null)}::uuid`;
  const rows = records.map((record) => {
    const cells = [
      sql`${param(record.id)}::uuid`,
      actor,
      actor,
      record[OWNER_FIELD] === undefined ? owner : sql`${param(record[OWNER_FIELD])}::uuid`,
      ...fields.flatMap((f) => (record[f.key] === undefined ? fieldColumns(f).map(() => raw("DEFAULT")) : encodeFieldValue(f, record[f.key]))),
    ];
    return sql`(${joinSql(cells, ", ")})`;
  });
  // `textRecords`: the record JSON as text (passed through to the client unparsed), with its version for the ETag.
  const returning = !returnsRecords ? sql`t."id"` : options.textRecords ? sql`(${recordJson(entity, "t")})::text AS r, t."version" AS v, t."id"` : sql`${recordJson(entity, "t")} AS r`;
  return sql`INSERT INTO ${raw(tableRef(entity))} AS t (${joinSql(columns, ", ")}) VALUES ${joinSql(rows, ", ")} RETURNING ${returning}`;
}

/**
 * Update one record's changed fields, bumping `version` and `updatedAt`; with `expectedVersion` only
 * when the record is still at that version, with `owners` only when one of them owns it. Returns `{ r }` (or `{ id }` when manyToMany links are
 * written afterwards); no row means missing or stale.
 */
export function compileUpdate(
  entity: EntityDefinition,
  id: string,
  changes: Values,
  options: { actor: string | null; expectedVersion?: number | undefined; owners?: readonly string[] | undefined },
): { statement: SqlStatement; returnsRecords: boolean } {
  const assignments = columnFields(entity)
    .filter((f) => changes[f.key] !== undefined)
    .flatMap((f) => {
      const values = encodeFieldValue(f, changes[f.key]);
      return fieldColumns(f).map((c, i) => sql`${ident(c.name)} = ${values[i]!}`);
    });
  if (changes[OWNER_FIELD] !== undefined) assignments.push(sql`${ident(OWNER_FIELD)} = ${param(changes[OWNER_FIELD])}::uuid`);
  assignments.push(sql`"version" = t."version" + 1`, sql`"updatedAt" = now()`, sql`"updatedBy" = ${param(options.actor)}::uuid`);
  const versionCheck = options.expectedVersion === undefined ? raw("") : sql` AND t."version" = ${param(options.expectedVersion)}::int`;
  const returnsRecords = !entity.fields.some((f) => isManyToMany(f) && changes[f.key] !== undefined);
  const returning = returnsRecords ? sql`${recordJson(entity, "t")} AS r` : sql`t."id"`;
  return {
    statement: toStatement(sql`UPDATE ${raw(tableRef(entity))} AS t SET ${joinSql(assignments, ", ")} WHERE t."id" = ${param(id)}::uuid${versionCheck}${ownedBy(options.owners && { owners: options.owners })} RETURNING ${returning}`),
    returnsRecords,
  };
}

/** Replace the links of manyToMany fields present in `records` (each with its `id`). Two statements per field. */
export function compileLinkWrites(entity: EntityDefinition, records: ReadonlyArray<Values & { id: string }>): SqlStatement[] {
  const statements: SqlStatement[] = [];
  for (const field of entity.fields.filter(isManyToMany)) {
    const touched = records.filter((r) => r[field.key] !== undefined);
    if (touched.length === 0) continue;
    const join = raw(joinTableRef(entity, field));
    const ids = touched.map((r) => r.id);
    const pairs = touched.flatMap((r) => ((r[field.key] as string[] | null) ?? []).map((target) => [r.id, target] as const));
    statements.push(toStatement(sql`DELETE FROM ${join} WHERE "source" = ANY(${param(`{${ids.join(",")}}`)}::uuid[])`));
    if (pairs.length) {
      const values = pairs.map(([source, target]) => sql`(${param(source)}::uuid, ${param(target)}::uuid)`);
      statements.push(toStatement(sql`INSERT INTO ${join} ("source", "target") VALUES ${joinSql(values, ", ")} ON CONFLICT DO NOTHING`));
    }
  }
  return statements;
}

/** ` AND t."ownerId" = ANY($n::uuid[])`: only records of these owners (undefined: any record). */
/** Records an owner-restricted read reaches: those of `owners`, and with `unowned` those nobody owns (a pool). */
export interface OwnerScope {
  owners: readonly string[];
  unowned?: boolean;
}

function ownedBy(scope: OwnerScope | undefined): Fragment {
  return scope === undefined ? raw("") : sql` AND ${ownersPredicate(scope.owners, "t", scope.unowned === true)}`;
}

/**
 * Read one record by id: `{ r, v }` with the record JSON as text (passed through to the client
 * unparsed) and its version (for the ETag); with `scope`, only if it reaches the record. The text
 * depends only on the entity, `fields` and the shape of `scope` (given, with unowned), so callers may cache
 * it and bind the id as `$1` and the owners (an array literal, when there are any) as `$2`.
 */
export function compileReadById(entity: EntityDefinition, id: string, fields?: readonly string[], scope?: OwnerScope): SqlStatement {
  return toStatement(sql`SELECT (${recordJson(entity, "t", fields)})::text AS r, t."version" AS v FROM ${raw(tableRef(entity))} AS t WHERE t."id" = ${param(id)}::uuid${ownedBy(scope)}`);
}

/** Read records by id as record JSON `{ r }`, in no particular order; with `scope`, only those it reaches. */
export function compileReadByIds(entity: EntityDefinition, ids: readonly string[], fields?: readonly string[], scope?: OwnerScope): SqlStatement {
  return toStatement(sql`SELECT ${recordJson(entity, "t", fields)} AS r FROM ${raw(tableRef(entity))} AS t WHERE t."id" = ANY(${param(`{${ids.join(",")}}`)}::uuid[])${ownedBy(scope)}`);
}

/**
 * Delete records by id (one, with an optional expected version, or a batch; with `owners`, only
 * theirs), returning `{ r }` with the
 * deleted records' JSON (for webhooks and audit).
 */
export function compileDelete(entity: EntityDefinition, ids: readonly string[], options: { expectedVersion?: number | undefined; owners?: readonly string[] | undefined } = {}): SqlStatement {
  const versionCheck = options.expectedVersion === undefined ? raw("") : sql` AND t."version" = ${param(options.expectedVersion)}::int`;
  return toStatement(
    sql`DELETE FROM ${raw(tableRef(entity))} AS t WHERE t."id" = ANY(${param(`{${ids.join(",")}}`)}::uuid[])${versionCheck}${ownedBy(options.owners && { owners: options.owners })} RETURNING ${recordJson(entity, "t")} AS r`,
  );
}
