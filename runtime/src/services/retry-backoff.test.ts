import { describe, expect, it } from "vitest";
import { retryBackoff } from "./retry-backoff.ts";

describe("retryBackoff", () => {
  it.each([
    [1, 10_000],
    [2, 30_000],
    [3, 90_000],
    [5, 810_000],
    [7, 3_600_000],
    [30, 3_600_000],
  ])("waits after attempt %i about %i ms", (attempt, expected) => {
    expect(retryBackoff(attempt, 10_000, () => 0.5)).toBe(expected);
  });

  it("jitters by at most a fifth either way", () => {
    expect(retryBackoff(2, 10_000, () => 0)).toBe(24_000);
    expect(retryBackoff(2, 10_000, () => 1)).toBe(36_000);
  });
});
