import { fileURLToPath } from "node:url";
import { build } from "esbuild";

export interface BuildOptions {
  /** The plugin's entry, usually `src/index.ts` (its default export is the definition). */
  entry: string;
  /** Also write the bundle here (e.g. `dist/plugin.js`). */
  outfile?: string;
  minify?: boolean;
}

/**
 * Bundle a plugin into the one IIFE script the sandbox runs (`globalThis.plugin = …`). esbuild
 * resolves and strips TypeScript, inlines every import (the sandbox has no module loader) and
 * refuses Node built-ins, which do not exist in the isolate.
 *
 * @example
 * const code = await buildPlugin({ entry: "plugins/lead-scoring/src/index.ts" });
 * // "var plugin = (() => { … })();\n"
 */
export async function buildPlugin(options: BuildOptions): Promise<string> {
  const result = await build({
    entryPoints: [options.entry],
    bundle: true,
    format: "iife",
    globalName: "plugin",
    platform: "neutral",
    mainFields: ["module", "main"],
    target: "es2023",
    write: false,
    minify: options.minify ?? false,
    legalComments: "none",
    // definePlugin is the SDK's only code a bundle needs; resolving it here lets a plugin build
    // wherever its folder is, installed dependencies or not.
    alias: { "@crm/plugin-sdk": fileURLToPath(new URL("../index.ts", import.meta.url)) },
    logLevel: "silent",
    ...(options.outfile === undefined ? { outfile: "plugin.js" } : { outfile: options.outfile }),
  });
  const file = result.outputFiles.find((f) => f.path.endsWith(".js"));
  if (file === undefined) throw new Error(`esbuild wrote no script for ${options.entry}.`);
  if (options.outfile !== undefined) {
    const { mkdir, writeFile } = await import("node:fs/promises");
    const { dirname } = await import("node:path");
    await mkdir(dirname(options.outfile), { recursive: true });
    await writeFile(options.outfile, file.text);
  }
  return file.text;
}
