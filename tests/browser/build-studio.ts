import { buildIfStale } from "../../studio/scripts/build-if-stale.ts";

/** Vitest global setup of the browser tests: build the studio once per run, only when its sources changed. */
export default function buildStudio(): void {
  const started = performance.now();
  if (buildIfStale()) console.log(`built the studio for the browser tests in ${Math.round(performance.now() - started)} ms`);
}
