import type { EntityDefinition } from "../definition/types.ts";
import { quoteLiteral } from "../migration/quote-literal.ts";
import { ident, joinSql, param, raw, sql, type Fragment } from "../migration/sql.ts";
import { actorId, actorUserId, type Actor } from "./actor.ts";
import { auditedFields, type AuditedField } from "./audited-fields.ts";
import { REDACTED, type RecordChanges } from "./diff-records.ts";

/** What a history entry records. */
export const HISTORY_ACTIONS = ["create", "update", "delete"] as const;
export type HistoryAction = (typeof HISTORY_ACTIONS)[number];

/** The system table of record history (runtime's `audit-schema.ts` defines it). */
export const HISTORY_TABLE = "record_history";

/** One record change to write to the history. */
export interface HistoryEntry {
  entity: EntityDefinition;
  recordId: string;
  action: HistoryAction;
  actor: Actor;
  requestId?: string | null | undefined;
  /** By field key, as `diffRecords` returns them; stored by field id. */
  changes: RecordChanges;
}

const COLUMNS = raw(`"entity_id", "entity_key", "record_id", "action", "actor_kind", "actor_id", "actor_user_id", "request_id", "changes"`);

/** The cells from `entity_id` to `request_id` except `record_id` and `action`, as parameters. */
function who(entity: EntityDefinition, actor: Actor, requestId: string | null | undefined) {
  return {
    entity: sql`${param(entity.id)}::text, ${param(entity.key)}::text`,
    actor: sql`${param(actor.kind)}::text, ${param(actorId(actor))}::text, ${param(actorUserId(actor))}::uuid, ${param(requestId ?? null)}::text`,
  };
}

/**
 * Rows for a batch of record changes: ONE multi-row INSERT, values as parameters. An update whose
 * changes are empty (nothing audited changed) writes no row; undefined when no row is left.
 * @example toStatement(historyInsertSql([{ entity: account, recordId, action: "create", actor, changes }])!)
 */
export function historyInsertSql(entries: readonly HistoryEntry[]): Fragment | undefined {
  const rows = entries
    .filter((e) => e.action !== "update" || Object.keys(e.changes).length > 0)
    .map((e) => {
      const cells = who(e.entity, e.actor, e.requestId);
      const changes = JSON.stringify(changesById(e.entity, e.changes));
      return sql`(${cells.entity}, ${param(e.recordId)}::uuid, ${param(e.action)}::text, ${cells.actor}, ${param(changes)}::jsonb)`;
    });
  if (rows.length === 0) return undefined;
  return sql`INSERT INTO ${ident(HISTORY_TABLE)} (${COLUMNS}) VALUES ${joinSql(rows, ", ")}`;
}

/** Field keys → field ids, the way history stores changes. */
function changesById(entity: EntityDefinition, changes: RecordChanges): RecordChanges {
  const ids = new Map(auditedFields(entity).map((f) => [f.key, f.id]));
  for (const field of entity.fields) if (!ids.has(field.key)) ids.set(field.key, field.id);
  const stored: RecordChanges = {};
  for (const [key, change] of Object.entries(changes)) {
    const id = ids.get(key);
    if (id === undefined) throw new Error(`Entity "${entity.key}" has no field "${key}" to record in its history.`);
    stored[id] = change;
  }
  return stored;
}

/** `createHistorySql`'s text between its six parameters, per definition object and CTE name. */
const createTexts = new WeakMap<EntityDefinition, Map<string, readonly string[]>>();

/**
 * The history row of every record a CTE created, for one statement such as
 * `WITH ins AS (INSERT … RETURNING <record JSON> AS r) INSERT INTO record_history …`.
 * `from` names the CTE; it must return the record JSON (with its `id`) as `r`, jsonb or text. The
 * text depends only on the definition and `from`, so it is built once and the values bound.
 * @example toStatement(sql`WITH ins AS (${insert}) ${createHistorySql(account, actor, { from: "ins" })}`)
 */
export function createHistorySql(entity: EntityDefinition, actor: Actor, options: { from: string; requestId?: string | null | undefined }): Fragment {
  let byFrom = createTexts.get(entity);
  if (!byFrom) createTexts.set(entity, (byFrom = new Map()));
  let texts = byFrom.get(options.from);
  if (!texts) {
    const built = [""];
    for (const chunk of buildCreateHistory(entity, options.from).chunks) {
      if (typeof chunk === "string") built[built.length - 1] += chunk;
      else built.push("");
    }
    byFrom.set(options.from, (texts = built));
  }
  // In the order `who` puts them in the statement.
  const values = [entity.id, entity.key, actor.kind, actorId(actor), actorUserId(actor), options.requestId ?? null];
  const chunks: Array<Fragment["chunks"][number]> = [texts[0]!];
  values.forEach((value, i) => chunks.push({ value }, texts[i + 1]!));
  return { chunks };
}

function buildCreateHistory(entity: EntityDefinition, from: string): Fragment {
  const source = ident(from);
  const cells = who(entity, { kind: "system" }, null);
  // The record is parsed once, in a subquery the planner cannot flatten (OFFSET 0); every field's
  // lookup then reads jsonb instead of parsing the text again (a third of a create's database time).
  const record = sql`${source}."r"`;
  const changes = historyChangesSql(entity, { before: null, after: record });
  return sql`INSERT INTO ${ident(HISTORY_TABLE)} (${COLUMNS}) SELECT ${cells.entity}, (${record} ->> 'id')::uuid, 'create', ${cells.actor}, ${changes} FROM (SELECT (${source}."r")::jsonb AS "r" FROM ${source} OFFSET 0) AS ${source}`;
}

/**
 * A `jsonb` expression with the audited changes between two record JSON expressions (NULL for the
 * missing side of a create or delete), keyed by field id, with the same rules as `diffRecords`: lists
 * compare as sets, an empty list is no value, secret values show as `"[redacted]"`.
 * @example sql`SELECT ${historyChangesSql(account, { before: sql`o."r"`, after: sql`n."r"` })} FROM o, n`
 */
export function historyChangesSql(entity: EntityDefinition, sides: { before: Fragment | null; after: Fragment | null }): Fragment {
  const fields = auditedFields(entity);
  const value = (side: Fragment | null) => (side ? sql`NULLIF(NULLIF((${side})::jsonb -> f."key", 'null'::jsonb), CASE WHEN f."list" THEN '[]'::jsonb END)` : raw("NULL::jsonb"));
  const shown = (name: string) => raw(`CASE WHEN v."secret" AND v."${name}" IS NOT NULL THEN ${quoteLiteral(JSON.stringify(REDACTED))}::jsonb ELSE v."${name}" END`);
  return sql`(SELECT COALESCE(jsonb_object_agg(v."id", jsonb_build_object('old', ${shown("o")}, 'new', ${shown("n")})), '{}'::jsonb)
 FROM (SELECT f."id", f."secret", f."list", ${value(sides.before)} AS "o", ${value(sides.after)} AS "n" FROM ${fieldTable(fields)}) v
 WHERE (v."o" IS NULL) <> (v."n" IS NULL) OR NOT (CASE WHEN v."list" THEN v."o" @> v."n" AND v."o" <@ v."n" ELSE v."o" = v."n" END))`;
}

/** The audited fields as a table `f(key, id, secret, list)`; definition values only, so inlined. */
function fieldTable(fields: readonly AuditedField[]): Fragment {
  const flags = (pick: (f: AuditedField) => boolean) => `ARRAY[${fields.map((f) => String(pick(f))).join(", ")}]::boolean[]`;
  const keys = quoteLiteral(fields.map((f) => f.key));
  const ids = quoteLiteral(fields.map((f) => f.id));
  return raw(`unnest(${keys}, ${ids}, ${flags((f) => f.secret)}, ${flags((f) => f.list)}) AS f("key", "id", "secret", "list")`);
}
