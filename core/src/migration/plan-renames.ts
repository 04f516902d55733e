import { emit } from "./plan-env.ts";
import type { PendingRename, PlanEnv } from "./plan-env.ts";
import type { StepSpec } from "./step-spec.ts";

/**
 * Emit the collected key renames in an order that never takes a name still in use: a rename waits
 * for the rename that frees its target. Renames left in a cycle (two fields swapping keys) first
 * move aside to temporary names, then to their targets.
 * @example // a→b, b→a: "renameColumn:<a>:aside", "renameColumn:<b>:aside", then both final renames
 */
export function planRenames(env: PlanEnv): void {
  const pending = [...env.renames];
  const ordered: PendingRename[] = [];
  for (;;) {
    const ready = pending.find((r) => !pending.some((other) => other !== r && blocks(other, r)));
    if (!ready) break;
    ordered.push(ready);
    pending.splice(pending.indexOf(ready), 1);
  }
  for (const r of pending) {
    const toAside = r.renames.map((rename, i) => ({ from: rename.from, to: r.aside[i] ?? rename.from }));
    emit(env, "moveAside", `${r.subject}:aside`, spec(env, r, toAside), { class: "lossless", description: `${r.description} (first under a temporary name, as keys are swapped)`, pointer: r.pointer });
  }
  for (const r of ordered) emit(env, "rename", r.subject, spec(env, r, r.renames), { class: "lossless", description: r.description, pointer: r.pointer });
  for (const r of pending) {
    const fromAside = r.renames.map((rename, i) => ({ from: r.aside[i] ?? rename.from, to: rename.to }));
    emit(env, "rename", r.subject, spec(env, r, fromAside), { class: "lossless", description: r.description, pointer: r.pointer });
  }
}

/** `other` still holds a name that `r` wants. */
function blocks(other: PendingRename, r: PendingRename): boolean {
  return other.kind === r.kind && other.renames.some((o) => r.renames.some((x) => x.to === o.from));
}

function spec(env: PlanEnv, r: PendingRename, renames: Array<{ from: string; to: string }>): StepSpec {
  if (r.kind === "renameColumn") return { kind: "renameColumn", table: env.table, renames };
  const [first] = renames;
  return { kind: "renameJoinTable", from: { schema: env.table.schema, name: first?.from ?? "" }, to: first?.to ?? "" };
}
