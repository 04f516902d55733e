import {
  historyInsertSql,
  historyKeys,
  OWNER_COLUMN,
  textArrayLiteral,
  toStatement,
  type EntityDefinition,
  type HistoryAction,
  type HistoryEntry,
  type RecordChanges,
} from "@crm/core";
import type { Queryable } from "../db/database.ts";

export { actorUserId, createHistorySql, diffRecords, historyChangesSql, SYSTEM_ACTOR, type Actor, type HistoryEntry } from "@crm/core";

/**
 * Append history entries inside the change's own transaction (a rolled-back write leaves none): one
 * multi-row INSERT for the whole batch; updates with no audited change write nothing.
 * @example await writeHistory(tx, [{ entity, recordId, action: "update", actor, changes: diffRecords(entity, before, after) }]);
 */
export async function writeHistory(tx: Queryable, entries: readonly HistoryEntry[]): Promise<void> {
  const fragment = historyInsertSql(entries);
  if (!fragment) return;
  const statement = toStatement(fragment);
  await tx.query(statement.text, statement.params);
}

/** One entry as the history route returns it. */
export interface HistoryItem {
  id: number;
  /** ISO 8601. */
  at: string;
  action: HistoryAction;
  actor: { kind: string; id: string | null; userId: string | null; name?: string };
  requestId: string | null;
  /** By current field key; only fields the caller may read. */
  changes: RecordChanges;
}

export interface HistoryPage {
  items: HistoryItem[];
  /** Pass as `before` for the next (older) page; null on the last page. */
  nextBefore: number | null;
}

interface HistoryRow {
  id: string | number;
  at: Date | string;
  action: HistoryAction;
  actor_kind: string;
  actor_id: string | null;
  actor_user_id: string | null;
  actor_name: string | null;
  request_id: string | null;
  changes: unknown;
}

/**
 * A record's history, newest first, as the caller may see it: each entry's changes only for `readable`
 * field keys (and the owner); updates left with no visible change are left out, creates and deletes
 * stay (perhaps with empty changes). Entries stored under a field id the definition no longer has (a
 * deleted field) are not shown. Pages by entry id: `before` is the previous page's `nextBefore`.
 */
export async function readHistory(
  q: Queryable,
  options: { entity: EntityDefinition; recordId: string; readable: ReadonlySet<string>; limit: number; before?: number | undefined },
): Promise<HistoryPage> {
  const keys = historyKeys(options.entity);
  const visible = [...keys].filter(([id, key]) => id === OWNER_COLUMN || options.readable.has(key)).map(([id]) => id);
  const rows = await q.query<HistoryRow>(
    `select h.id, h.at, h.action, h.actor_kind, h.actor_id, h.actor_user_id, u.name as actor_name, h.request_id,
        (select coalesce(jsonb_object_agg(c.key, c.value), '{}'::jsonb) from jsonb_each(h.changes) c where c.key = any($3::text[])) as changes
       from record_history h left join users u on u.id = h.actor_user_id
      where h.entity_id = $1 and h.record_id = $2::uuid and ($4::bigint is null or h.id < $4::bigint)
        and (h.action <> 'update' or h.changes ?| $3::text[])
      order by h.id desc limit $5::int`,
    [options.entity.id, options.recordId, textArrayLiteral(visible), options.before ?? null, options.limit + 1],
  );
  const items = rows.slice(0, options.limit).map((row) => historyItem(row, keys));
  return { items, nextBefore: rows.length > options.limit ? items[items.length - 1]!.id : null };
}

function historyItem(row: HistoryRow, keys: ReadonlyMap<string, string>): HistoryItem {
  const stored = (typeof row.changes === "string" ? JSON.parse(row.changes) : row.changes) as RecordChanges;
  // In the definition's order (owner first), under today's keys.
  const changes: RecordChanges = {};
  for (const [id, key] of keys) if (stored[id]) changes[key] = stored[id];
  const actor: HistoryItem["actor"] = { kind: row.actor_kind, id: row.actor_id, userId: row.actor_user_id };
  if (row.actor_name !== null) actor.name = row.actor_name;
  return { id: Number(row.id), at: new Date(row.at).toISOString(), action: row.action, actor, requestId: row.request_id, changes };
}
