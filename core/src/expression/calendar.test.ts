import { describe, expect, it } from "vitest";
import { addMonthsToDate, calendarDate, dayNumber, formatDay, isoWeekday, parseDay } from "./calendar.ts";
import { parseInstant } from "./temporal-text.ts";
import { instantOf, isTimeZone, offsetAt, wallClock } from "./time-zone.ts";

describe("calendar", () => {
  it("numbers days from 1970-01-01, also for years before 100", () => {
    expect(dayNumber({ year: 1970, month: 1, day: 1 })).toBe(0);
    expect(dayNumber({ year: 1969, month: 12, day: 31 })).toBe(-1);
    expect(formatDay(dayNumber({ year: 45, month: 3, day: 1 })!)).toBe("0045-03-01");
    expect(calendarDate(dayNumber({ year: 2024, month: 2, day: 29 })!)).toEqual({ year: 2024, month: 2, day: 29 });
  });

  it.each([
    ["2023-02-29"],
    ["2024-13-01"],
    ["2024-04-31"],
    ["0000-01-01"],
    ["2024-1-01"],
    ["20240101"],
  ])("refuses %s", (text) => {
    expect(parseDay(text)).toBeUndefined();
  });

  it.each([
    [2024, 1, 31, 1, "2024-02-29"],
    [2023, 1, 31, 1, "2023-02-28"],
    [2024, 3, 31, -1, "2024-02-29"],
    [2024, 11, 15, 3, "2025-02-15"],
    [2024, 2, 29, 12, "2025-02-28"],
    [2024, 1, 10, -13, "2022-12-10"],
  ])("%i-%i-%i plus %i months is %s", (year, month, day, months, result) => {
    expect(formatDay(dayNumber(addMonthsToDate({ year, month, day }, months)!)!)).toBe(result);
  });

  it("stops at the years 1–9999", () => {
    expect(addMonthsToDate({ year: 9999, month: 12, day: 1 }, 1)).toBeUndefined();
    expect(addMonthsToDate({ year: 1, month: 1, day: 1 }, -1)).toBeUndefined();
  });

  it("counts ISO weekdays from Monday", () => {
    expect(isoWeekday(parseDay("2024-05-06")!)).toBe(1);
    expect(isoWeekday(parseDay("2024-05-12")!)).toBe(7);
    expect(isoWeekday(parseDay("1969-12-31")!)).toBe(3);
  });
});

describe("time zones", () => {
  it("knows IANA zones and refuses others", () => {
    expect(isTimeZone("Europe/Berlin")).toBe(true);
    expect(isTimeZone("UTC")).toBe(true);
    expect(isTimeZone("Mars/Olympus")).toBe(false);
  });

  it("reads the wall clock and the offset", () => {
    expect(wallClock(Date.parse("2024-05-07T22:30:00Z"), "Asia/Shanghai")).toMatchObject({ year: 2024, month: 5, day: 8, hour: 6, minute: 30 });
    expect(offsetAt(Date.parse("2024-07-01T00:00:00Z"), "Europe/Berlin")).toBe(2 * 3_600_000);
    expect(offsetAt(Date.parse("2024-01-01T00:00:00Z"), "Europe/Berlin")).toBe(3_600_000);
    expect(wallClock(Date.parse("2024-01-01T00:00:00Z"), "UTC").hour).toBe(0);
  });

  const clock = (text: string) => {
    const [date, time] = text.split(" ");
    const [year, month, day] = date!.split("-").map(Number) as [number, number, number];
    const [hour, minute] = time!.split(":").map(Number) as [number, number];
    return { year, month, day, hour, minute, second: 0, millisecond: 0 };
  };

  it.each([
    ["2024-03-30 09:00", "2024-03-30T08:00:00.000Z"],
    ["2024-03-31 09:00", "2024-03-31T07:00:00.000Z"],
    // The spring gap: 02:30 does not exist and moves forward to 03:30 (+02:00).
    ["2024-03-31 02:30", "2024-03-31T01:30:00.000Z"],
    // The autumn overlap: 02:30 happens twice; the earlier one (+02:00) is taken.
    ["2024-10-27 02:30", "2024-10-27T00:30:00.000Z"],
    ["2024-10-27 03:30", "2024-10-27T02:30:00.000Z"],
  ])("Berlin %s is %s", (wall, iso) => {
    expect(new Date(instantOf(clock(wall), "Europe/Berlin")).toISOString()).toBe(iso);
  });
});

describe("parseInstant", () => {
  it.each([
    ["2024-05-01T09:30:00Z", "2024-05-01T09:30:00.000Z"],
    ["2024-05-01T09:30:00.123456Z", "2024-05-01T09:30:00.123Z"],
    ["2024-05-01T09:30+08:00", "2024-05-01T01:30:00.000Z"],
    ["2024-05-01T09:30:00-0230", "2024-05-01T12:00:00.000Z"],
    ["2024-05-01 09:30:00z", "2024-05-01T09:30:00.000Z"],
  ])("%s is %s", (text, iso) => {
    expect(new Date(parseInstant(text)!).toISOString()).toBe(iso);
  });

  it("reads text without an offset in the given zone, and refuses it without one", () => {
    expect(new Date(parseInstant("2024-05-01T09:30", "Asia/Shanghai")!).toISOString()).toBe("2024-05-01T01:30:00.000Z");
    expect(parseInstant("2024-05-01T09:30")).toBeUndefined();
  });

  it.each(["2024-05-01", "2024-02-30T00:00:00Z", "2024-05-01T24:00:00Z", "2024-05-01T09:60Z", "2024-05-01T09:30+25:00", "yesterday"])("refuses %s", (text) => {
    expect(parseInstant(text, "UTC")).toBeUndefined();
  });
});
