import type { Logger } from "../logger.ts";

/**
 * Work done once per tick of the wall clock (schedulers): `tick(at)` runs `run(at)` after the tick in
 * progress (never two at once in a process); `start()` ticks every `everyMs`, `stop()` waits for the
 * tick in progress.
 * @example const ticker = createTicker({ logger, everyMs: 15_000, what: "running schedules", run: runDue });
 */
export function createTicker(options: { logger: Logger; everyMs: number; what: string; run: (at?: Date) => Promise<number> }) {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<number> | undefined;

  /** Run what is due at `at` (default: now, by the runner's clock); answers what `run` answers. */
  const tick = (at?: Date): Promise<number> => {
    const previous = running ?? Promise.resolve(0);
    const next = previous.catch(() => 0).then(() => options.run(at));
    running = next.finally(() => {
      if (running === next) running = undefined;
    }) as Promise<number>;
    return next;
  };

  return {
    tick,
    start(): void {
      timer = setInterval(() => {
        tick().catch((error: unknown) => options.logger.error({ err: error }, `${options.what} failed`));
      }, options.everyMs);
      timer.unref();
    },
    async stop(): Promise<void> {
      clearInterval(timer);
      await running?.catch(() => undefined);
    },
  };
}
