import { describe, expect, it } from "vitest";
import { dayOf, monthGrid, rangeFilter } from "./calendar.ts";

describe("calendar months", () => {
  it("covers the month in whole weeks from Monday", () => {
    const feb = monthGrid(2026, 1);
    expect(feb.days[0]).toBe("2026-01-26");
    expect(feb.days).toHaveLength(35);
    expect(feb.days.at(-1)).toBe("2026-03-01");
    expect([feb.first, feb.last]).toEqual(["2026-02-01", "2026-02-28"]);
    const june = monthGrid(2026, 5); // starts on a Monday
    expect(june.days[0]).toBe("2026-06-01");
  });

  it("filters dates as dates and date-times as a UTC range of local days", () => {
    const grid = monthGrid(2026, 1);
    expect(rangeFilter("due", "date", grid)).toEqual(["due:gte:2026-01-26", "due:lte:2026-03-01"]);
    const [from, to] = rangeFilter("dueAt", "datetime", grid);
    expect(from).toBe(`dueAt:gte:${new Date(2026, 0, 26).toISOString()}`);
    expect(to).toBe(`dueAt:lt:${new Date(2026, 2, 2).toISOString()}`);
  });

  it("places values on local days", () => {
    expect(dayOf("2026-02-03", "date")).toBe("2026-02-03");
    const at = new Date(2026, 1, 3, 23, 30);
    expect(dayOf(at.toISOString(), "datetime")).toBe("2026-02-03");
    expect(dayOf(null, "date")).toBeUndefined();
  });
});
