import type { Logger } from "../logger.ts";

export interface PollLoop {
  start(): void;
  /** Stop polling and wait for the round in flight. */
  stop(): Promise<void>;
  /** Run a round now instead of at the next poll (call it after a commit that queued work). */
  notify(): void;
}

/**
 * A background loop around `round`: runs it, then waits `pollMs` unless woken by `notify`, or goes on at
 * once when the round was full (it returned `batch` or more: more may be due). A failing round is
 * logged with `what` and the loop carries on.
 */
export function createPollLoop(options: { round: () => Promise<number>; pollMs: number; batch: number; logger: Logger; what: string }): PollLoop {
  let running = false;
  let loop: Promise<void> | undefined;
  let woken = false;
  let wake: (() => void) | undefined;

  function pause(ms: number) {
    return new Promise<void>((resolve) => {
      if (woken) return resolve();
      const timer = setTimeout(resolve, ms);
      wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }

  async function run() {
    while (running) {
      woken = false;
      let done = 0;
      try {
        done = await options.round();
      } catch (error) {
        options.logger.error({ err: error }, `${options.what} round failed`);
      }
      if (running && done < options.batch) await pause(options.pollMs);
      wake = undefined;
    }
  }

  return {
    start() {
      if (running) return;
      running = true;
      loop = run();
    },
    async stop() {
      running = false;
      woken = true;
      wake?.();
      await loop;
      loop = undefined;
    },
    notify() {
      woken = true;
      wake?.();
    },
  };
}
