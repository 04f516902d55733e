import { compileAggregate, parseAggregateQuery, resolveAggregateQuery, type EntityDefinition, type Issue } from "@crm/core";
import type { Queryable } from "../db/database.ts";

export type AssignStrategy = "roundRobin" | "loadBalanced";

export interface PickOptions {
  /** Names the rotation, e.g. `workflow:<id>:<stepId>`; each key keeps its own turn. */
  key: string;
  /** The users to choose from, in a stable order (as `resolvePeople` gives them). */
  candidates: readonly string[];
  strategy: AssignStrategy;
  /** loadBalanced: the entity whose records count as load… */
  entity?: EntityDefinition;
  entities?: readonly EntityDefinition[];
  /** …and which of them count (list API filter syntax, ANDed, e.g. `stage:nin:(closed_won,closed_lost)`); all when absent. */
  openFilter?: readonly string[];
}

/** The open filter does not fit the entity (a definition error, reported with the query's issues). */
export class AssignmentFilterError extends Error {
  readonly issues: Issue[];
  constructor(issues: Issue[]) {
    super(`The open-records filter is invalid: ${issues.map((i) => i.message).join("; ")}`);
    this.issues = issues;
  }
}

/**
 * Choose who gets the next record, inside the caller's transaction. `roundRobin` takes the candidate
 * after the last one chosen under `key` (wrapping; from the first when the last has left the set);
 * `loadBalanced` takes the candidate owning the fewest open records of the entity, ties going round
 * the same rotation. The rotation row stays locked until the transaction ends, so concurrent picks take
 * turns and nobody is chosen twice in a row by a race; it survives restarts. Null when nobody is left.
 * @example await pickAssignee(tx, { key: "workflow:lead-intake:assign", candidates, strategy: "roundRobin" })
 */
export async function pickAssignee(tx: Queryable, options: PickOptions): Promise<string | null> {
  const candidates = [...new Set(options.candidates)];
  if (candidates.length === 0) return null;
  await tx.query(`insert into assignment_cursors (key) values ($1) on conflict (key) do nothing`, [options.key]);
  const [cursor] = await tx.query<{ last: string | null }>(`select last_user_id::text as last from assignment_cursors where key = $1 for update`, [options.key]);
  const after = candidates.indexOf(cursor?.last ?? "");
  // Candidates in turn order: the one after the last chosen first.
  const turn = [...candidates.slice(after + 1), ...candidates.slice(0, after + 1)];
  let chosen = turn[0]!;
  if (options.strategy === "loadBalanced") {
    const load = await openRecords(tx, candidates, options);
    chosen = turn.reduce((best, user) => ((load.get(user) ?? 0) < (load.get(best) ?? 0) ? user : best), chosen);
  }
  await tx.query(`update assignment_cursors set last_user_id = $2::uuid, updated_at = now() where key = $1`, [options.key, chosen]);
  return chosen;
}

/** Open records per candidate, counted by the aggregate compiler (one grouped statement). */
async function openRecords(tx: Queryable, candidates: readonly string[], options: PickOptions): Promise<Map<string, number>> {
  if (!options.entity) throw new AssignmentFilterError([{ code: "REQUIRED", pointer: "/entity", message: "loadBalanced needs the entity whose records count as load." }]);
  const params = new URLSearchParams({ groupBy: "ownerId" });
  params.append("filter", `ownerId:in:(${candidates.join(",")})`);
  for (const filter of options.openFilter ?? []) params.append("filter", filter);
  const parsed = parseAggregateQuery(params);
  if (!parsed.ok) throw new AssignmentFilterError(parsed.issues);
  const resolved = resolveAggregateQuery(parsed.value, options.entity, options.entities ?? [options.entity]);
  if (!resolved.ok) throw new AssignmentFilterError(resolved.issues);
  const statement = compileAggregate(resolved.value);
  const rows = await tx.query<{ key: unknown; count: number | string }>(statement.text, statement.params);
  const load = new Map<string, number>();
  for (const row of rows) {
    const key = (typeof row.key === "string" ? JSON.parse(row.key) : row.key) as { ownerId?: string };
    if (key.ownerId) load.set(key.ownerId, Number(row.count));
  }
  return load;
}
