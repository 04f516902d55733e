import { describe, expect, it } from "vitest";
import { dueFieldRange, dueMoment, type DateRelativeTrigger } from "./due-moment.ts";

const trigger = (amount: number, unit: DateRelativeTrigger["offset"]["unit"], direction: "before" | "after", timeZone?: string): DateRelativeTrigger => ({
  type: "dateRelative",
  field: "dueAt",
  offset: { amount, unit },
  direction,
  ...(timeZone ? { timeZone } : {}),
});
const iso = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString());
const BERLIN = "Europe/Berlin";

describe("dueMoment", () => {
  it.each([
    ["1 hour after a date-time", trigger(1, "hours", "after"), "2026-05-04T10:15:00Z", "2026-05-04T11:15:00.000Z"],
    ["90 minutes before", trigger(90, "minutes", "before"), "2026-05-04T10:15:00+02:00", "2026-05-04T06:45:00.000Z"],
    ["3 days before a date (its start in UTC)", trigger(3, "days", "before"), "2026-05-04", "2026-05-01T00:00:00.000Z"],
    ["2 weeks after a date in Shanghai", trigger(2, "weeks", "after", "Asia/Shanghai"), "2026-05-04", "2026-05-17T16:00:00.000Z"],
    ["2 hours after a date: from its local midnight", trigger(2, "hours", "after", BERLIN), "2026-05-04", "2026-05-04T00:00:00.000Z"],
    ["30 days after, keeping the wall clock in the zone", trigger(30, "days", "after", "Asia/Shanghai"), "2026-01-31T01:00:00Z", "2026-03-02T01:00:00.000Z"],
  ])("%s", (_name, t, value, expected) => {
    expect(iso(dueMoment(t, value))).toBe(expected);
  });

  it("has no moment for an empty or unreadable value", () => {
    for (const value of [null, undefined, "", "tomorrow", "2026-02-30", 12, "2026-13-01T00:00:00Z"]) expect(dueMoment(trigger(1, "days", "after"), value)).toBeUndefined();
  });

  describe("across the spring daylight-saving change in Berlin (2026-03-29, 02:00 → 03:00)", () => {
    it("a day is a local calendar day: 10:00 stays 10:00, 23 hours later", () => {
      const saturday = "2026-03-28T09:00:00Z"; // 10:00 CET
      expect(iso(dueMoment(trigger(1, "days", "after", BERLIN), saturday))).toBe("2026-03-29T08:00:00.000Z"); // 10:00 CEST
      expect(iso(dueMoment(trigger(24, "hours", "after", BERLIN), saturday))).toBe("2026-03-29T09:00:00.000Z"); // 11:00 CEST: elapsed time
    });

    it("a wall time the change skips moves forward by the gap", () => {
      const before = "2026-03-28T01:30:00Z"; // 02:30 CET on Saturday; Sunday has no 02:30
      expect(iso(dueMoment(trigger(1, "days", "after", BERLIN), before))).toBe("2026-03-29T01:30:00.000Z"); // 03:30 CEST
    });

    it("a date's day starts at local midnight, in the offset of that day", () => {
      expect(iso(dueMoment(trigger(1, "days", "after", BERLIN), "2026-03-28"))).toBe("2026-03-28T23:00:00.000Z"); // 00:00 CET on the 29th
      expect(iso(dueMoment(trigger(1, "days", "after", BERLIN), "2026-03-29"))).toBe("2026-03-29T22:00:00.000Z"); // 00:00 CEST on the 30th
    });
  });

  it("across the autumn change (2026-10-25, 03:00 → 02:00) a day is 25 hours, and a doubled wall time is its first instant", () => {
    expect(iso(dueMoment(trigger(1, "days", "after", BERLIN), "2026-10-24T08:00:00Z"))).toBe("2026-10-25T09:00:00.000Z"); // 10:00 both days
    expect(iso(dueMoment(trigger(1, "days", "before", BERLIN), "2026-10-26T01:30:00Z"))).toBe("2026-10-25T00:30:00.000Z"); // 02:30 CEST, the first 02:30
  });
});

describe("dueFieldRange", () => {
  it("covers every field value whose moment falls in the window, for each unit and direction", () => {
    const from = Date.parse("2026-03-27T00:00:00Z");
    const to = Date.parse("2026-03-31T00:00:00Z");
    for (const t of [trigger(1, "hours", "after", BERLIN), trigger(3, "days", "before", BERLIN), trigger(2, "weeks", "after", "Pacific/Kiritimati"), trigger(45, "minutes", "before")]) {
      const range = dueFieldRange(t, from, to);
      for (let value = from - 16 * 86_400_000; value < to + 16 * 86_400_000; value += 47 * 60_000) {
        const moment = dueMoment(t, new Date(value).toISOString())!;
        if (moment > from && moment <= to) expect(value > range.after && value <= range.upTo, `${JSON.stringify(t)} ${new Date(value).toISOString()}`).toBe(true);
      }
    }
  });
});
