import { describe, expect, it } from "vitest";
import { createMemoryJobQueue } from "./memory-job-queue.ts";

describe("createMemoryJobQueue", () => {
  it("runs jobs only when asked and only once their time has come, including those queued while running", async () => {
    let now = 1_000;
    const queue = createMemoryJobQueue({ now: () => new Date(now) });
    const ran: string[] = [];
    await queue.work(async (runId) => {
      ran.push(runId);
      if (runId === "a") await queue.send("a-next");
    });
    await queue.send("a");
    await queue.send("later", { startAfter: new Date(5_000) });
    expect(ran).toEqual([]);
    expect(await queue.runDue()).toBe(2);
    expect(ran).toEqual(["a", "a-next"]);
    expect(queue.nextAt()).toBe(5_000);
    now = 4_999;
    expect(await queue.runDue()).toBe(0);
    now = 5_000;
    expect(await queue.runDue()).toBe(1);
    expect(queue.nextAt()).toBeUndefined();
  });
});
