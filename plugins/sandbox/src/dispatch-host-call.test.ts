import { describe, expect, it } from "vitest";
import { dispatchHostCall } from "./dispatch-host-call.ts";
import { createTestHostApi } from "./test-host-api.ts";
import type { JsonValue } from "./types.ts";

describe("dispatchHostCall", () => {
  it.each<[string, JsonValue[], string]>([
    ["records.find", [], "Argument 1 must be an entity key."],
    ["records.find", ["account", [1]], "Argument 2 must be a query object."],
    ["records.get", ["account"], "Argument 2 must be a record id."],
    ["records.get", ["account", "x".repeat(2001)], "Argument 2 must be a record id."],
    ["records.create", ["", {}], "Argument 1 must be an entity key."],
    ["records.update", ["account", "a1", null], "Argument 3 must be an object of field changes."],
    ["records.delete", ["account", 7], "Argument 2 must be a record id."],
    ["log", ["fatal", "x"], "Argument 1 must be a log level."],
    ["log", ["info", { text: "x" }], "Argument 2 must be a message."],
    ["http.fetch", [{ url: "https://x/" }], "Argument 1 must be a URL."],
  ])("refuses %s(%j) before it reaches the host", async (method, args, message) => {
    const { api, calls } = createTestHostApi();
    await expect(dispatchHostCall(api, method, args)).rejects.toMatchObject({ code: "INVALID_ARGUMENT", message });
    expect(calls).toEqual([]);
  });

  it.each(["process.exit", "records.constructor", "__proto__", "toString"])("knows no method %s", async (method) => {
    await expect(dispatchHostCall(createTestHostApi().api, method, [])).rejects.toMatchObject({ code: "UNKNOWN_METHOD" });
  });

  it("passes valid calls through and answers null for calls without a result", async () => {
    const { api, calls } = createTestHostApi();
    expect(await dispatchHostCall(api, "records.delete", ["account", "a1"])).toBeNull();
    expect(await dispatchHostCall(api, "log", ["info", "hello"])).toBeNull();
    expect(calls).toEqual([
      { method: "records.delete", args: ["account", "a1"] },
      { method: "log", args: ["info", "hello", null] },
    ]);
  });
});
