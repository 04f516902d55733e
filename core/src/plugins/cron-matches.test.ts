import { describe, expect, it } from "vitest";
import { cronMatches } from "./cron-matches.ts";

describe("cronMatches", () => {
  // 2026-11-25 is a Wednesday.
  it.each([
    ["* * * * *", "2026-11-25T10:17:00Z", "UTC", true],
    ["0 3 * * *", "2026-11-25T03:00:00Z", "UTC", true],
    ["0 3 * * *", "2026-11-25T03:01:00Z", "UTC", false],
    ["0 3 * * mon-fri", "2026-11-25T03:00:59Z", "UTC", true],
    ["0 3 * * sat,sun", "2026-11-25T03:00:00Z", "UTC", false],
    ["0 3 * * 7", "2026-11-29T03:00:00Z", "UTC", true],
    ["*/15 * * * *", "2026-11-25T10:45:00Z", "UTC", true],
    ["*/15 * * * *", "2026-11-25T10:50:00Z", "UTC", false],
    ["5/20 * * * *", "2026-11-25T10:45:00Z", "UTC", true],
    ["0 9-17/4 * * *", "2026-11-25T13:00:00Z", "UTC", true],
    ["0 9-17/4 * * *", "2026-11-25T15:00:00Z", "UTC", false],
    ["0 0 1 jan *", "2026-01-01T00:00:00Z", "UTC", true],
    ["0 0 1 * mon", "2026-11-25T00:00:00Z", "UTC", false],
    ["0 0 25 * mon", "2026-11-25T00:00:00Z", "UTC", true],
    ["0 0 1 * wed", "2026-11-25T00:00:00Z", "UTC", true],
    ["0 3 * * *", "2026-11-25T02:00:00Z", "Europe/Berlin", true],
    ["0 3 * * *", "2026-11-25T03:00:00Z", "Europe/Berlin", false],
  ])("%s at %s in %s → %s", (expression, at, zone, expected) => {
    expect(cronMatches(expression, new Date(at), zone)).toBe(expected);
  });
});
