import { validatePluginSettings } from "@crm/core";
import { describe, expect, it } from "vitest";
import { settingInputs, settingText, settingValue } from "./settings-form.ts";

const schema = {
  type: "object" as const,
  properties: {
    prefix: { type: "string", title: "Prefix", maxLength: 5 },
    days: { type: "integer", minimum: 1 },
    mode: { enum: ["link", "refuse"] },
    on: { type: "boolean" },
    hosts: { type: "array", items: { type: "string" } },
  },
  required: ["prefix"],
  additionalProperties: false,
};

describe("plugin settings form", () => {
  it("derives one input per property of the settings schema", () => {
    expect(settingInputs(schema).map((i) => [i.key, i.kind, i.title, i.required])).toEqual([
      ["prefix", "text", "Prefix", true],
      ["days", "integer", "days", false],
      ["mode", "choice", "mode", false],
      ["on", "boolean", "on", false],
      ["hosts", "json", "hosts", false],
    ]);
    expect(settingInputs(undefined)).toEqual([]);
  });

  it("turns input text into values that core's settings check then judges", () => {
    const [prefix, days, mode, , hosts] = settingInputs(schema);
    const settings = { prefix: settingValue(prefix!, "toolong"), days: settingValue(days!, "0"), mode: settingValue(mode!, "link"), hosts: settingValue(hosts!, '["a.example"]') };
    expect(settings).toEqual({ prefix: "toolong", days: 0, mode: "link", hosts: ["a.example"] });
    const result = validatePluginSettings({ settings: schema }, settings);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.issues.map((i) => i.pointer).sort()).toEqual(["/days", "/prefix"]);
    expect(settingValue(days!, "")).toBeUndefined();
    expect(settingText(hosts!, ["a"])).toBe('["a"]');
  });
});
