import type { ResolvedPath } from "../query/types.ts";

/**
 * One field path an expression reads. `steps` says on which entity each segment is read: for
 * `account.industry` on an opportunity, `[{ entity: "opportunity", field: "account" }, { entity:
 * "account", field: "industry" }]`. The first step is the record's own field whose change matters;
 * the steps before the last are the relations whose records must be loaded.
 */
export interface FieldReference {
  path: string;
  steps: Array<{ entity: string; field: string }>;
}

/** The references of the paths a checker collected, sorted by path. */
export function fieldReferences(fields: ReadonlyMap<string, ResolvedPath>): FieldReference[] {
  return [...fields.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([path, resolved]) => ({
      path,
      steps: [
        ...resolved.hops.map((hop) => ({ entity: hop.from.key, field: hop.field.key })),
        { entity: resolved.entity.key, field: resolved.field.key },
      ],
    }));
}
