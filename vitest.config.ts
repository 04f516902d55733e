import { defineConfig } from "vitest/config";
import SummaryReporter from "./tests/support/summary-reporter.ts";

export default defineConfig({
  test: {
    include: ["core/src/**/*.test.ts", "runtime/src/**/*.test.ts", "plugins/*/src/**/*.test.ts", "tests/integration/**/*.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    reporters: ["default", new SummaryReporter()],
  },
});
