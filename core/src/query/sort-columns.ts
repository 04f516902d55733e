import type { JoinPlanner } from "./join-planner.ts";
import type { SortColumn } from "./keyset.ts";
import type { ResolvedSort } from "./types.ts";
import { valueKind } from "./value-kind.ts";

const NOT_NULL_SYSTEM = ["id", "createdAt", "updatedAt", "version"];

/** The sort of a list query as SQL columns, joined through the planner. */
export function sortColumns(sort: readonly ResolvedSort[], planner: JoinPlanner): SortColumn[] {
  return sort.map((term) => {
    const field = term.path.field;
    const nullable = term.path.hops.length > 0 || field.type !== "system" || !NOT_NULL_SYSTEM.includes(field.key);
    return { column: planner.column(term.path), direction: term.direction, kind: valueKind(term.path), nullable };
  });
}
