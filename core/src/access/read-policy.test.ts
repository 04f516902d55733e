import { describe, expect, it } from "vitest";
import type { EntityDefinition } from "../definition/types.ts";
import { toStatement } from "../migration/sql.ts";
import { compileAggregate } from "../query/compile-aggregate.ts";
import { compileList } from "../query/compile-list.ts";
import { aggregateQuery, listQuery } from "../query/pglite-query.test-support.ts";
import { recordJson } from "../query/record-json.ts";
import { account, contact, counter, deal, tag, user } from "../query/test-entities.test-support.ts";
import { createReadPolicy, selectableFields, type ReadPolicy } from "./read-policy.ts";
import { resolveAccess } from "./resolve-access.ts";
import type { AccessSubject, Role, RolePermissions } from "./types.ts";

const ME = "00000000-0000-4000-8000-000000000001";
const MATE = "00000000-0000-4000-8000-000000000002";
const BOSS = "00000000-0000-4000-8000-000000000003";

const role = (key: string, permissions: RolePermissions): Role => ({ id: key, key, permissions });

/** Reads own contacts (notes hidden), the team's accounts (revenue hidden), every deal, the department's users; no tags. */
const rep = role("rep", {
  entities: {
    "e-contact": { read: "own", fields: { "f-notes": "none" } },
    "e-account": { read: "team", fields: { "f-revenue": "none" } },
    "e-deal": { read: "all" },
    "e-user": { read: "department" },
    "e-counter": { read: "subtree" },
  },
});

function subject(roles: Role[], userId: string | null = ME): AccessSubject {
  return { userId, roles, teamUserIds: [ME, MATE], departmentUserIds: [ME, BOSS], subtreeUserIds: [] };
}

function policyOf(s: AccessSubject): ReadPolicy {
  return createReadPolicy(s, (entity) => resolveAccess(s.roles, entity));
}

const scopeText = (policy: ReadPolicy, entity: EntityDefinition, alias = "t") => {
  const scope = policy.scope(entity, alias);
  return scope === undefined ? undefined : toStatement(scope);
};

describe("createReadPolicy", () => {
  const policy = policyOf(subject([rep]));

  it("puts each entity's read scope on the owner column of the given alias; none for `all`", () => {
    expect(scopeText(policy, contact)).toEqual({ text: `"t"."ownerId" = ANY($1::uuid[])`, params: [`{"${ME}"}`] });
    expect(scopeText(policy, account, "j2")).toEqual({ text: `"j2"."ownerId" = ANY($1::uuid[])`, params: [`{"${ME}","${MATE}"}`] });
    expect(scopeText(policy, user)).toEqual({ text: `"t"."ownerId" = ANY($1::uuid[])`, params: [`{"${ME}","${BOSS}"}`] });
    expect(scopeText(policy, deal)).toBeUndefined();
  });

  it("reads nothing where no role grants read, or the scope reaches nobody", () => {
    expect(scopeText(policy, tag)).toEqual({ text: "FALSE", params: [] });
    expect(policy.canRead(tag)).toBe(false);
    // subtree is granted, but the subject's subtree is empty.
    expect(scopeText(policy, counter)).toEqual({ text: "FALSE", params: [] });
    expect(policy.canRead(counter)).toBe(true);
    // `own` without a user (a role token) reaches no record.
    expect(scopeText(policyOf(subject([rep], null)), contact)).toEqual({ text: "FALSE", params: [] });
  });

  it("lists readable fields, or undefined when every field is", () => {
    expect(policy.readable(deal)).toBeUndefined();
    expect([...policy.readable(account)!].sort()).toEqual(account.fields.map((f) => f.key).filter((k) => k !== "revenue").sort());
    expect(policy.readable(tag)).toEqual(new Set());
  });

  it("unions roles: the widest scope and any role's readable field", () => {
    const auditor = role("auditor", { entities: { "e-contact": { read: "team" }, "e-account": { read: "own" } } });
    const both = policyOf(subject([rep, auditor]));
    expect(scopeText(both, contact)?.params).toEqual([`{"${ME}","${MATE}"}`]);
    expect(both.readable(contact)).toBeUndefined();
    expect(both.readable(account)).toBeUndefined();
  });

  it("restricts nothing for an admin", () => {
    const admin = policyOf(subject([role("admin", { admin: true })]));
    expect(scopeText(admin, tag)).toBeUndefined();
    expect(admin.canRead(tag)).toBe(true);
    expect(admin.readable(account)).toBeUndefined();
  });
});

describe("selectableFields", () => {
  const policy = policyOf(subject([rep]));

  it("keeps the requested fields as given (checkReadable refuses hidden ones before)", () => {
    expect(selectableFields(account, policy, ["revenue", "name"])).toEqual(["revenue", "name"]);
  });

  it("selects every readable field in definition order, or undefined for all", () => {
    expect(selectableFields(account, policy)).toEqual(account.fields.map((f) => f.key).filter((k) => k !== "revenue"));
    expect(selectableFields(deal, policy)).toBeUndefined();
    expect(selectableFields(account, undefined)).toBeUndefined();
  });
});

describe("compiled reads under a read policy", () => {
  const policy = policyOf(subject([rep]));
  const readableContact = contact.fields.map((f) => f.key).filter((k) => k !== "notes");

  it("scopes the root rows in WHERE and the joined rows in the JOIN, selects and searches readable fields only", () => {
    const { statement, countStatement } = compileList(listQuery(contact, "filter=account.name:eq:acme&sort=account.name&q=zed&count=true&limit=5"), { policy });
    const record = toStatement(recordJson(contact, "t", readableContact)).text;
    expect(record).not.toContain(`'notes'`);
    expect(statement.text.split(record).join("<r>")).toBe(
      `SELECT <r> AS r, jsonb_build_array("j1"."name", "t"."id") AS k FROM "data"."contact" "t" ` +
        `LEFT JOIN "data"."account" "j1" ON "j1"."id" = "t"."account" AND "j1"."ownerId" = ANY($1::uuid[]) ` +
        `WHERE "j1"."name" = $2::text ` +
        `AND to_tsvector('simple', regexp_replace(coalesce("t"."firstName", '') || ' ' || coalesce("t"."email", '') || ' ' || coalesce("t"."phone", '') || ' ' || coalesce("t"."bio", '') || ' ' || coalesce("t"."number", ''), '[[:punct:]]+', ' ', 'g')) @@ to_tsquery('simple', $3::text) ` +
        `AND ("t"."ownerId" = ANY($4::uuid[])) ORDER BY "j1"."name" ASC NULLS LAST, "t"."id" ASC NULLS LAST LIMIT $5::int`,
    );
    expect(statement.params).toEqual([`{"${ME}","${MATE}"}`, "acme", "'zed':*", `{"${ME}"}`, 6]);
    expect(countStatement!.text).toBe(
      `SELECT count(*)::int AS count FROM "data"."contact" "t" LEFT JOIN "data"."account" "j1" ON "j1"."id" = "t"."account" AND "j1"."ownerId" = ANY($1::uuid[]) ` +
        `WHERE "j1"."name" = $2::text AND to_tsvector('simple', regexp_replace(coalesce("t"."firstName", '') || ' ' || coalesce("t"."email", '') || ' ' || coalesce("t"."phone", '') || ' ' || coalesce("t"."bio", '') || ' ' || coalesce("t"."number", ''), '[[:punct:]]+', ' ', 'g')) @@ to_tsquery('simple', $3::text) ` +
        `AND ("t"."ownerId" = ANY($4::uuid[]))`,
    );
  });

  it("selects the requested fields only, and keeps the indexed search document when nothing searched is hidden", () => {
    const { statement } = compileList(listQuery(account, "fields=name&q=acme"), { policy });
    expect(statement.text).toContain(`jsonb_build_object('id', "t"."id"`);
    expect(statement.text).not.toContain(`'website'`);
    expect(statement.text).toContain(`to_tsvector('simple', regexp_replace(coalesce("t"."name", '') || ' ' || coalesce("t"."website", ''), '[[:punct:]]+', ' ', 'g'))`);
  });

  it("scopes an aggregate's rows and its joins alike", () => {
    const statement = compileAggregate(aggregateQuery(deal, "groupBy=account.name&metrics=count"), { policy });
    expect(statement.text).toContain(`FROM "data"."deal" "t" LEFT JOIN "data"."account" "j1" ON "j1"."id" = "t"."account" AND "j1"."ownerId" = ANY($1::uuid[]) GROUP BY "j1"."name"`);
    expect(statement.text).not.toContain("WHERE");
    const scoped = compileAggregate(aggregateQuery(contact, "metrics=count"), { policy });
    expect(scoped.text).toContain(`FROM "data"."contact" "t" WHERE ("t"."ownerId" = ANY($1::uuid[]))`);
  });
});

describe("the pool: records nobody owns", () => {
  const pooled = { ...account, pool: { claimsPerDay: 5 } };
  const claimer = role("claimer", { entities: { "e-account": { read: "own", claim: true } } });
  const poolOnly = role("poolOnly", { entities: { "e-account": { claim: true } } });

  it("adds unowned records to the read scope of a role that may claim, only where the entity has a pool", () => {
    expect(scopeText(policyOf(subject([claimer])), pooled)).toEqual({ text: `("t"."ownerId" = ANY($1::uuid[]) OR "t"."ownerId" IS NULL)`, params: [`{"${ME}"}`] });
    expect(scopeText(policyOf(subject([claimer])), account)).toEqual({ text: `"t"."ownerId" = ANY($1::uuid[])`, params: [`{"${ME}"}`] });
    expect(scopeText(policyOf(subject([rep])), pooled)).toEqual({ text: `"t"."ownerId" = ANY($1::uuid[])`, params: [`{"${ME}","${MATE}"}`] });
  });

  it("lets a claim-only role read the pool and nothing else, with its fields readable", () => {
    const policy = policyOf(subject([poolOnly]));
    expect(policy.canRead(pooled)).toBe(true);
    expect(policy.canRead(account)).toBe(false);
    expect(scopeText(policy, pooled)).toEqual({ text: `"t"."ownerId" IS NULL`, params: [] });
    expect(policy.readable(pooled)).toBeUndefined();
  });
});
