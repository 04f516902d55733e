import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";

/**
 * postgres.js keeps its pool's connections in queues (`src/queue.js`, patched in
 * `patches/postgres@3.4.9.patch`). Unpatched, a queue that never drains, such as the open
 * connections of a pool that always has one idle, kept every shifted-out slot: its array grew by one
 * per query and every move of a connection scanned all of it (46,000 slots after ten seconds of load,
 * a fifth of the API's CPU per request).
 */
type Queue<T> = { readonly length: number; push(x: T): T; shift(): T | undefined; remove(x: T): T | null };
const entry = createRequire(import.meta.url).resolve("postgres");
const { default: createQueue } = (await import(pathToFileURL(join(dirname(entry), "queue.js")).href)) as { default: <T>(initial?: T[]) => Queue<T> };

/** An array that remembers the longest it has been; `slice` keeps the class, so the queue's copies do too. */
class Watched<T> extends Array<T> {
  static longest = 0;
  override push(...items: T[]): number {
    const length = super.push(...items);
    Watched.longest = Math.max(Watched.longest, length);
    return length;
  }
}

describe("postgres.js pool queue (patched)", () => {
  it("stays small when it never drains, and keeps its order and length", () => {
    const queue = createQueue<number>(Watched.from([0, 1, 2, 3]) as number[]);
    let next = 4;
    let wrong = 0;
    for (let i = 0; i < 20_000; i++) {
      const taken = queue.shift()!;
      // The pool moves the connection out of the queue it is in: already shifted, so not found.
      if (queue.remove(taken) !== null || taken !== i) wrong++;
      queue.push(next++);
      if (queue.length !== 4) wrong++;
    }
    expect(wrong).toBe(0);
    expect(Watched.longest).toBeLessThan(200);
  });

  it("removes from the middle and empties", () => {
    const queue = createQueue<string>();
    for (const x of ["a", "b", "c", "d"]) queue.push(x);
    expect(queue.shift()).toBe("a");
    expect(queue.remove("c")).toBe("c");
    expect(queue.remove("a")).toBe(null);
    expect([queue.shift(), queue.shift(), queue.length]).toEqual(["b", "d", 0]);
  });
});
