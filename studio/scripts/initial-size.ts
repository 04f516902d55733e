import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { gzipSync } from "node:zlib";

/** The end user's first screen: the app entry, the shell and the list view, with everything they import statically. */
export const END_USER_ENTRIES = ["index.html", "src/components/layout/AppShell.vue", "src/views/RecordListView.vue"];
export const INITIAL_JS_BUDGET = 250 * 1024;

interface ManifestChunk {
  file: string;
  imports?: string[];
}

/**
 * The JavaScript files a browser downloads to show the end-user route, from Vite's build manifest,
 * with their gzipped sizes (admin screens and the record page are separate lazy chunks and not counted).
 */
export function initialJs(distDir: string, entries: readonly string[] = END_USER_ENTRIES): { files: Array<{ file: string; gzip: number }>; total: number } {
  const manifest = JSON.parse(readFileSync(join(distDir, ".vite", "manifest.json"), "utf8")) as Record<string, ManifestChunk>;
  const seen = new Set<string>();
  const visit = (key: string) => {
    if (seen.has(key)) return;
    const chunk = manifest[key];
    if (!chunk) throw new Error(`${key} is not in the build manifest`);
    seen.add(key);
    for (const imported of chunk.imports ?? []) visit(imported);
  };
  for (const entry of entries) visit(entry);
  const files = [...seen].map((key) => manifest[key]!.file).filter((file) => file.endsWith(".js")).map((file) => ({ file, gzip: gzipSync(readFileSync(join(distDir, file))).length }));
  return { files, total: files.reduce((sum, f) => sum + f.gzip, 0) };
}

if (import.meta.main) {
  const { files, total } = initialJs(resolve(import.meta.dirname, "..", "dist"));
  for (const f of files.sort((a, b) => b.gzip - a.gzip)) console.log(`${(f.gzip / 1024).toFixed(1).padStart(8)} KB  ${f.file}`);
  console.log(`${(total / 1024).toFixed(1).padStart(8)} KB  initial JS of the end-user route, gzipped (budget ${INITIAL_JS_BUDGET / 1024} KB)`);
  if (total > INITIAL_JS_BUDGET) process.exit(1);
}
