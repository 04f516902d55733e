import type { JobQueue } from "../job-queue.ts";
import type { Clock } from "../run-engine.ts";

/**
 * The workflow job queue in memory, on a virtual clock: jobs wait until `runDue()` is called and their
 * time has come. For the offline harness, which decides when work happens; not shared between
 * processes, not durable.
 * @example const jobs = createMemoryJobQueue(clock); await jobs.work(advance); await jobs.runDue();
 */
export function createMemoryJobQueue(clock: Clock) {
  const queued: Array<{ runId: string; at: number }> = [];
  let handler: ((runId: string) => Promise<void>) | undefined;
  const queue: JobQueue = {
    async send(runId, options = {}) {
      queued.push({ runId, at: options.startAfter?.getTime() ?? clock.now().getTime() });
    },
    async work(given) {
      handler = given;
    },
    async start() {},
    async stop() {},
  };
  return {
    ...queue,
    /** When the earliest queued job is due, or undefined when none is queued. */
    nextAt(): number | undefined {
      return queued.length ? Math.min(...queued.map((job) => job.at)) : undefined;
    },
    /** Run every job due at the clock's time (and those they queue for now); answers how many ran. */
    async runDue(): Promise<number> {
      let ran = 0;
      for (;;) {
        const now = clock.now().getTime();
        const index = queued.findIndex((job) => job.at <= now);
        if (index < 0 || !handler) return ran;
        const [job] = queued.splice(index, 1);
        await handler(job!.runId);
        ran++;
      }
    },
  };
}

export type MemoryJobQueue = ReturnType<typeof createMemoryJobQueue>;
