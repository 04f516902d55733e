import type { ReadPolicy } from "../access/read-policy.ts";
import type { SqlStatement } from "../migration/types.ts";
import { attachExpanded, expandIds, type ExpandRow, type RecordJson } from "./attach-expanded.ts";
import { compileExpand } from "./compile-expand.ts";
import type { ResolvedExpand } from "./types.ts";

/** Runs one statement and returns its rows (the caller's database; core does no I/O itself). */
export type RunStatement = (statement: SqlStatement) => Promise<Array<Record<string, unknown>>>;

/**
 * Embed every expanded relation in a page of records: one statement per expanded relation per
 * level, none when there is nothing to load. `policy` restricts the target rows and fields.
 * @example await expandRecords(page, query.expand, (s) => db.query(s.text, s.params).then((r) => r.rows))
 */
export async function expandRecords(
  records: readonly RecordJson[],
  expands: readonly ResolvedExpand[],
  run: RunStatement,
  options: { policy?: ReadPolicy | undefined } = {},
): Promise<RecordJson[]> {
  let current = [...records];
  for (const expand of expands) {
    const ids = expandIds(current, expand);
    let rows: ExpandRow[] = [];
    if (ids.length > 0) {
      rows = (await run(compileExpand(expand, ids, options.policy ? { policy: options.policy } : {}))) as unknown as ExpandRow[];
    }
    if (expand.children.length > 0 && rows.length > 0) {
      const children = await expandRecords(rows.map((row) => row.r), expand.children, run, options);
      rows = rows.map((row, i) => ({ ...row, r: children[i]! }));
    }
    current = attachExpanded(current, expand, rows);
  }
  return current;
}
