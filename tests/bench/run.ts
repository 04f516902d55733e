// `pnpm bench`: every benchmark in this folder, each printing ratios against a baseline measured in
// the same run. Targets are stated next to each ratio; a missed target makes the exit code non-zero.
import { readdir } from "node:fs/promises";

const files = (await readdir(import.meta.dirname)).filter((f) => f.endsWith(".bench.ts")).sort();
let failed = 0;
for (const file of files) {
  console.log(`\n# ${file}`);
  const { run } = (await import(`./${file}`)) as { run: () => Promise<boolean> };
  if (!(await run())) failed++;
}
console.log(`\n${files.length - failed} benchmark file(s) met their targets, ${failed} missed`);
process.exit(failed ? 1 : 0);
