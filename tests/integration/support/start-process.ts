import { spawn, type ChildProcess } from "node:child_process";
import { createRequire } from "node:module";
import { join } from "node:path";

const require = createRequire(import.meta.url);

/** The runtime package's folder: where `pnpm start` runs `node src/main.ts`. */
export const runtimeDir = join(require.resolve("@crm/runtime"), "../..");

export interface RuntimeProcess {
  child: ChildProcess;
  url: string;
  /** Everything printed so far (stdout and stderr). */
  output(): string;
}

/**
 * Start `node src/main.ts` the way `pnpm start` does, without the test environment's admin
 * credentials; resolves with the URL it prints, a moment later (the credentials line follows it).
 */
export function startRuntimeProcess(env: Record<string, string>): Promise<RuntimeProcess> {
  const clean = { ...process.env };
  delete clean.ADMIN_EMAIL;
  delete clean.ADMIN_PASSWORD;
  const child = spawn(process.execPath, ["src/main.ts"], { cwd: runtimeDir, env: { ...clean, PORT: "0", HOST: "127.0.0.1", LOG_LEVEL: "info", ...env }, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no URL printed in 60 s:\n${output}`)), 60_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /running at (http:\/\/\S+)/.exec(output);
      if (match) setTimeout(() => (clearTimeout(timer), resolve({ child, url: match[1]!, output: () => output })), 300);
    };
    child.stdout!.on("data", onData);
    child.stderr!.on("data", onData);
    child.on("exit", (code) => reject(new Error(`exited with ${code} before listening:\n${output}`)));
  });
}

/** Resolves with the exit code once the process ends. */
export function exited(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => child.on("exit", (code) => resolve(code)));
}
