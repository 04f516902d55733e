import type { CompositeConstraint, EntityDefinition } from "../definition/types.ts";
import { DATA_SCHEMA } from "../definition/types.ts";
import { pointer } from "../issues.ts";
import { compositeIndexName, compositeUniqueName } from "./constraint-names.ts";
import { compositeColumns } from "./entity-ddl.ts";
import { duplicateImpact } from "./impact-query.ts";
import { emit } from "./plan-env.ts";
import type { FieldState, PlanEnv } from "./plan-env.ts";
import type { Fragment } from "./sql.ts";

type Which = "uniques" | "indexes";

/**
 * Composite unique constraints and indexes, matched by id. One is rebuilt when its fields change, when
 * a member's columns change, or (unique) when a member's values change; renamed member keys need nothing.
 */
export function planComposites(env: PlanEnv, base: EntityDefinition, states: Map<string, FieldState>): void {
  for (const which of ["uniques", "indexes"] as const) {
    const before = base[which] ?? [];
    const after = env.next[which] ?? [];
    before.forEach((constraint, i) => {
      if (!after.some((c) => c.id === constraint.id)) drop(env, which, constraint, pointer(which, i), "removed");
    });
    after.forEach((constraint, i) => {
      const previous = before.find((c) => c.id === constraint.id);
      const members = memberIds(env.next, constraint);
      if (previous) {
        const sameFields = memberIds(base, previous).join("\u0000") === members.join("\u0000");
        const touched = members.some((id) => {
          const state = states.get(id);
          return state !== undefined && (state.columnsChanged || (which === "uniques" && state.dataChanged));
        });
        if (sameFields && !touched) return;
        drop(env, which, constraint, pointer(which, i), sameFields ? "rebuilt" : "changed");
      }
      add(env, which, constraint, pointer(which, i), members.map((id) => states.get(id)));
    });
  }
}

function memberIds(entity: EntityDefinition, constraint: CompositeConstraint): string[] {
  return constraint.fields.map((key) => entity.fields.find((f) => f.key === key)?.id ?? `?${key}`);
}

function drop(env: PlanEnv, which: Which, constraint: CompositeConstraint, at: string, why: "removed" | "rebuilt" | "changed"): void {
  const reason = why === "removed" ? "" : why === "rebuilt" ? " while the values of its fields change" : " to change its fields";
  if (which === "uniques") {
    emit(env, "dropConstraint", constraint.id, { kind: "dropCompositeUnique", table: env.table, name: compositeUniqueName(env.next, constraint) }, {
      class: "lossless",
      description: `Drop the rule that (${constraint.fields.join(", ")}) is unique together${reason}.`,
      pointer: at,
    });
  } else {
    emit(env, "dropConstraint", constraint.id, { kind: "dropCompositeIndex", schema: DATA_SCHEMA, name: compositeIndexName(env.next, constraint) }, {
      class: "lossless",
      description: `Drop the index on (${constraint.fields.join(", ")})${reason}.`,
      pointer: at,
    });
  }
}

function add(env: PlanEnv, which: Which, constraint: CompositeConstraint, at: string, states: Array<FieldState | undefined>): void {
  const columns = compositeColumns(env.next, constraint);
  if (columns.length === 0) return;
  if (which === "indexes") {
    emit(env, "index", constraint.id, { kind: "addCompositeIndex", table: env.table, name: compositeIndexName(env.next, constraint), columns }, {
      class: "additive",
      description: `Index (${constraint.fields.join(", ")}) for faster search and sorting.`,
      pointer: at,
    });
    return;
  }
  const values = states.flatMap((s) => s?.values ?? [null]);
  const known = values.every((v): v is Fragment => v !== null) ? values : null;
  emit(env, "unique", constraint.id, { kind: "addCompositeUnique", table: env.table, name: compositeUniqueName(env.next, constraint), columns }, {
    class: "additive",
    description: `Require (${constraint.fields.join(", ")}) to be unique together.`,
    pointer: at,
    impacts: known ? [duplicateImpact(env.source, known, "{count} rows share their combination of values with another row; make them unique first")] : [],
  });
}
