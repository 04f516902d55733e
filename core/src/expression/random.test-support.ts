/**
 * A seeded random source for the property tests (fast-check is not a dependency of core). Each
 * case has its own seed, so a failure names the seed that reproduces it.
 */
export interface Random {
  /** A float in [0, 1). */
  next(): number;
  /** An integer in [min, max]. */
  int(min: number, max: number): number;
  pick<T>(items: readonly T[]): T;
  chance(probability: number): boolean;
}

/** mulberry32: small, fast, good enough to explore inputs. */
export function createRandom(seed: number): Random {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    pick: (items) => items[Math.floor(next() * items.length)]!,
    chance: (probability) => next() < probability,
  };
}

/**
 * Run `check` on `runs` generated cases; a failure is rethrown with the seed and the case
 * (replay it with `forAll(1, generate, check, seed)`).
 */
export function forAll<T>(runs: number, generate: (random: Random) => T, check: (value: T) => void, firstSeed = 1): void {
  for (let i = 0; i < runs; i++) {
    const seed = firstSeed + i;
    const value = generate(createRandom(seed));
    try {
      check(value);
    } catch (error) {
      const shown = typeof value === "string" ? value : JSON.stringify(value, (_, v) => (typeof v === "bigint" ? v.toString() : v));
      throw new Error(`property failed for seed ${seed}: ${error instanceof Error ? error.message : String(error)}\ncase: ${shown?.slice(0, 3000)}`);
    }
  }
}
