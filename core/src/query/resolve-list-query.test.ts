import { describe, expect, it } from "vitest";
import type { EntityDefinition } from "../definition/types.ts";
import type { Issue } from "../issues.ts";
import { encodeCursor } from "./cursor.ts";
import { parseListQuery } from "./parse-list-query.ts";
import { pathText } from "./resolve-path.ts";
import { resolveListQuery } from "./resolve-list-query.ts";
import { account, contact, counter, deal, ENTITIES } from "./test-entities.test-support.ts";
import { FILTER_OPERATORS, type FilterOperator, type ResolvedFilter, type ResolvedListQuery } from "./types.ts";

function resolve(entity: EntityDefinition, query: string) {
  const parsed = parseListQuery(new URLSearchParams(query));
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
  return resolveListQuery(parsed.value, entity, ENTITIES);
}
function resolved(entity: EntityDefinition, query: string): ResolvedListQuery {
  const result = resolve(entity, query);
  if (!result.ok) throw new Error(JSON.stringify(result.issues));
  return result.value;
}
function issues(entity: EntityDefinition, query: string): Issue[] {
  const result = resolve(entity, query);
  return result.ok ? [] : result.issues;
}
/** Table cases named after their entity and values. */
const named = <T extends unknown[]>(cases: Array<[EntityDefinition, ...T]>) => cases.map(([e, ...rest]) => [`${e.key} ${rest.join(" ")}`, e, ...rest] as [string, EntityDefinition, ...T]);
const leaf = (filter: ResolvedFilter | undefined) => filter as { path: never; op: FilterOperator; value: unknown };

const UUID = "0b7e7a52-3c1d-4f7e-9a55-0c1f2e3d4a5b";
const TEXT: FilterOperator[] = ["eq", "ne", "gt", "gte", "lt", "lte", "in", "nin", "contains", "startsWith", "isNull"];
const ORDERED: FilterOperator[] = ["eq", "ne", "gt", "gte", "lt", "lte", "in", "nin", "isNull"];
const EQUALITY: FilterOperator[] = ["eq", "ne", "in", "nin", "isNull"];

/** [entity, path, a valid value, the operators that must be accepted] */
const MATRIX: Array<[EntityDefinition, string, string, FilterOperator[]]> = [
  [contact, "firstName", "ann", TEXT],
  [contact, "email", "a@b.c", TEXT],
  [contact, "phone", "+1", TEXT],
  [contact, "bio", "x", TEXT],
  [contact, "notes", "x", TEXT],
  [account, "website", "https://x", TEXT],
  [contact, "number", "C-0001", TEXT],
  [account, "revenue.currency", "EUR", TEXT],
  [account, "employees", "5", ORDERED],
  [contact, "score", "1.5", ORDERED],
  [contact, "share", "12.5", ORDERED],
  [account, "revenue", "100", ORDERED],
  [account, "revenue.amount", "100", ORDERED],
  [account, "version", "2", ORDERED],
  [account, "founded", "2024-02-29", ORDERED],
  [deal, "closedAt", "2024-01-02T03:04:05Z", ORDERED],
  [account, "createdAt", "2024-01-02", ORDERED],
  [account, "active", "true", ["eq", "ne", "isNull"]],
  [account, "industry", "tech", EQUALITY],
  [account, "owner", UUID, EQUALITY],
  [account, "id", UUID, EQUALITY],
  [account, "createdBy", UUID, EQUALITY],
  [deal, "account.id", UUID, EQUALITY],
  [account, "regions", "emea", ["contains", "in", "nin", "isNull"]],
  [account, "meta", "x", ["isNull"]],
  [account, "contacts", "x", []],
  [account, "labels", "x", []],
];

describe("resolveListQuery: operators per type", () => {
  const cases = MATRIX.flatMap(([entity, path, value, allowed]) => FILTER_OPERATORS.map((op) => [entity.key, path, op, allowed.includes(op), entity, value, allowed] as const));
  it.each(cases.map((c) => [...c]))("%s.%s:%s accepted: %s", (_key, path, op, accepted, entity, value, allowed) => {
    const text = op === "isNull" ? `${path}:isNull` : ["in", "nin"].includes(op) ? `${path}:${op}:(${value})` : `${path}:${op}:${value}`;
    const result = resolve(entity, `filter=${encodeURIComponent(text)}`);
    if (accepted) {
      expect(result.ok ? [] : result.issues).toEqual([]);
      return;
    }
    expect(result.ok).toBe(false);
    const issue = result.ok ? undefined : result.issues[0];
    expect(issue?.pointer).toBe("/filter");
    if (["contacts", "labels"].includes(path)) {
      expect(issue).toMatchObject({ code: "FIELD_NOT_FILTERABLE", message: expect.stringMatching(/is a (oneToMany|manyToMany) relation and cannot be filtered$/) });
    } else {
      expect(issue).toMatchObject({ code: "OPERATOR_NOT_SUPPORTED", message: expect.stringContaining(`does not support "${op}"; use ${allowed.join(", ")}`) });
    }
  });
});

describe("resolveListQuery: values", () => {
  it.each(named<[string, unknown]>([
    [account, "employees:eq:-42", -42],
    [account, "employees:in:(1,+2)", [1, 2]],
    [contact, "score:gt:-999.99", -999.99],
    [contact, "score:gt:1e2", 100],
    [account, "revenue:gte:1234567890.12", 1234567890.12],
    [deal, "amount:eq:1234567890123456.25", "1234567890123456.25"],
    [account, "active:eq:false", false],
    [account, "founded:lt:2000-01-31", "2000-01-31"],
    [deal, "closedAt:gte:2024-03-01", "2024-03-01T00:00:00Z"],
    [deal, "closedAt:gte:2024-03-01T10:20", "2024-03-01T10:20:00Z"],
    [deal, "closedAt:gte:2024-03-01t10:20:30.123456+05:30", "2024-03-01T10:20:30.123456+05:30"],
    [deal, "closedAt:gte:2024-03-01 10:20:30z", "2024-03-01T10:20:30Z"],
    [account, `owner:eq:${UUID.toUpperCase()}`, UUID],
    [account, "industry:nin:(tech,retail)", ["tech", "retail"]],
    [account, "industry:in:tech", ["tech"]],
    [account, "regions:contains:emea", ["emea"]],
    [account, "regions:contains:(emea,apac)", ["emea", "apac"]],
    [account, "meta:isNull:false", false],
    [account, "name:isNull:true", true],
    [account, "name:contains:50%_off\\", "50%_off\\"],
  ]))("%s", (_name, entity, text, value) => {
    expect(leaf(resolved(entity, `filter=${encodeURIComponent(text)}`).filter).value).toEqual(value);
  });

  it.each(named<[string, string, string]>([
    [account, "employees:eq:1.5", "INVALID_FILTER_VALUE", 'filter: "employees:eq" expected a whole number, got "1.5"'],
    [account, "employees:eq:9007199254740993", "INVALID_FILTER_VALUE", "expected a whole number"],
    [account, "employees:in:(1,x,2)", "INVALID_FILTER_VALUE", 'got "x"'],
    [contact, "score:eq:abc", "INVALID_FILTER_VALUE", 'expected a number, got "abc"'],
    [contact, "score:eq:Infinity", "INVALID_FILTER_VALUE", "expected a number"],
    [contact, "score:eq:1e999", "INVALID_FILTER_VALUE", "expected a number"],
    [contact, "score:eq:1000", "INVALID_FILTER_VALUE", "1000 is out of range: the field holds numbers below 1000 in absolute value (precision 5, scale 2)"],
    [account, "revenue:eq:10000000000", "INVALID_FILTER_VALUE", "out of range"],
    [account, "active:eq:yes", "INVALID_FILTER_VALUE", 'expected true or false, got "yes"'],
    [account, "active:eq:TRUE", "INVALID_FILTER_VALUE", "expected true or false"],
    [account, "founded:eq:2023-02-29", "INVALID_FILTER_VALUE", 'expected a date YYYY-MM-DD, got "2023-02-29"'],
    [account, "founded:eq:2024-13-01", "INVALID_FILTER_VALUE", "expected a date"],
    [account, "founded:eq:2024-1-1", "INVALID_FILTER_VALUE", "expected a date"],
    [account, "founded:eq:2024-01-01T00:00:00Z", "INVALID_FILTER_VALUE", "expected a date"],
    [deal, "closedAt:eq:yesterday", "INVALID_FILTER_VALUE", "expected an ISO 8601 date-time"],
    [deal, "closedAt:eq:2024-01-01T24:00:00Z", "INVALID_FILTER_VALUE", "expected an ISO 8601 date-time"],
    [deal, "closedAt:eq:2024-02-30T10:00:00Z", "INVALID_FILTER_VALUE", "expected an ISO 8601 date-time"],
    [deal, "closedAt:eq:2024-01-01T10:00:00+15:00", "INVALID_FILTER_VALUE", "expected an ISO 8601 date-time"],
    [account, "owner:eq:42", "INVALID_FILTER_VALUE", 'expected a uuid, got "42"'],
    [account, "id:in:(x)", "INVALID_FILTER_VALUE", "expected a uuid"],
    [account, "industry:eq:media", "NOT_AN_OPTION", 'filter: "industry:eq" "media" is not an option; allowed: tech, retail, finance'],
    [account, "regions:in:(emea,mars)", "NOT_AN_OPTION", "allowed: emea, apac, amer"],
    [account, "name:eq:(a,b)", "INVALID_FILTER_VALUE", "takes one value, not a list; use in:(…)"],
    [account, "name:isNull:maybe", "INVALID_FILTER_VALUE", 'takes no value, true or false; got "maybe"'],
    [account, "name:isNull:(a)", "INVALID_FILTER_VALUE", "takes no value"],
  ]))("%s", (_name, entity, text, code, message) => {
    const found = issues(entity, `filter=${encodeURIComponent(text)}`);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ code, pointer: "/filter" });
    expect(found[0]!.message).toContain(message);
  });

  it("reports every bad condition of a filter at once", () => {
    const found = issues(account, `filter=${encodeURIComponent("and(nope:eq:1,employees:eq:x,or(industry:eq:y,meta:eq:1))")}`);
    expect(found.map((i) => i.code)).toEqual(["UNKNOWN_FIELD", "INVALID_FILTER_VALUE", "NOT_AN_OPTION", "OPERATOR_NOT_SUPPORTED"]);
  });
});

describe("resolveListQuery: paths", () => {
  it("follows manyToOne relations up to three hops", () => {
    const filter = leaf(resolved(deal, "filter=account.owner.manager.name:eq:x").filter) as unknown as { path: Parameters<typeof pathText>[0] };
    expect(filter.path.hops.map((h) => `${h.from.key}.${h.field.key}→${h.to.key}`)).toEqual(["deal.account→account", "account.owner→user", "user.manager→user"]);
    expect(filter.path.entity.key).toBe("user");
  });

  it.each(named<[string, string, string]>([
    [deal, "account.owner.manager.manager.name:eq:x", "RELATION_PATH_TOO_LONG", '"account.owner.manager.manager.name" follows more than 3 relations'],
    [deal, "account.nope:eq:x", "UNKNOWN_FIELD", 'account has no field "nope" (on account, reached through account)'],
    [deal, "nope:eq:x", "UNKNOWN_FIELD", 'deal has no field "nope"'],
    [deal, "title.x:eq:x", "INVALID_PATH", '"title" is a text field and cannot be followed; only manyToOne relations can'],
    [account, "contacts.firstName:eq:x", "INVALID_PATH", '"contacts" is a oneToMany relation and cannot be followed'],
    [deal, "amount.cents:eq:1", "INVALID_PATH", 'a currency field has the parts "amount" and "currency", not "cents"'],
    [deal, "amount.currency.x:eq:1", "INVALID_PATH", "cannot be followed"],
    [deal, "createdAt.x:eq:1", "INVALID_PATH", "the system field createdAt"],
    [account, "constructor:eq:1", "UNKNOWN_FIELD", 'account has no field "constructor"'],
  ]))("%s", (_name, entity, text, code, message) => {
    const found = issues(entity, `filter=${encodeURIComponent(text)}`);
    expect(found).toEqual([{ code, pointer: "/filter", message: expect.stringContaining(message) }]);
  });
});

describe("resolveListQuery: sort, fields, expand, search", () => {
  const sortText = (q: ResolvedListQuery) => q.sort.map((s) => `${s.direction === "desc" ? "-" : ""}${pathText(s.path)}`);

  it("always ends the sort with id", () => {
    expect(sortText(resolved(deal, ""))).toEqual(["id"]);
    expect(sortText(resolved(deal, "sort=-amount,account.name,amount.currency"))).toEqual(["-amount", "account.name", "amount.currency", "id"]);
    expect(sortText(resolved(deal, "sort=-id"))).toEqual(["-id"]);
    expect(sortText(resolved(deal, "sort=title,id,stage"))).toEqual(["title", "id"]);
    expect(sortText(resolved(deal, "sort=account.id"))).toEqual(["account.id", "id"]);
  });

  it("refuses unsortable and unknown sort fields", () => {
    expect(issues(account, "sort=regions,meta,contacts,labels,nope,owner.nope").map((i) => [i.code, i.pointer])).toEqual([
      ["FIELD_NOT_SORTABLE", "/sort"],
      ["FIELD_NOT_SORTABLE", "/sort"],
      ["FIELD_NOT_SORTABLE", "/sort"],
      ["FIELD_NOT_SORTABLE", "/sort"],
      ["UNKNOWN_FIELD", "/sort"],
      ["UNKNOWN_FIELD", "/sort"],
    ]);
    expect(issues(account, "sort=regions")[0]!.message).toBe('sort: "regions" is a multiSelect field and cannot be sorted by');
  });

  it("checks fields and adds expanded relations to them", () => {
    expect(resolved(account, "fields=name,id,createdAt&expand=owner,contacts").fields).toEqual(["name", "owner", "contacts"]);
    expect(issues(account, "fields=name,nope")).toEqual([{ code: "UNKNOWN_FIELD", pointer: "/fields", message: 'fields: account has no field "nope"' }]);
    expect(resolved(account, "").fields).toBeUndefined();
    expect(resolved(account, "fields=id").fields).toEqual([]);
  });

  it("resolves expand two levels deep", () => {
    const expand = resolved(account, "expand=owner.manager,contacts.account,labels").expand;
    expect(expand.map((e) => [e.source.key, e.field.key, e.target.key, e.children.map((c) => `${c.source.key}.${c.field.key}→${c.target.key}`)])).toEqual([
      ["account", "owner", "user", ["user.manager→user"]],
      ["account", "contacts", "contact", ["contact.account→account"]],
      ["account", "labels", "tag", []],
    ]);
  });

  it("refuses expanding what is not a relation", () => {
    expect(issues(account, "expand=name,nope,owner.name").map((i) => [i.code, i.pointer, i.message])).toEqual([
      ["NOT_A_RELATION", "/expand", 'expand: "name" is a text field; only relations can be expanded'],
      ["UNKNOWN_FIELD", "/expand", 'expand: account has no field "nope" (in "nope")'],
      ["NOT_A_RELATION", "/expand", 'expand: "owner.name" is a text field; only relations can be expanded'],
    ]);
  });

  it("searches only entities with text fields", () => {
    expect(resolved(account, "q=acme").search).toBe("acme");
    expect(issues(counter, "q=acme")).toEqual([{ code: "SEARCH_UNAVAILABLE", pointer: "/q", message: "q: counter has no text fields to search" }]);
  });

  it("returns issues of every parameter together", () => {
    expect(issues(account, "filter=nope:eq:1&sort=meta&fields=x&expand=name&q=x").map((i) => i.pointer)).toEqual(["/sort", "/expand", "/filter", "/fields"]);
  });
});

describe("cursor", () => {
  const query = resolved(deal, "sort=-amount,closedAt,account.name");
  const values = ["1500.00", "2024-01-02T03:04:05.123456+00:00", null, UUID];

  it("round-trips the sort values", () => {
    const cursor = encodeCursor(query, values);
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(resolved(deal, `sort=-amount,closedAt,account.name&cursor=${cursor}`).after).toEqual(values);
  });

  it("round-trips non-ASCII text and booleans", () => {
    const q = resolved(account, "sort=name,active");
    const cursor = encodeCursor(q, ["客户 é", true, UUID]);
    expect(resolved(account, `sort=name,active&cursor=${cursor}`).after).toEqual(["客户 é", true, UUID]);
  });

  it("refuses a cursor of another sort or entity", () => {
    const cursor = encodeCursor(query, values);
    expect(issues(deal, `sort=amount,closedAt,account.name&cursor=${cursor}`)).toEqual([{ code: "CURSOR_MISMATCH", pointer: "/cursor", message: expect.stringContaining("another entity or sort") }]);
    expect(issues(account, `cursor=${encodeCursor(resolved(deal, ""), [UUID])}`).map((i) => i.code)).toEqual(["CURSOR_MISMATCH"]);
  });

  it("refuses tampered and undecodable cursors", () => {
    const cursor = encodeCursor(query, values);
    const payload = JSON.parse(atob(cursor.replace(/-/g, "+").replace(/_/g, "/"))) as { v: unknown[] };
    payload.v[0] = "1.00";
    const tampered = btoa(JSON.stringify(payload)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
    const sort = "sort=-amount,closedAt,account.name";
    for (const bad of [tampered, cursor.slice(0, -2), "AAAA", "e30", `${cursor}x`]) {
      expect(issues(deal, `${sort}&cursor=${bad}`)).toEqual([{ code: "INVALID_CURSOR", pointer: "/cursor", message: expect.any(String) }]);
    }
  });

  it("refuses well-signed cursors whose values do not fit the sort", () => {
    const sort = "sort=-amount,closedAt,account.name";
    for (const bad of [["x", null, null, UUID], [1, "yesterday", null, UUID], ["1", null, 5, UUID], ["1", null, null, "nope"], ["1", null, null]]) {
      expect(issues(deal, `${sort}&cursor=${encodeCursor(query, bad)}`).map((i) => i.code)).toEqual(["INVALID_CURSOR"]);
    }
  });
});
