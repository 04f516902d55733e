/**
 * Run a plugin's tests (`src/**\/*.test.ts`) with vitest's Node API, ignoring any vitest config
 * of an enclosing repository (whose include globs would not find them). Resolves to whether all
 * passed.
 * @example await runPluginTests("plugins/lead-scoring", []) // true
 */
export async function runPluginTests(dir: string, filters: string[]): Promise<boolean> {
  let vitest: typeof import("vitest/node");
  try {
    vitest = await import("vitest/node");
  } catch {
    throw new Error("crm-plugin test needs vitest: add it to the plugin's devDependencies (pnpm add -D vitest).");
  }
  const before = process.exitCode;
  process.exitCode = 0;
  const run = await vitest.startVitest("test", filters, { run: true, watch: false, root: dir, config: false, include: ["src/**/*.test.ts"] });
  await run?.close();
  const passed = run !== undefined && process.exitCode === 0 && run.state.getCountOfFailedTests() === 0;
  process.exitCode = before;
  return passed;
}
