import { spawnSync } from "node:child_process";
import { readdirSync, statSync } from "node:fs";
import { join, resolve } from "node:path";

/** What the build reads: when any of it is newer than `dist/index.html`, the build is stale. */
const STUDIO = resolve(import.meta.dirname, "..");
const SOURCES = ["src", "public", "index.html", "vite.config.ts", "package.json", "../core/src", "../pnpm-lock.yaml"];

function newest(path: string): number {
  const info = statSync(path, { throwIfNoEntry: false });
  if (!info) return 0;
  if (!info.isDirectory()) return info.mtimeMs;
  return Math.max(info.mtimeMs, ...readdirSync(path).map((name) => newest(join(path, name))));
}

/** The time of the last build, or 0 when there is none. */
export function builtAt(studioDir = STUDIO): number {
  return statSync(join(studioDir, "dist", "index.html"), { throwIfNoEntry: false })?.mtimeMs ?? 0;
}

/** Whether the studio must be (re)built: no build yet, or a source changed since. */
export function isStale(studioDir = STUDIO): boolean {
  const built = builtAt(studioDir);
  return built === 0 || SOURCES.some((source) => newest(join(studioDir, source)) > built);
}

/** Runs `vite build` when the build is missing or older than its sources. */
export function buildIfStale(studioDir = STUDIO): boolean {
  if (!isStale(studioDir)) return false;
  const result = spawnSync(process.execPath, [join(studioDir, "node_modules", "vite", "bin", "vite.js"), "build", "--logLevel", "warn"], {
    cwd: studioDir,
    stdio: "inherit",
    // Under vitest NODE_ENV is "test", which would keep Vue's development code in the bundle.
    env: { ...process.env, NODE_ENV: "production" },
  });
  if (result.status !== 0) throw new Error(`vite build failed (exit ${result.status})`);
  return true;
}

if (import.meta.main) {
  const built = buildIfStale();
  console.log(built ? "Studio built." : "Studio build is up to date.");
}
