import { describe, expect, it } from "vitest";
import { readPermissions } from "./read-permissions.ts";

describe("readPermissions", () => {
  it.each([
    ["nothing stored", {}, false, {}],
    ["not an object", null, false, {}],
    ["an array", [1, 2], false, {}],
    ["the admin flag of the role", {}, true, { admin: true }],
    ["admin in the document", { admin: true }, false, { admin: true }],
    ["admin not exactly true", { admin: "yes" }, false, {}],
    ["entities not an object", { entities: ["account"] }, false, {}],
    [
      "a clean grant",
      { entities: { account: { read: "team", update: "own", delete: "none", create: true, transfer: true, fields: { "account-name": "read" } } } },
      false,
      { entities: { account: { read: "team", update: "own", delete: "none", create: true, transfer: true, fields: { "account-name": "read" } } } },
    ],
    [
      "malformed parts dropped, not widened",
      { entities: { account: { read: "everything", update: "own", create: "true", export: 1, fields: { a: "hidden", b: "write" }, extra: 1 }, contact: "all" }, other: 1 },
      false,
      { entities: { account: { update: "own", fields: { b: "write" } } } },
    ],
  ])("%s", (_name, raw, isAdmin, expected) => {
    expect(readPermissions(raw, isAdmin)).toEqual(expected);
  });
});
