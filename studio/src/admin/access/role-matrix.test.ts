import { describe, expect, it } from "vitest";
import { setFieldRule, setFlag, setScope } from "./role-matrix.ts";

describe("role permission matrix", () => {
  it("writes scopes, flags and field rules by entity and field id, and drops grants left empty", () => {
    let permissions = setScope({}, "account", "read", "team");
    permissions = setScope(permissions, "account", "update", "own");
    permissions = setFlag(permissions, "account", "export", true);
    permissions = setFieldRule(permissions, "account", "f-revenue", "read");
    expect(permissions).toEqual({ entities: { account: { read: "team", update: "own", export: true, fields: { "f-revenue": "read" } } } });
    permissions = setFieldRule(permissions, "account", "f-revenue", "");
    permissions = setScope(permissions, "account", "update", "none");
    expect(permissions.entities!.account).toEqual({ read: "team", export: true });
    permissions = setFlag(setScope(permissions, "account", "read", "none"), "account", "export", false);
    expect(permissions).toEqual({ entities: {} });
  });

  it("leaves the admin flag and other entities alone", () => {
    const permissions = setScope({ admin: false, entities: { lead: { read: "all" } } }, "account", "delete", "all");
    expect(permissions).toEqual({ admin: false, entities: { lead: { read: "all" }, account: { delete: "all" } } });
  });
});
