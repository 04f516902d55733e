import { databaseTargets } from "../../support/databases.ts";

/** Generated requests per CI run, across every database target and every fuzz suite. */
export const TOTAL_CASES = Number(process.env.FUZZ_CASES ?? 5_000);

/**
 * One seed for the whole run: `FUZZ_SEED` replays a run, otherwise a fresh one that every suite
 * prints. Vitest runs each file in its own worker, so a random seed is derived per process and printed.
 */
export const FUZZ_SEED = process.env.FUZZ_SEED !== undefined ? Number(process.env.FUZZ_SEED) : (Math.random() * 2 ** 31) | 0;

/** Share of the run's cases given to each suite; they add up to 1. */
export const SHARES = { writes: 0.35, queries: 0.4, meta: 0.1, protocol: 0.15 } as const;

/**
 * `numRuns` for one suite on one database target: the targets split the total evenly, so the run
 * always makes at least `TOTAL_CASES` requests whether PGlite runs alone or beside PostgreSQL.
 */
export function numRunsFor(suite: keyof typeof SHARES): number {
  return Math.ceil((TOTAL_CASES * SHARES[suite]) / databaseTargets.length);
}

/** `fc.assert` parameters for a suite, printing what is needed to replay it. */
export function fuzzParameters(suite: keyof typeof SHARES, target: string) {
  const numRuns = numRunsFor(suite);
  console.log(`[fuzz] ${suite} on ${target}: ${numRuns} cases, seed ${FUZZ_SEED} (replay with FUZZ_SEED=${FUZZ_SEED})`);
  return { numRuns, seed: FUZZ_SEED };
}
