import { spawn } from "node:child_process";

export interface ServerProcess {
  /** Base URL, always on 127.0.0.1 (the load generator must not try ::1 first). */
  url: string;
  pid: number;
  stop(): Promise<void>;
}

/**
 * Start `node <script>` as a fresh process and resolve once it prints "running at http://…".
 * Output before that is kept for the error message if the process exits or takes too long.
 */
export function startServerProcess(script: string, env: Record<string, string>, timeoutMs = 60_000): Promise<ServerProcess> {
  const child = spawn(process.execPath, [script], { env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
    const timer = setTimeout(() => child.kill("SIGKILL"), 15_000);
    await exited;
    clearTimeout(timer);
  };
  return new Promise((resolve, reject) => {
    const fail = (why: string) => {
      void stop();
      reject(new Error(`${script}: ${why}\n${output.slice(-3000)}`));
    };
    const timer = setTimeout(() => fail(`not listening after ${timeoutMs} ms`), timeoutMs);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /running at (http:\/\/[^\s/]+)/.exec(output);
      if (!match) return;
      clearTimeout(timer);
      child.stdout.off("data", onData);
      // Keep draining so a chatty process never blocks on a full pipe.
      child.stdout.resume();
      resolve({ url: match[1]!.replace("//localhost:", "//127.0.0.1:"), pid: child.pid!, stop });
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      if (output.length > 100_000) output = output.slice(-10_000);
    });
    child.once("exit", (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`${script} exited (${signal ?? code}) before listening\n${output.slice(-3000)}`));
    });
  });
}
