import type { CompiledExpression } from "@crm/core";
import { AppError } from "../errors.ts";
import type { Caller } from "../services/caller.ts";
import type { RecordReads } from "../services/record-reads.ts";
import type { RecordJson as RunRecord } from "./step-context.ts";

type RecordJson = Record<string, unknown>;

/**
 * Load the related records that expressions read through relations (`account.industry`), so the
 * synchronous evaluator can look them up: one read per distinct record, as `read` allows (a record
 * the identity may not see reads as null). Returns the `lookup` for the evaluation context.
 * @example const lookup = await loadRelated([condition], deal, (entity, id) => readAs(caller, entity, id));
 */
export async function loadRelated(
  expressions: ReadonlyArray<CompiledExpression | undefined>,
  record: RecordJson | null,
  read: (entity: string, id: string) => Promise<RecordJson | null>,
): Promise<(entity: string, id: string) => RecordJson | null> {
  const loaded = new Map<string, RecordJson | null>();
  const load = async (entity: string, id: string) => {
    const key = `${entity}:${id}`;
    if (!loaded.has(key)) loaded.set(key, await read(entity, id));
    return loaded.get(key) ?? null;
  };
  for (const expression of expressions) {
    for (const reference of expression?.fields ?? []) {
      let current: RecordJson | null = record;
      for (let i = 0; i < reference.steps.length - 1 && current; i++) {
        const id = current[reference.steps[i]!.field];
        current = typeof id === "string" ? await load(reference.steps[i + 1]!.entity, id) : null;
      }
    }
  }
  return (entity, id) => loaded.get(`${entity}:${id}`) ?? null;
}

/**
 * Read one record as a caller, JSON-parsed; null when it is missing or out of the caller's scope.
 * @example const read = recordReader(reads, caller); await read("account", id)
 */
export function recordReader(reads: RecordReads, caller: Caller): (entity: string, id: string) => Promise<RunRecord | null> {
  return async (entity, id) => {
    try {
      return JSON.parse((await reads.get(entity, id, new URLSearchParams(), caller)).json) as RunRecord;
    } catch (error) {
      if (error instanceof AppError && error.status === 404) return null;
      throw error;
    }
  };
}
