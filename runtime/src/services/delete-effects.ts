import {
  compileDelete,
  fieldColumns,
  ident,
  joinTableRef,
  param,
  raw,
  recordJson,
  sql,
  tableRef,
  textArrayLiteral,
  toStatement,
  type EntityDefinition,
  type FieldDefinition,
  type Fragment,
  type SqlStatement,
} from "@crm/core";
import type { Queryable } from "../db/database.ts";
import type { HistoryEntry } from "../audit/record-history.ts";
import type { RecordJson } from "./record-writes.ts";

type Relation = FieldDefinition & { type: "relation" };

/** How deep cascades are followed explicitly; deeper ones are left to the database (and unrecorded). */
const MAX_CASCADE_DEPTH = 8;

export interface DeleteContext {
  tx: Queryable;
  /** Every live entity: where references to the deleted records may live. */
  entities: readonly EntityDefinition[];
  actor: string | null;
  /** A history entry for one change (the caller's actor and request). */
  entry(entity: EntityDefinition, id: string, action: "update" | "delete", before: RecordJson | null, after: RecordJson | null): HistoryEntry;
}

const uuids = (ids: readonly string[]): Fragment => sql`${param(textArrayLiteral(ids))}::uuid[]`;

/** The `r` column of a statement's rows, as records. */
async function rows(tx: Queryable, statement: SqlStatement): Promise<RecordJson[]> {
  return (await tx.query<{ r: unknown }>(statement.text, statement.params)).map((row) => (typeof row.r === "string" ? JSON.parse(row.r) : row.r) as RecordJson);
}

/** Bump version, `updatedAt` and `updatedBy` of records whose value changed without an UPDATE of their own. */
function touched(ctx: DeleteContext): Fragment {
  return sql`"version" = t."version" + 1, "updatedAt" = now(), "updatedBy" = ${param(ctx.actor)}::uuid`;
}

/**
 * Delete records of `entity` (already checked and locked by the caller) and carry out the ON DELETE
 * consequences explicitly, so every record they change is in the history of the same request and gets
 * a new version: references set to null become updates of the referring records, cascades delete the
 * referring records (recursively), many-to-many links to the deleted records become updates of the
 * records on the other side. Restricting references are left to the database, which refuses the delete.
 * Returns the deleted records of `entity` and appends every history entry to `entries`.
 */
export async function deleteWithEffects(ctx: DeleteContext, entity: EntityDefinition, ids: readonly string[], entries: HistoryEntry[], depth = 0): Promise<RecordJson[]> {
  if (depth <= MAX_CASCADE_DEPTH) {
    for (const other of ctx.entities) {
      for (const field of other.fields) {
        if (field.type !== "relation" || field.target !== entity.key) continue;
        if (field.relation === "manyToOne" && field.onDelete === "setNull") await clearReferences(ctx, other, field, entity, ids, entries);
        else if (field.relation === "manyToOne" && field.onDelete === "cascade") await cascade(ctx, other, field, entity, ids, entries, depth);
        else if (field.relation === "manyToMany") await unlink(ctx, other, field, ids, entries);
      }
    }
  }
  const deleted = await rows(ctx.tx, compileDelete(entity, ids));
  for (const previous of deleted) entries.push(ctx.entry(entity, previous.id, "delete", previous, null));
  return deleted;
}

/** Records of `other` whose `field` points at `ids`, except those being deleted themselves. */
function referring(other: EntityDefinition, field: Relation, target: EntityDefinition, ids: readonly string[]): Fragment {
  const column = ident(fieldColumns(field)[0]!.name);
  const self = other.key === target.key ? sql` AND NOT (t."id" = ANY(${uuids(ids)}))` : sql``;
  return sql`t.${column} = ANY(${uuids(ids)})${self}`;
}

async function clearReferences(ctx: DeleteContext, other: EntityDefinition, field: Relation, target: EntityDefinition, ids: readonly string[], entries: HistoryEntry[]): Promise<void> {
  const where = referring(other, field, target, ids);
  const before = await rows(ctx.tx, toStatement(sql`SELECT ${recordJson(other, "t")} AS r FROM ${raw(tableRef(other))} AS t WHERE ${where} FOR UPDATE`));
  if (before.length === 0) return;
  const after = await rows(ctx.tx, toStatement(sql`UPDATE ${raw(tableRef(other))} AS t SET ${ident(fieldColumns(field)[0]!.name)} = NULL, ${touched(ctx)} WHERE ${where} RETURNING ${recordJson(other, "t")} AS r`));
  const old = new Map(before.map((r) => [r.id, r]));
  for (const record of after) entries.push(ctx.entry(other, record.id, "update", old.get(record.id) ?? null, record));
}

async function cascade(ctx: DeleteContext, other: EntityDefinition, field: Relation, target: EntityDefinition, ids: readonly string[], entries: HistoryEntry[], depth: number): Promise<void> {
  const select = toStatement(sql`SELECT t."id"::text AS id FROM ${raw(tableRef(other))} AS t WHERE ${referring(other, field, target, ids)} FOR UPDATE`);
  const children = await ctx.tx.query<{ id: string }>(select.text, select.params);
  if (children.length === 0) return;
  await deleteWithEffects(ctx, other, children.map((c) => c.id), entries, depth + 1);
}

async function unlink(ctx: DeleteContext, other: EntityDefinition, field: Relation, ids: readonly string[], entries: HistoryEntry[]): Promise<void> {
  const join = raw(joinTableRef(other, field));
  const linked = sql`t."id" IN (SELECT j."source" FROM ${join} j WHERE j."target" = ANY(${uuids(ids)}))`;
  const before = await rows(ctx.tx, toStatement(sql`SELECT ${recordJson(other, "t")} AS r FROM ${raw(tableRef(other))} AS t WHERE ${linked} FOR UPDATE`));
  if (before.length === 0) return;
  const unlinkAll = toStatement(sql`DELETE FROM ${join} WHERE "target" = ANY(${uuids(ids)})`);
  await ctx.tx.query(unlinkAll.text, unlinkAll.params);
  const sources = before.map((r) => r.id);
  const after = await rows(ctx.tx, toStatement(sql`UPDATE ${raw(tableRef(other))} AS t SET ${touched(ctx)} WHERE t."id" = ANY(${uuids(sources)}) RETURNING ${recordJson(other, "t")} AS r`));
  const old = new Map(before.map((r) => [r.id, r]));
  for (const record of after) entries.push(ctx.entry(other, record.id, "update", old.get(record.id) ?? null, record));
}
