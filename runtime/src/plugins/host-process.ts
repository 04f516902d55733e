import { fork } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { tmpdir } from "node:os";
import { fileURLToPath } from "node:url";
import type { ChildMessage, ParentMessage } from "./plugin-host-protocol.ts";

const MAIN = fileURLToPath(new URL("./plugin-host-main.ts", import.meta.url));

// --no-node-snapshot: isolated-vm's requirement on Node 20+ (isolates and Node's startup snapshot
// share heap data and crash). --disallow-code-generation-from-strings: the child's own context
// never needs eval, so even a leaked host `Function` could not compile anything.
const EXEC_ARGV = ["--no-node-snapshot", "--disallow-code-generation-from-strings"];
const STDERR_TAIL = 4000;

export interface HostProcessOptions {
  env: Record<string, string>;
  onMessage: (message: ChildMessage) => void;
  onExit: (code: number | null, signal: NodeJS.Signals | null) => void;
}

/** One plugin-host child process. */
export interface HostProcess {
  readonly pid: number | undefined;
  /** Resolves when the child has said it is ready; rejects if it exits first. */
  readonly ready: Promise<void>;
  /** Resolves when the child has exited. */
  readonly exited: Promise<void>;
  send(message: ParentMessage): void;
  /** The end of what the child wrote to stderr (V8 writes its out-of-memory report there). */
  stderrTail(): string;
  kill(): void;
}

/**
 * Fork the plugin-host process with an environment of its own (nothing of this process's is
 * inherited) and a temporary directory as its working directory.
 */
export function startHostProcess(options: HostProcessOptions): HostProcess {
  const child: ChildProcess = fork(MAIN, [], {
    execArgv: EXEC_ARGV,
    env: options.env,
    cwd: tmpdir(),
    stdio: ["ignore", "ignore", "pipe", "ipc"],
    serialization: "json",
  });
  let tail = "";
  child.stderr?.setEncoding("utf8");
  child.stderr?.on("data", (chunk: string) => {
    tail = (tail + chunk).slice(-STDERR_TAIL);
  });
  const ready = new Promise<void>((resolve, reject) => {
    child.on("message", (message: ChildMessage) => {
      if (message?.type === "ready") resolve();
      else options.onMessage(message);
    });
    child.once("exit", (code, signal) => {
      reject(new Error(`The plugin host exited before it was ready (${signal ?? `exit code ${code}`}).`));
      options.onExit(code, signal);
    });
  });
  ready.catch(() => undefined);
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  // A send to a child that just died fails with EPIPE; its "exit" event reports the death.
  child.on("error", () => undefined);
  return {
    pid: child.pid,
    ready,
    exited,
    send(message) {
      if (child.connected) child.send(message);
    },
    stderrTail: () => tail,
    kill() {
      child.kill("SIGKILL");
    },
  };
}
