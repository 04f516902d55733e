import { renderStep } from "./render-step.ts";
import { stableHash } from "./stable-hash.ts";
import type { StepSpec } from "./step-spec.ts";
import type { ImpactQuery, MigrationStep, StepClass } from "./types.ts";

/**
 * The order steps run in. Frees names before taking them (drop constraints, park, rename, restore,
 * then add), changes data before re-checking constraints, and builds indexes last.
 */
export const PHASES = [
  "table",
  "dropConstraint",
  "park",
  "moveAside",
  "rename",
  "restore",
  "add",
  "data",
  "foreignKey",
  "defaults",
  "notNull",
  "check",
  "unique",
  "index",
  "purge",
] as const;

export type Phase = (typeof PHASES)[number];

/** A step before rendering: typed parameters plus what the preview shows. */
export interface PlannedStep {
  phase: Phase;
  /** Stable id of what the step is about (entity, field or constraint id), unique per kind within a plan. */
  subject: string;
  spec: StepSpec;
  class: StepClass;
  description: string;
  pointer: string;
  impacts: ImpactQuery[];
}

/**
 * Order planned steps by phase (stable within a phase), render their SQL and give each its id:
 * `<kind>:<subject>`, and for lossy steps a hash of their SQL too, so a confirmation given for one
 * lossy change can never be replayed onto a different one.
 */
export function finishSteps(planned: PlannedStep[]): MigrationStep[] {
  const sorted = planned
    .map((step, order) => ({ step, order }))
    .sort((a, b) => PHASES.indexOf(a.step.phase) - PHASES.indexOf(b.step.phase) || a.order - b.order)
    .map(({ step }) => step);
  const seen = new Set<string>();
  return sorted.map((step) => {
    const sql = renderStep(step.spec);
    const base = `${step.spec.kind}:${step.subject}`;
    const id = step.class === "lossy" ? `${base}:${stableHash(JSON.stringify(sql))}` : base;
    if (seen.has(id)) throw new Error(`planMigration: duplicate step id ${id}`);
    seen.add(id);
    return { id, kind: step.spec.kind, class: step.class, description: step.description, pointer: step.pointer, sql, impacts: step.impacts };
  });
}
