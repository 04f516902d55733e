import { describe, expect, it } from "vitest";
import type { EntityDefinition } from "../definition/types.ts";
import { toStatement } from "../migration/sql.ts";
import { explainAccess } from "./explain-access.ts";
import { resolveAccess } from "./resolve-access.ts";
import { scopePredicate } from "./scope-predicate.ts";
import type { AccessSubject, Role } from "./types.ts";

const account: EntityDefinition = {
  id: "account",
  key: "account",
  label: { en: "Account" },
  fields: [
    { id: "account-name", key: "name", type: "text", label: { en: "Name" } },
    { id: "account-revenue", key: "revenue", type: "decimal", label: { en: "Revenue" } },
    { id: "account-notes", key: "notes", type: "longText", label: { en: "Notes" } },
  ],
};

const role = (key: string, permissions: Role["permissions"]): Role => ({ id: key, key, permissions });
const rep = role("rep", { entities: { account: { read: "own", update: "own", create: true, fields: { "account-revenue": "read" } } } });
const teamReader = role("teamReader", { entities: { account: { read: "team", fields: { "account-notes": "none" } } } });
const finance = role("finance", { entities: { account: { read: "all", export: true } } });
const admin = role("admin", { admin: true });

const me: AccessSubject = { userId: "u1", roles: [], teamUserIds: ["u1", "u2"], departmentUserIds: ["u1", "u3"], subtreeUserIds: ["u1", "u3", "u4"] };

describe("resolveAccess", () => {
  it("denies everything without a grant (a new entity is invisible)", () => {
    const access = resolveAccess([rep], { ...account, id: "brandNew" });
    expect(access.scopes).toEqual({ read: "none", update: "none", delete: "none" });
    expect(access.can).toEqual({ create: false, import: false, export: false, transfer: false, claim: false });
    expect([...access.readable]).toEqual([]);
  });

  it("takes the widest scope and any allowed plain action across roles", () => {
    const access = resolveAccess([rep, teamReader, finance], account);
    expect(access.scopes).toEqual({ read: "all", update: "own", delete: "none" });
    expect(access.can).toMatchObject({ create: true, export: true, import: false });
    expect(access.decisions.read).toMatchObject({ allowed: true, scope: "all", role: "finance" });
    expect(access.decisions.delete).toMatchObject({ allowed: false });
  });

  it("gives each field the most permissive access of the roles that can read the entity", () => {
    const repOnly = resolveAccess([rep], account);
    expect([...repOnly.writable].sort()).toEqual(["name", "notes"]);
    expect([...repOnly.readable].sort()).toEqual(["name", "notes", "revenue"]);
    const readerOnly = resolveAccess([teamReader], account);
    expect([...readerOnly.readable].sort()).toEqual(["name", "revenue"]);
    expect([...readerOnly.writable]).toEqual([]);
    // The rep role restores what the reader role hid.
    const both = resolveAccess([teamReader, rep], account);
    expect(both.fieldDecisions.notes).toEqual({ access: "write", role: "rep" });
  });

  it("lets admin roles do everything", () => {
    const access = resolveAccess([admin], account);
    expect(access.admin).toBe(true);
    expect(access.scopes.delete).toBe("all");
    expect(access.writable.size).toBe(3);
  });
});

describe("scopePredicate", () => {
  it.each([
    ["all", "TRUE", []],
    ["none", "FALSE", []],
    ["own", `"t"."ownerId" = ANY($1::uuid[])`, ["{\"u1\"}"]],
    ["team", `"t"."ownerId" = ANY($1::uuid[])`, ['{"u1","u2"}']],
    ["subtree", `"t"."ownerId" = ANY($1::uuid[])`, ['{"u1","u3","u4"}']],
  ] as const)("%s", (scope, text, params) => {
    expect(toStatement(scopePredicate(scope, me))).toEqual({ text, params });
  });

  it("reaches nothing for an anonymous caller's own scope", () => {
    expect(toStatement(scopePredicate("own", { ...me, userId: null })).text).toBe("FALSE");
  });
});

describe("explainAccess", () => {
  it("names the deciding role and whether the scope reaches the record", () => {
    const subject = { ...me, roles: [rep, teamReader] };
    const mine = explainAccess(subject, account, { ownerId: "u1" });
    expect(mine.actions.update).toMatchObject({ allowed: true, role: "rep", reachesRecord: true });
    const teammates = explainAccess(subject, account, { ownerId: "u2" });
    expect(teammates.actions.read).toMatchObject({ allowed: true, role: "teamReader", scope: "team" });
    expect(teammates.actions.update).toMatchObject({ allowed: false, reachesRecord: false });
    expect(teammates.actions.update.rule).toContain("does not reach");
    const stranger = explainAccess(subject, account, { ownerId: "u9" });
    expect(stranger.actions.read.allowed).toBe(false);
    expect(stranger.fields.notes).toEqual({ access: "write", role: "rep" });
  });
});

describe("explainAccess and the pool", () => {
  it("explains reading and claiming a pooled record, and refuses claiming an owned one", () => {
    const owner = "00000000-0000-4000-8000-00000000000a";
    const claimer = { id: "c", key: "claimer", permissions: { entities: { [account.id]: { read: "own" as const, claim: true } } } };
    const me = { userId: owner, roles: [claimer], teamUserIds: [owner], departmentUserIds: [owner], subtreeUserIds: [owner] };
    const pooled = { ...account, pool: {} };
    const free = explainAccess(me, pooled, { ownerId: null });
    expect(free.actions.read).toMatchObject({ allowed: true, reachesRecord: true, role: "claimer" });
    expect(free.actions.claim).toMatchObject({ allowed: true, role: "claimer" });
    expect(free.actions.update.allowed).toBe(false);
    const taken = explainAccess(me, pooled, { ownerId: "00000000-0000-4000-8000-00000000000b" });
    expect(taken.actions.read.allowed).toBe(false);
    expect(taken.actions.claim.allowed).toBe(false);
    expect(explainAccess(me, account, { ownerId: null }).actions.claim).toMatchObject({ allowed: false, rule: `${account.key} has no pool` });
  });
});
