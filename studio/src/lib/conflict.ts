import type { EntityDefinition, FieldDefinition } from "@crm/core";

export type Choice = "mine" | "theirs";

/** One field the user changed, beside the server's current value; `clash` when both sides differ from where the user started. */
export interface ConflictRow {
  field: FieldDefinition;
  mine: unknown;
  theirs: unknown;
  clash: boolean;
}

const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/**
 * The fields of a stale save: each the user changed (`changes`, the update body), with the server's
 * current value (`current`, form values of the record as it is now) and whether someone else changed it too.
 * @example conflictRows(deal, { stage: "won" }, { stage: "new" }, { stage: "lost" }) // [{ field: stage, mine: "won", theirs: "lost", clash: true }]
 */
export function conflictRows(def: EntityDefinition, changes: Record<string, unknown>, original: Record<string, unknown>, current: Record<string, unknown>): ConflictRow[] {
  return def.fields.flatMap((field) => {
    if (!(field.key in changes)) return [];
    const theirs = current[field.key] ?? null;
    return [{ field, mine: changes[field.key], theirs, clash: !same(theirs, original[field.key]) && !same(theirs, changes[field.key]) }];
  });
}

/**
 * The form's values after choosing: the server's current values, with the user's where they keep theirs.
 * @example resolveConflict({ stage: "lost", name: "B" }, rows, { stage: "mine" }) // { stage: "won", name: "B" }
 */
export function resolveConflict(current: Record<string, unknown>, rows: readonly ConflictRow[], choices: Readonly<Record<string, Choice>>): Record<string, unknown> {
  const values = { ...current };
  for (const row of rows) if ((choices[row.field.key] ?? "mine") === "mine") values[row.field.key] = row.mine;
  return values;
}
