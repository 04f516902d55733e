import { resolveAccess, type Role } from "@crm/core";
import { describe, expect, it } from "vitest";
import { loadShippedCrm } from "../shipped-crm.ts";
import { SHIPPED_ROLES } from "./bootstrap-admin.ts";
import { SHIPPED_PERMISSIONS } from "./shipped-permissions.ts";

const crm = loadShippedCrm();
const entity = (id: string) => crm.find((e) => e.id === id)!;
const role = (key: keyof typeof SHIPPED_PERMISSIONS): Role => ({ id: key, key, permissions: SHIPPED_PERMISSIONS[key] });

describe("SHIPPED_PERMISSIONS", () => {
  it("covers exactly the shipped roles and names only shipped entities and fields", () => {
    expect(Object.keys(SHIPPED_PERMISSIONS).sort()).toEqual(SHIPPED_ROLES.map((r) => r.key).sort());
    const ids = new Set(crm.map((e) => e.id));
    for (const permissions of Object.values(SHIPPED_PERMISSIONS)) {
      for (const [id, grant] of Object.entries("entities" in permissions ? permissions.entities : {})) {
        expect(ids, id).toContain(id);
        const fields = new Set(entity(id).fields.map((f) => f.id));
        for (const field of Object.keys((grant as { fields?: object }).fields ?? {})) expect(fields, `${id}.${field}`).toContain(field);
      }
    }
  });

  it("lets every role read every shipped entity, the reference data in full", () => {
    for (const key of ["sales_rep", "sales_manager", "finance"] as const) {
      for (const definition of crm) expect(resolveAccess([role(key)], definition).scopes.read, `${key} ${definition.key}`).not.toBe("none");
      for (const id of ["product", "campaign"]) expect(resolveAccess([role(key)], entity(id)).scopes.read).toBe("all");
    }
  });

  it.each([
    ["sales_rep", { read: "team", update: "own", delete: "own" }, { create: true, import: false, export: false, transfer: false }],
    ["sales_manager", { read: "subtree", update: "subtree", delete: "subtree" }, { create: true, import: true, export: true, transfer: true }],
    ["finance", { read: "all", update: "none", delete: "none" }, { create: false, import: false, export: true, transfer: false }],
    ["admin", { read: "all", update: "all", delete: "all" }, { create: true, import: true, export: true, transfer: true }],
  ] as const)("%s on customer records", (key, scopes, can) => {
    for (const id of ["account", "contact", "opportunity", "lead", "service-case", "activity", "campaign-member"]) {
      const access = resolveAccess([role(key)], entity(id));
      expect(access.scopes, id).toEqual(scopes);
      const { claim, ...plain } = access.can;
      expect(plain, id).toEqual(can);
      // Reps and their managers claim accounts from the public pool; admins may do anything.
      expect(claim, `${key} claim ${id}`).toBe(key === "admin" || (id === "account" && key !== "finance"));
    }
  });

  it("keeps reference data read only for everyone but admins", () => {
    for (const key of ["sales_rep", "sales_manager", "finance"] as const) {
      const access = resolveAccess([role(key)], entity("product"));
      expect(access.scopes.update).toBe("none");
      expect(access.can.create).toBe(false);
      expect(access.writable.size).toBe(0);
    }
  });
});
