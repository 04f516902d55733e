import { readdirSync } from "node:fs";
import { setPriority } from "node:os";

/**
 * Give every thread of this process the nice value `nice`. Linux keeps one per thread (a new thread
 * inherits its creator's), so the process's own threads are listed from /proc; elsewhere only the
 * calling thread is changed. Answers how many threads were changed.
 * @example lowerPriority(10) // the plugin host yields the CPU to the API process when both want it
 */
export function lowerPriority(nice: number): number {
  let threads: number[];
  try {
    threads = readdirSync("/proc/self/task").map(Number);
  } catch {
    threads = [0];
  }
  let changed = 0;
  for (const thread of threads) {
    try {
      setPriority(thread, nice);
      changed++;
    } catch {
      // The thread ended since it was listed, or the system refuses: it keeps its priority.
    }
  }
  return changed;
}
