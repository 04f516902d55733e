import { describe, expect, it } from "vitest";
import { checkTriggerInputs, type TriggerInput } from "./check-trigger-inputs.ts";

const declared: TriggerInput[] = [
  { key: "reason", type: "text", required: true },
  { key: "days", type: "number" },
  { key: "urgent", type: "boolean" },
  { key: "from", type: "date" },
  { key: "at", type: "datetime" },
];

describe("checkTriggerInputs", () => {
  it("answers the values in JSON form, absent optional inputs null", () => {
    expect(checkTriggerInputs(declared, { reason: "renewal", at: "2026-03-01T10:30:00+01:00", from: "2026-02-28" })).toEqual({
      ok: true,
      value: { reason: "renewal", days: null, urgent: null, from: "2026-02-28", at: "2026-03-01T09:30:00.000Z" },
    });
  });

  it("reports every bad, missing and unknown input with its pointer", () => {
    const result = checkTriggerInputs(declared, { days: "3", urgent: 1, from: "2026-02-30", at: "yesterday", colour: "red" }, "/inputs");
    expect(result.ok ? [] : result.issues.map((i) => [i.code, i.pointer])).toEqual([
      ["REQUIRED", "/inputs/reason"],
      ["INVALID_INPUT", "/inputs/days"],
      ["INVALID_INPUT", "/inputs/urgent"],
      ["INVALID_INPUT", "/inputs/from"],
      ["INVALID_INPUT", "/inputs/at"],
      ["UNKNOWN_INPUT", "/inputs/colour"],
    ]);
  });

  it("lets a webhook payload carry more than it declares, and refuses a body that is no object", () => {
    expect(checkTriggerInputs([{ key: "n", type: "number" }], { n: 1, other: true }, "", true)).toEqual({ ok: true, value: { n: 1 } });
    expect(checkTriggerInputs(declared, [1], "/inputs")).toMatchObject({ ok: false, issues: [{ code: "INVALID_TYPE", pointer: "/inputs" }] });
  });
});
