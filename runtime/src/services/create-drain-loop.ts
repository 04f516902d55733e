import type { Logger } from "../logger.ts";

/**
 * Background work that drains a table in batches: `wake()` runs `drainOnce` now (or once more after
 * the run in progress), a timer wakes it every `pollMs` while `shouldPoll()` holds, `stop()` waits for
 * the run in progress. `drainOnce` answers whether a full batch suggests more work.
 * @example const loop = createDrainLoop({ logger, pollMs: 1000, what: "the outbox", drainOnce: async () => (await batch()) === 50 });
 */
export function createDrainLoop(options: { logger: Logger; pollMs: number; what: string; drainOnce: () => Promise<boolean>; shouldPoll?: () => boolean }) {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let again = false;
  let stopped = true;

  async function drain(): Promise<void> {
    do {
      again = false;
      if (await options.drainOnce()) again = true;
    } while (again && !stopped);
  }

  const wake = (): void => {
    if (stopped) return;
    if (running) {
      again = true;
      return;
    }
    running = drain()
      .catch((error: unknown) => options.logger.error({ err: error }, `${options.what} failed`))
      .finally(() => {
        running = undefined;
      });
  };

  return {
    wake,
    start(): void {
      stopped = false;
      timer = setInterval(() => {
        if (options.shouldPoll?.() ?? true) wake();
      }, options.pollMs);
      timer.unref();
      wake();
    },
    async stop(): Promise<void> {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}
