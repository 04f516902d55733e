import { defineConfig } from "vitest/config";
import SummaryReporter from "./tests/support/summary-reporter.ts";

export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 120_000,
    reporters: ["default", new SummaryReporter()],
    projects: [
      {
        extends: true,
        test: { name: "node", include: ["core/src/**/*.test.ts", "runtime/src/**/*.test.ts", "plugins/*/src/**/*.test.ts", "tests/integration/**/*.test.ts"] },
      },
      // The studio in a real browser against a real runtime; the studio is built once per run, before these files.
      {
        extends: true,
        test: { name: "browser", include: ["tests/browser/**/*.test.ts"], globalSetup: ["tests/browser/build-studio.ts"], expect: { poll: { timeout: 10_000 } } },
      },
      "./studio/vitest.config.ts",
    ],
  },
});
