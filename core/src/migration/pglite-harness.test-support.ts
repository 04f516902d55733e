import { PGlite } from "@electric-sql/pglite";
import type { MigrationPlan, MigrationStep } from "./types.ts";

/** A PGlite database with the `data` and `data_trash` schemas, for running generated SQL for real (tests only). */
export interface TestDatabase {
  db: PGlite;
  reset(): Promise<void>;
  /** Measure every impact, then run every step; returns the impact counts per step id. */
  apply(plan: MigrationPlan): Promise<Record<string, number[]>>;
  measure(plan: MigrationPlan): Promise<Record<string, number[]>>;
  run(step: MigrationStep): Promise<void>;
  rows(sql: string, params?: unknown[]): Promise<Array<Record<string, unknown>>>;
  /** `SELECT <expr>::text` of one column of a table ordered by a column, for exact comparisons. */
  column(table: string, expression: string, orderBy?: string): Promise<Array<string | null>>;
}

export async function createTestDatabase(): Promise<TestDatabase> {
  const db = new PGlite();
  const self: TestDatabase = {
    db,
    async reset() {
      await db.exec(`DROP SCHEMA IF EXISTS "data" CASCADE; DROP SCHEMA IF EXISTS "data_trash" CASCADE; CREATE SCHEMA "data"; CREATE SCHEMA "data_trash";`);
    },
    async measure(plan) {
      if (plan.refusals.length > 0) throw new Error(`plan refused: ${JSON.stringify(plan.refusals)}`);
      const counts: Record<string, number[]> = {};
      for (const step of plan.steps) {
        counts[step.id] = [];
        for (const impact of step.impacts) {
          const result = await db.query<{ count: number }>(impact.sql.text, impact.sql.params as unknown[]);
          if (result.rows.length !== 1) throw new Error(`impact returned ${result.rows.length} rows: ${impact.sql.text}`);
          counts[step.id]?.push(result.rows[0]?.count ?? NaN);
        }
      }
      return counts;
    },
    async apply(plan) {
      const counts = await self.measure(plan);
      await db.transaction(async (tx) => {
        for (const step of plan.steps) {
          for (const statement of step.sql) {
            try {
              await tx.query(statement.text, statement.params as unknown[]);
            } catch (error) {
              throw new Error(`${step.id} failed: ${(error as Error).message}\n${statement.text}`);
            }
          }
        }
      });
      return counts;
    },
    async run(step) {
      for (const statement of step.sql) await db.query(statement.text, statement.params as unknown[]);
    },
    async rows(sql, params = []) {
      return (await db.query<Record<string, unknown>>(sql, params)).rows;
    },
    async column(table, expression, orderBy = `"createdAt", "id"`) {
      const rows = await self.rows(`SELECT (${expression})::text AS v FROM ${table} ORDER BY ${orderBy}`);
      return rows.map((r) => (r["v"] ?? null) as string | null);
    },
  };
  await db.exec(`SET TIME ZONE 'UTC'`);
  await self.reset();
  return self;
}
