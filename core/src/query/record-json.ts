import type { EntityDefinition, FieldDefinition } from "../definition/types.ts";
import { fieldColumns } from "../migration/field-columns.ts";
import { joinSql, qualified, raw, sql, ident, toStatement, type Fragment } from "../migration/sql.ts";
import { joinTableName } from "../migration/table-ref.ts";
import { DATA_SCHEMA } from "../definition/types.ts";

/** jsonb_build_object takes at most 100 arguments: build in chunks of 50 pairs and concatenate. */
const PAIRS_PER_CALL = 50;

/** ISO 8601 in UTC with milliseconds and `Z`, whatever the session time zone. */
export function isoTimestamp(column: Fragment): Fragment {
  return sql`to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
}

function column(alias: string, name: string): Fragment {
  return sql`${ident(alias)}.${ident(name)}`;
}

/** The JSON value of one field of the row `alias`, or undefined for fields without a value in a record (oneToMany). */
export function fieldJson(entity: EntityDefinition, field: FieldDefinition, alias: string): Fragment | undefined {
  const [value, currency] = fieldColumns(field).map((c) => column(alias, c.name));
  switch (field.type) {
    case "currency":
      return sql`CASE WHEN ${value!} IS NULL THEN NULL ELSE jsonb_build_object('amount', ${value!}, 'currency', ${currency!}) END`;
    case "datetime":
      return isoTimestamp(value!);
    case "date":
      return sql`to_char(${value!}, 'YYYY-MM-DD')`;
    case "relation":
      if (field.relation === "manyToOne") return value!;
      if (field.relation === "manyToMany") {
        const join = qualified(DATA_SCHEMA, joinTableName(entity, field));
        return sql`COALESCE((SELECT jsonb_agg(j."target" ORDER BY j."target") FROM ${join} j WHERE j."source" = ${column(alias, "id")}), '[]'::jsonb)`;
      }
      return undefined;
    default:
      return value!;
  }
}

/** Record keys and their JSON expressions: system fields first, then the entity's fields (optionally only `fields`). */
export function recordJsonPairs(entity: EntityDefinition, alias: string, fields?: readonly string[]): Array<[string, Fragment]> {
  const pairs: Array<[string, Fragment]> = [
    ["id", column(alias, "id")],
    ["createdAt", isoTimestamp(column(alias, "createdAt"))],
    ["updatedAt", isoTimestamp(column(alias, "updatedAt"))],
    ["createdBy", column(alias, "createdBy")],
    ["updatedBy", column(alias, "updatedBy")],
    ["version", column(alias, "version")],
    ["ownerId", column(alias, "ownerId")],
  ];
  const wanted = fields ? new Set(fields) : undefined;
  for (const field of entity.fields) {
    if (wanted && !wanted.has(field.key)) continue;
    const json = fieldJson(entity, field, alias);
    if (json) pairs.push([field.key, json]);
  }
  return pairs;
}

/**
 * One `jsonb` expression with a whole record of row `alias`, in the API's JSON shape: numbers as JSON
 * numbers, dates `YYYY-MM-DD`, date-times ISO 8601 UTC, currency `{ amount, currency }`, manyToOne as
 * the target id, manyToMany as the sorted array of target ids. The same on PGlite and PostgreSQL, and
 * independent of the driver's type parsers.
 * @example toStatement(sql`SELECT ${recordJson(account, "t")} AS r FROM "data"."account" t`)
 */
export function recordJson(entity: EntityDefinition, alias: string, fields?: readonly string[]): Fragment {
  // It has no parameters, so it renders to one constant string per definition object, alias and field
  // list: built once, not on every request.
  let byShape = rendered.get(entity);
  if (!byShape) rendered.set(entity, (byShape = new Map()));
  const shape = `${alias}|${fields?.join(",") ?? "*"}`;
  let fragment = byShape.get(shape);
  if (!fragment) {
    if (byShape.size > 100) byShape.clear();
    fragment = raw(toStatement(buildRecordJson(entity, alias, fields)).text);
    byShape.set(shape, fragment);
  }
  return fragment;
}

const rendered = new WeakMap<EntityDefinition, Map<string, Fragment>>();

function buildRecordJson(entity: EntityDefinition, alias: string, fields?: readonly string[]): Fragment {
  const pairs = recordJsonPairs(entity, alias, fields);
  const calls: Fragment[] = [];
  for (let i = 0; i < pairs.length; i += PAIRS_PER_CALL) {
    const args = pairs.slice(i, i + PAIRS_PER_CALL).map(([key, value]) => sql`${raw(quoteKey(key))}, ${value}`);
    calls.push(sql`jsonb_build_object(${joinSql(args, ", ")})`);
  }
  return joinSql(calls, " || ");
}

/** Keys are validated identifiers (`^[a-z][a-zA-Z0-9]*$`), so a plain literal is safe; checked anyway. */
function quoteKey(key: string): string {
  if (!/^[A-Za-z][A-Za-z0-9]*$/.test(key)) throw new Error(`Not a field key: ${JSON.stringify(key)}`);
  return `'${key}'`;
}
