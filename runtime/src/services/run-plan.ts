import type { MigrationPlan, MigrationStep } from "@crm/core";
import type { Queryable } from "../db/database.ts";
import { MigrationBlocked } from "../errors.ts";

/** One impact of one step, measured on the live data just before the step would run. */
export interface MeasuredImpact {
  stepId: string;
  count: number;
  message: string;
  blocks: boolean;
}

export interface StepReport {
  id: string;
  kind: string;
  class: MigrationStep["class"];
  description: string;
  pointer: string;
  sql: string[];
  impacts: Array<{ count: number; message: string; blocks: boolean }>;
  requiresConfirmation: boolean;
}

/**
 * Run a plan's steps in order inside the caller's transaction, measuring each step's impacts on the
 * live data right before it runs (so counts are exact even when earlier steps renamed or converted
 * columns). A blocking impact with a non-zero count stops everything with MIGRATION_BLOCKED, unless
 * `dryRun` is set: a preview measures every step and reports instead of throwing; its caller rolls back.
 */
export async function runPlan(tx: Queryable, plan: MigrationPlan, options: { dryRun?: boolean } = {}): Promise<StepReport[]> {
  const reports: StepReport[] = [];
  for (const step of plan.steps) {
    const impacts = [];
    for (const impact of step.impacts) {
      const rows = await tx.query<{ count: number | string }>(impact.sql.text, impact.sql.params);
      const count = Number(rows[0]?.count ?? 0);
      impacts.push({ count, message: impact.message.replaceAll("{count}", String(count)), blocks: Boolean(impact.blocksWhenNonZero && count > 0) });
    }
    const blocking = impacts.filter((i) => i.blocks);
    if (blocking.length && !options.dryRun) {
      throw MigrationBlocked(blocking.map((b) => b.message).join(" "), {
        issues: blocking.map((b) => ({ code: "BLOCKED_BY_DATA", pointer: step.pointer, message: b.message })),
        extra: { stepId: step.id },
      });
    }
    reports.push({ ...describe(step), impacts });
    // A blocked step cannot run even in a dry run; later steps are still listed, unmeasured.
    if (blocking.length) {
      for (const rest of plan.steps.slice(plan.steps.indexOf(step) + 1)) {
        reports.push({ ...describe(rest), impacts: [] });
      }
      return reports;
    }
    for (const statement of step.sql) await tx.query(statement.text, statement.params);
  }
  return reports;
}

function describe(step: MigrationStep): StepReport {
  return {
    id: step.id,
    kind: step.kind,
    class: step.class,
    description: step.description,
    pointer: step.pointer,
    sql: step.sql.map((s) => s.text),
    impacts: [],
    requiresConfirmation: step.class === "lossy",
  };
}
