import { describe, expect, it } from "vitest";
import { parseAggregateQuery } from "./parse-aggregate-query.ts";
import { parseListQuery } from "./parse-list-query.ts";

const list = (query: string) => parseListQuery(new URLSearchParams(query));
const aggregate = (query: string) => parseAggregateQuery(new URLSearchParams(query));
const issuesOf = (result: { ok: boolean; issues?: unknown }) => (result.ok ? [] : (result.issues as Array<{ code: string; pointer: string; message: string }>));

describe("parseListQuery", () => {
  it("has defaults", () => {
    expect(list("")).toEqual({ ok: true, value: { sort: [], limit: 50, expand: {}, count: false } });
  });

  it("reads every parameter", () => {
    const result = list("filter=stage:eq:won&sort=-amount,account.name&limit=10&cursor=abc_-1&fields=name,amount&expand=account,contacts.account,contacts.owner&count=true&q=%20acme%20");
    expect(result).toEqual({
      ok: true,
      value: {
        filter: { path: ["stage"], op: "eq", value: "won" },
        sort: [
          { path: ["amount"], direction: "desc" },
          { path: ["account", "name"], direction: "asc" },
        ],
        limit: 10,
        cursor: "abc_-1",
        fields: ["name", "amount"],
        expand: { account: {}, contacts: { account: {}, owner: {} } },
        count: true,
        search: "acme",
      },
    });
  });

  it("ANDs several filter parameters", () => {
    const result = list("filter=a:eq:1&filter=or(b:eq:2,c:eq:3)");
    expect(result.ok && result.value.filter).toEqual({ and: [{ path: ["a"], op: "eq", value: "1" }, { or: [{ path: ["b"], op: "eq", value: "2" }, { path: ["c"], op: "eq", value: "3" }] }] });
  });

  it("counts the condition limit across filter parameters", () => {
    const half = `or(${Array.from({ length: 60 }, (_, i) => `a:eq:${i}`).join(",")})`;
    expect(issuesOf(list(`filter=${half}&filter=${half}`)).map((i) => i.code)).toEqual(["FILTER_TOO_MANY_CONDITIONS"]);
  });

  it("returns every issue at once, each at its parameter", () => {
    const result = list("filter=amount:&sort=-,a..b&limit=0&count=yes&expand=a.b.c,x&fields=a,,b&bogus=1&limit=5&q=" + "x".repeat(201) + "&cursor=not%20base64");
    expect(issuesOf(result).map((i) => [i.code, i.pointer])).toEqual([
      ["UNKNOWN_PARAMETER", "/bogus"],
      ["DUPLICATE_PARAMETER", "/limit"],
      ["INVALID_SORT", "/sort"],
      ["INVALID_SORT", "/sort"],
      ["INVALID_LIMIT", "/limit"],
      ["EXPAND_TOO_DEEP", "/expand"],
      ["INVALID_COUNT", "/count"],
      ["FILTER_SYNTAX", "/filter"],
      ["SEARCH_TOO_LONG", "/q"],
      ["INVALID_FIELDS", "/fields"],
      ["INVALID_CURSOR", "/cursor"],
    ]);
  });

  it.each(["0", "201", "-1", "1.5", "ten", "", "99999999"])("refuses limit=%s", (limit) => {
    expect(issuesOf(list(`limit=${limit}`))).toEqual([{ code: "INVALID_LIMIT", pointer: "/limit", message: `limit must be a whole number from 1 to 200, got ${JSON.stringify(limit)}` }]);
  });

  it.each(["1", "200"])("accepts limit=%s", (limit) => expect(list(`limit=${limit}`).ok).toBe(true));

  it("refuses a sort listed twice", () => {
    expect(issuesOf(list("sort=a,-a"))[0]?.message).toBe('sort: "a" is listed twice');
  });

  it("keeps expand keys off Object.prototype", () => {
    const result = list("expand=constructor.toString");
    expect(result.ok && result.value.expand).toEqual({ constructor: { toString: {} } });
    expect(Object.hasOwn(Object, "toString")).toBe(false);
  });

  it("takes empty parameters as not given", () => {
    expect(list("q=%20%20&sort=&expand=&fields=&count=")).toEqual({ ok: true, value: { sort: [], limit: 50, expand: {}, count: false } });
  });
});

describe("parseAggregateQuery", () => {
  it("has defaults", () => {
    expect(aggregate("")).toEqual({ ok: true, value: { groupBy: [], metrics: [{ fn: "count" }], sort: [], limit: 100 } });
  });

  it("reads groups, buckets, metrics and sort", () => {
    expect(aggregate("groupBy=stage,expectedCloseDate:month&metrics=count,sum:amount,avg:probability,min:x.y,max:z&sort=-count,stage,-sum:amount&limit=1000&filter=a:eq:1&q=x")).toEqual({
      ok: true,
      value: {
        groupBy: [{ path: ["stage"] }, { path: ["expectedCloseDate"], bucket: "month" }],
        metrics: [{ fn: "count" }, { fn: "sum", path: ["amount"] }, { fn: "avg", path: ["probability"] }, { fn: "min", path: ["x", "y"] }, { fn: "max", path: ["z"] }],
        sort: [
          { key: "count", direction: "desc" },
          { key: "stage", direction: "asc" },
          { key: "sum:amount", direction: "desc" },
        ],
        limit: 1000,
        filter: { path: ["a"], op: "eq", value: "1" },
        search: "x",
      },
    });
  });

  it("returns every issue at once", () => {
    const result = aggregate("groupBy=a:fortnight,b,b,c:month:x&metrics=count:a,median:x,sum,sum:1x&sort=-&limit=1001&cursor=x");
    expect(issuesOf(result).map((i) => [i.code, i.pointer])).toEqual([
      ["UNKNOWN_PARAMETER", "/cursor"],
      ["INVALID_GROUP_BY", "/groupBy"],
      ["INVALID_GROUP_BY", "/groupBy"],
      ["INVALID_GROUP_BY", "/groupBy"],
      ["INVALID_METRICS", "/metrics"],
      ["INVALID_METRICS", "/metrics"],
      ["INVALID_METRICS", "/metrics"],
      ["INVALID_METRICS", "/metrics"],
      ["INVALID_SORT", "/sort"],
      ["INVALID_LIMIT", "/limit"],
    ]);
  });
});
