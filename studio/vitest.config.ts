import { defineProject, mergeConfig } from "vitest/config";
import viteConfig from "./vite.config.ts";

/** Component and store tests: the app's own Vite plugins (Vue SFCs, Element Plus on demand) in happy-dom. */
export default mergeConfig(
  viteConfig({ command: "serve", mode: "test" }),
  defineProject({
    test: { name: "studio", root: import.meta.dirname, include: ["src/**/*.test.ts"], environment: "happy-dom", server: { deps: { inline: ["element-plus"] } } },
  }),
);
