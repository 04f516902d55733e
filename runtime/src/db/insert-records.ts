import { fieldColumns, joinTableName, quoteIdent, tableRef, textArrayLiteral, DATA_SCHEMA, OWNER_FIELD, type EntityDefinition, type FieldDefinition } from "@crm/core";
import type { Queryable } from "./database.ts";

type Row = Record<string, unknown>;

/** The column values of one field of a record, in the order of `fieldColumns(field)`, with SQL casts. */
function columnValues(field: FieldDefinition, value: unknown): Array<{ value: unknown; cast: string }> {
  // An absent value takes the column default; an explicit null clears it.
  if (value === undefined) return fieldColumns(field).map(() => ({ value: undefined, cast: "" }));
  if (value === null) return fieldColumns(field).map(() => ({ value: null, cast: "" }));
  switch (field.type) {
    case "currency": {
      const money = value as { amount: number; currency?: string };
      return [
        { value: money.amount, cast: "::numeric" },
        { value: money.currency ?? field.defaultCurrency ?? null, cast: "" },
      ];
    }
    case "multiSelect":
      return [{ value: textArrayLiteral(value as unknown[]), cast: "::text[]" }];
    case "json":
      return [{ value: JSON.stringify(value), cast: "::jsonb" }];
    case "integer":
      return [{ value: String(value), cast: "::bigint" }];
    case "decimal":
    case "percent":
      return [{ value: String(value), cast: "::numeric" }];
    case "relation":
      return [{ value, cast: "::uuid" }];
    default:
      return [{ value, cast: "" }];
  }
}

const BATCH = 500;

/**
 * Insert records given in their JSON shape (keyed by field key, `id` and `ownerId` optional) into an entity's table
 * and its many-to-many join tables; rows whose id exists already are skipped. Used by the demo loader;
 * the record API builds on the same column mapping.
 */
export async function insertRecords(tx: Queryable, entity: EntityDefinition, records: readonly Row[]): Promise<number> {
  const stored = entity.fields.filter((f) => fieldColumns(f).length > 0 && f.type !== "autoNumber");
  const manyToMany = entity.fields.filter((f) => f.type === "relation" && f.relation === "manyToMany");
  const columns = ["id", OWNER_FIELD, ...stored.flatMap((f) => fieldColumns(f).map((c) => c.name))];
  let inserted = 0;
  for (let start = 0; start < records.length; start += BATCH) {
    const batch = records.slice(start, start + BATCH);
    const params: unknown[] = [];
    const tuples = batch.map((record) => {
      const cells = [{ value: record.id ?? undefined, cast: "::uuid" }, { value: record[OWNER_FIELD] ?? undefined, cast: "::uuid" }, ...stored.flatMap((f) => columnValues(f, record[f.key]))].map((cell) => {
        if (cell.value === undefined) return "default";
        if (cell.value === null) return "null";
        params.push(cell.value);
        return `$${params.length}${cell.cast}`;
      });
      return `(${cells.join(", ")})`;
    });
    const rows = await tx.query(
      `insert into ${tableRef(entity)} (${columns.map(quoteIdent).join(", ")}) values ${tuples.join(", ")} on conflict ("id") do nothing returning "id"`,
      params,
    );
    inserted += rows.length;
    for (const field of manyToMany) {
      const pairs = batch.flatMap((record) => ((record[field.key] as string[] | undefined) ?? []).map((target) => [record.id, target]));
      if (pairs.length === 0) continue;
      const values = pairs.map((_, i) => `($${2 * i + 1}::uuid, $${2 * i + 2}::uuid)`).join(", ");
      await tx.query(
        `insert into ${quoteIdent(DATA_SCHEMA)}.${quoteIdent(joinTableName(entity, field))} ("source", "target") values ${values} on conflict do nothing`,
        pairs.flat(),
      );
    }
  }
  return inserted;
}
