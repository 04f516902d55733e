import type { EntityDefinition, FieldDefinition, Issue } from "@crm/core";
import { isEditable, isEmpty } from "./record-values.ts";

/** Fields a bulk edit may set: editable, writable by the caller, and not unique (one value for many records). */
export function bulkFields(def: EntityDefinition, canWrite: (key: string) => boolean): FieldDefinition[] {
  return def.fields.filter((f) => isEditable(f) && canWrite(f.key) && !("unique" in f && f.unique) && f.type !== "json");
}

/**
 * The batch update body: the same changes for every record, each with its version (If-Match per item).
 * A cleared value is null (an empty list for many-valued fields).
 * @example bulkBody(deal, [{ id: "a", version: 3 }], { stage: "won" }) // [{ id: "a", version: 3, stage: "won" }]
 */
export function bulkBody(def: EntityDefinition, records: ReadonlyArray<{ id: string; version: number }>, values: Record<string, unknown>): Array<Record<string, unknown> & { id: string; version: number }> {
  const changes: Record<string, unknown> = {};
  for (const field of def.fields) {
    if (!(field.key in values)) continue;
    const many = field.type === "multiSelect" || (field.type === "relation" && field.relation === "manyToMany");
    changes[field.key] = isEmpty(values[field.key]) ? (many ? [] : null) : values[field.key];
  }
  return records.map((r) => ({ id: r.id, version: r.version, ...changes }));
}

export interface RecordIssue {
  /** Index of the record in the batch, or undefined for the batch as a whole. */
  index: number | undefined;
  field: string | undefined;
  message: string;
}

/**
 * A batch's issues by record: `/<index>/<field>/…` → that record and field.
 * @example issuesByRecord([{ code: "X", pointer: "/1/amount", message: "too big" }]) // [{ index: 1, field: "amount", message: "too big" }]
 */
export function issuesByRecord(issues: readonly Issue[]): RecordIssue[] {
  return issues.map((issue) => {
    const [index, field] = issue.pointer.split("/").slice(1);
    const at = index !== undefined && /^\d+$/.test(index) ? Number(index) : undefined;
    return { index: at, field: at === undefined ? undefined : field || undefined, message: issue.message };
  });
}
