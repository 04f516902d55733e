import { describe, expect, it } from "vitest";
import { run } from "../expression-fixtures.test-support.ts";

describe("text functions", () => {
  it.each<[string, unknown]>([
    ['concat("a", 1, true, null, expectedCloseDate)', "a1true2024-05-10"],
    ['upper("straße")', "STRASSE"],
    ['lower("ÄBC")', "äbc"],
    ['trim("  a b  ")', "a b"],
    ['len("客户😀")', 3],
    ['contains(name, "renew")', true],
    ['contains(name, "Renew")', false],
    ['startsWith(name, "Acme")', true],
    ['endsWith(name, "renewal")', true],
    ['find(name, "renewal")', 6],
    ['find("😀ab", "b")', 3],
    ['find(name, "x")', 0],
    ['left("客户😀x", 3)', "客户😀"],
    ['left(name, -1)', ""],
    ['left(name, 100)', "Acme renewal"],
    ['right("客户😀x", 2)', "😀x"],
    ['right(name, 0)', ""],
    ['mid("abcdef", 2, 3)', "bcd"],
    ['mid("abcdef", 0, 2)', "ab"],
    ['mid("abcdef", 5, 10)', "ef"],
    ['substitute("a-b-c", "-", "+")', "a+b+c"],
    ['substitute("abc", "", "x")', "abc"],
    ['lpad("7", 3, "0")', "007"],
    ['lpad("12345", 3)', "123"],
    ['rpad("ab", 5, "xy")', "abxyx"],
    ['rpad("ab", 4)', "ab  "],
    ['lpad("ab", 5, "")', "ab"],
    ["text(1234.5, 2)", "1234.50"],
    ["text(amount, 0)", "12001 EUR"],
    ["text(expectedCloseDate)", "2024-05-10"],
    ["text(createdAt)", "2024-03-01T08:00:00.000Z"],
    ["text(tags)", "vip"],
    ["text(approved)", "false"],
    ['text(meta)', '{"source":"import"}'],
    ['value(" 12.50 ")', 12.5],
    ['value("-3")', -3],
    ['"Deal: " & name & " (" & text(probability) & " %)"', "Deal: Acme renewal (60 %)"],
  ])("%s → %j", (source, expected) => {
    expect(run(source)).toEqual(expected);
  });

  it.each([
    ['value("12,5")', "INVALID_ARGUMENT"],
    ['value("1e5")', "INVALID_ARGUMENT"],
    ["left(name, 1.5)", "INVALID_ARGUMENT"],
    ['money(1, "eur")', "INVALID_ARGUMENT"],
  ])("%s → %s", (source, code) => {
    expect(run(source)).toEqual({ error: code });
  });
});

describe("math functions", () => {
  it.each<[string, unknown]>([
    ["abs(-2.5)", 2.5],
    ["abs(-amount)", { amount: 12000.5, currency: "EUR" }],
    ["round(2.345, 2)", 2.35],
    ["round(-2.5)", -3],
    ["round(1250, -2)", 1300],
    ["round(amount)", { amount: 12001, currency: "EUR" }],
    ["floor(-1.5)", -2],
    ["ceiling(1.2)", 2],
    ["floor(amount)", { amount: 12000, currency: "EUR" }],
    ["min(3, 1, 2)", 1],
    ["max(3, 1, 2)", 3],
    ['max("b", "a")', "b"],
    ["min(expectedCloseDate, today())", "2024-05-07"],
    ["max(amount, money(1, \"EUR\"))", { amount: 12000.5, currency: "EUR" }],
    ["mod(-7, 3)", -1],
    ["power(2, 10)", 1024],
    ["power(1.1, 2)", 1.21],
    ["power(2, -2)", 0.25],
    ["power(0, 0)", 1],
  ])("%s → %j", (source, expected) => {
    expect(run(source)).toEqual(expected);
  });

  it.each([
    ["mod(1, 0)", "DIVISION_BY_ZERO"],
    ["power(0, -1)", "DIVISION_BY_ZERO"],
    ["power(2, 101)", "INVALID_ARGUMENT"],
    ["power(2, 0.5)", "INVALID_ARGUMENT"],
    ['max(amount, money(1, "USD"))', "CURRENCY_MISMATCH"],
    ["round(1, 39)", "INVALID_ARGUMENT"],
  ])("%s → %s", (source, code) => {
    expect(run(source)).toEqual({ error: code });
  });
});

describe("date functions (clock: Tuesday 2024-05-07 10:00 UTC, zone Europe/Berlin)", () => {
  it.each<[string, Record<string, unknown>, unknown]>([
    ["today()", {}, "2024-05-07"],
    ["now()", {}, "2024-05-07T10:00:00.000Z"],
    ["date(2024, 2, 29)", {}, "2024-02-29"],
    ["expectedCloseDate - 3", {}, "2024-05-07"],
    ["3 + expectedCloseDate", {}, "2024-05-13"],
    ["expectedCloseDate - today()", {}, 3],
    ["addDays(expectedCloseDate, -3) = today()", {}, true],
    ["daysBetween(today(), expectedCloseDate)", {}, 3],
    ["daysBetween(expectedCloseDate, today())", {}, -3],
    ["addMonths(date(2024, 1, 31), 1)", {}, "2024-02-29"],
    ["addMonths(date(2024, 3, 31), -1)", {}, "2024-02-29"],
    ["addYears(date(2024, 2, 29), 1)", {}, "2025-02-28"],
    ["year(expectedCloseDate) * 100 + month(expectedCloseDate)", {}, 202405],
    ["day(expectedCloseDate)", {}, 10],
    ["weekday(today())", {}, 2],
    ['dateValue("2024-05-01")', {}, "2024-05-01"],
    // 23:30 UTC is already the next day in Berlin.
    ['dateValue(datetimeValue("2024-05-07T23:30:00Z"))', {}, "2024-05-08"],
    ['dateValue("2024-05-07T23:30:00Z")', {}, "2024-05-08"],
    ['datetimeValue("2024-05-07 09:00")', {}, "2024-05-07T07:00:00.000Z"],
    ['datetimeValue("2024-05-07T09:00:00+08:00")', {}, "2024-05-07T01:00:00.000Z"],
    ["datetimeValue(expectedCloseDate)", {}, "2024-05-09T22:00:00.000Z"],
    ['hour(datetimeValue("2024-05-07T23:30:00Z"))', {}, 1],
    ['minute(datetimeValue("2024-05-07T23:30:00Z"))', {}, 30],
    ["addHours(createdAt, 2)", {}, "2024-03-01T10:00:00.000Z"],
    ["addMinutes(createdAt, -90)", {}, "2024-03-01T06:30:00.000Z"],
    ["hoursBetween(createdAt, addMinutes(createdAt, 90))", {}, 1.5],
    ["minutesBetween(createdAt, addHours(createdAt, -1))", {}, -60],
    // No activity for 30 days (lastFollowUpAt 2024-04-01 11:00 Berlin; today 2024-05-07).
    ["daysBetween(account.lastFollowUpAt, now())", {}, 36],
    ["daysBetween(account.lastFollowUpAt, now()) >= 30", {}, true],
  ])("%s → %j", (source, changes, expected) => {
    expect(run(source, changes)).toEqual(expected);
  });

  it("keeps the wall-clock time across a daylight-saving change with addDays, not with addHours", () => {
    // 09:00 in Berlin on Saturday 2024-03-30 (+01:00); Berlin moves to +02:00 the next night.
    const changes = { closedAt: "2024-03-30T08:00:00.000Z" };
    expect(run("addDays(closedAt, 1)", changes)).toBe("2024-03-31T07:00:00.000Z");
    expect(run("addHours(closedAt, 24)", changes)).toBe("2024-03-31T08:00:00.000Z");
    expect(run("hour(addDays(closedAt, 1))", changes)).toBe(9);
    expect(run("daysBetween(closedAt, addHours(closedAt, 23))", changes)).toBe(1);
  });

  it("reads today() in the context's time zone", () => {
    const late = { now: new Date("2024-05-07T23:30:00.000Z") };
    expect(run("today()", {}, { ...late, timeZone: "Europe/Berlin" })).toBe("2024-05-08");
    expect(run("today()", {}, { ...late, timeZone: "America/Los_Angeles" })).toBe("2024-05-07");
    expect(run("today()", {}, { ...late, timeZone: "Asia/Shanghai" })).toBe("2024-05-08");
    expect(run("today()", {}, { now: Date.parse("2024-05-07T23:30:00.000Z"), timeZone: "UTC" })).toBe("2024-05-07");
  });

  it("counts days near the end of the range, where the local date is already year 10000 (found by the property test)", () => {
    const edge = { closedAt: "9999-12-31T23:59:59.999Z", expectedCloseDate: "9999-12-30" };
    expect(run("daysBetween(expectedCloseDate, closedAt)", edge, { timeZone: "Asia/Shanghai" })).toBe(2);
    expect(run("year(closedAt)", edge, { timeZone: "Asia/Shanghai" })).toBe(10000);
    expect(run("dateValue(closedAt)", edge, { timeZone: "Asia/Shanghai" })).toEqual({ error: "OUT_OF_RANGE" });
    expect(run("addDays(closedAt, 0)", edge, { timeZone: "Asia/Shanghai" })).toEqual({ error: "OUT_OF_RANGE" });
    expect(run("dateValue(closedAt)", { closedAt: "0001-01-01T00:00:00.000Z" }, { timeZone: "America/Los_Angeles" })).toEqual({ error: "OUT_OF_RANGE" });
  });

  it.each([
    ["date(2023, 2, 29)", "INVALID_ARGUMENT"],
    ["date(2024, 1.5, 1)", "INVALID_ARGUMENT"],
    ['dateValue("2024-02-30")', "INVALID_ARGUMENT"],
    ['dateValue("10.05.2024")', "INVALID_ARGUMENT"],
    ['datetimeValue("tomorrow")', "INVALID_ARGUMENT"],
    ["addDays(expectedCloseDate, 0.5)", "INVALID_ARGUMENT"],
    ["expectedCloseDate + 0.5", "INVALID_ARGUMENT"],
    ["addYears(expectedCloseDate, 8000)", "OUT_OF_RANGE"],
    ["expectedCloseDate + 3000000", "OUT_OF_RANGE"],
    ["addDays(createdAt, -800000)", "OUT_OF_RANGE"],
    ["addHours(createdAt, 99999999)", "OUT_OF_RANGE"],
  ])("%s → %s", (source, code) => {
    expect(run(source)).toEqual({ error: code });
  });
});

describe("lists", () => {
  it.each<[string, Record<string, unknown>, unknown]>([
    ['includes(tags, "vip")', {}, true],
    ['includes(tags, "strategic")', {}, false],
    ["count(tags)", { tags: ["vip", "strategic"] }, 2],
    ["count(products)", {}, 0],
    ['includes(["a", "b"], name)', {}, false],
    ["[1, 2] = [1, 2]", {}, "type"],
  ])("%s → %j", (source, changes, expected) => {
    if (expected === "type") {
      expect(() => run(source, changes)).toThrow(/TYPE_MISMATCH/);
      return;
    }
    expect(run(source, changes)).toEqual(expected);
  });
});
