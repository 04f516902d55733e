import { describe, expect, it } from "vitest";
import { latestCronMinute } from "./latest-cron-minute.ts";

const at = (text: string) => Date.parse(text);

describe("latestCronMinute", () => {
  it("is the minute itself when the cron fires then", () => {
    expect(latestCronMinute("0 2 * * *", "Asia/Shanghai", at("2026-01-01T18:00:00Z"), 0)).toBe(at("2026-01-01T18:00:00Z"));
  });

  it("is the latest missed minute after `since`, once, however many were missed", () => {
    const now = at("2026-01-05T12:00:00Z");
    expect(latestCronMinute("30 3 * * *", "UTC", now, at("2026-01-01T00:00:00Z"))).toBe(at("2026-01-05T03:30:00Z"));
    expect(latestCronMinute("30 3 * * *", "UTC", now, at("2026-01-05T03:30:00Z"))).toBeUndefined();
  });

  it("looks back at most a week (or as told)", () => {
    expect(latestCronMinute("0 0 1 1 *", "UTC", at("2026-03-01T00:00:00Z"), 0)).toBeUndefined();
    expect(latestCronMinute("0 * * * *", "UTC", at("2026-03-01T00:30:00Z"), 0, 10 * 60_000)).toBeUndefined();
  });
});
