import { describe, expect, it } from "vitest";
import type { EntityDefinition } from "../definition/types.ts";
import { parseAggregateQuery } from "./parse-aggregate-query.ts";
import { pathText } from "./resolve-path.ts";
import { resolveAggregateQuery } from "./resolve-aggregate-query.ts";
import { account, counter, deal, ENTITIES } from "./test-entities.test-support.ts";

function resolve(entity: EntityDefinition, query: string) {
  const parsed = parseAggregateQuery(new URLSearchParams(query));
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
  return resolveAggregateQuery(parsed.value, entity, ENTITIES);
}

describe("resolveAggregateQuery", () => {
  it("resolves groups, buckets, metrics and sort", () => {
    const result = resolve(deal, "groupBy=stage,closeDate:month,account.industry,amount.currency,account&metrics=count,sum:amount,avg:account.employees,min:closedAt,max:closeDate&sort=-sum:amount,stage,-count&filter=stage:ne:lost&q=x&limit=7");
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const value = result.value;
    expect(value.groupBy.map((g) => [g.name, pathText(g.path), g.bucket])).toEqual([
      ["stage", "stage", undefined],
      ["closeDate", "closeDate", "month"],
      ["account.industry", "account.industry", undefined],
      ["amount.currency", "amount.currency", undefined],
      ["account", "account", undefined],
    ]);
    expect(value.metrics.map((m) => m.name)).toEqual(["count", "sum:amount", "avg:account.employees", "min:closedAt", "max:closeDate"]);
    expect(value.sort).toEqual([
      { key: "sum:amount", direction: "desc" },
      { key: "stage", direction: "asc" },
      { key: "count", direction: "desc" },
    ]);
    expect([value.limit, value.search, value.filter !== undefined]).toEqual([7, "x", true]);
  });

  it("allows buckets on system date-times", () => {
    expect(resolve(account, "groupBy=createdAt:year").ok).toBe(true);
  });

  it("returns every issue at once", () => {
    const result = resolve(account, "groupBy=name:month,regions,meta,contacts,nope&metrics=sum:name,avg:founded,min:active,max:regions,sum:nope&sort=-employees&filter=nope:eq:1");
    expect(result.ok ? [] : result.issues.map((i) => [i.code, i.pointer])).toEqual([
      ["INVALID_BUCKET", "/groupBy"],
      ["NOT_GROUPABLE", "/groupBy"],
      ["NOT_GROUPABLE", "/groupBy"],
      ["NOT_GROUPABLE", "/groupBy"],
      ["UNKNOWN_FIELD", "/groupBy"],
      ["METRIC_NOT_SUPPORTED", "/metrics"],
      ["METRIC_NOT_SUPPORTED", "/metrics"],
      ["METRIC_NOT_SUPPORTED", "/metrics"],
      ["METRIC_NOT_SUPPORTED", "/metrics"],
      ["UNKNOWN_FIELD", "/metrics"],
      ["INVALID_SORT", "/sort"],
      ["UNKNOWN_FIELD", "/filter"],
    ]);
    if (result.ok) return;
    expect(result.issues[0]!.message).toBe('groupBy: "name:month": date buckets apply to date and datetime fields only, and "name" is a text field');
    expect(result.issues[5]!.message).toBe('metrics: "sum:name": sum needs integer, numeric values, and "name" is a text field');
    expect(result.issues[10]!.message).toBe('sort: "employees" is neither a group nor a metric of this request; use one of count');
  });

  it("refuses a search without text fields", () => {
    const result = resolve(counter, "q=x");
    expect(result.ok ? [] : result.issues.map((i) => i.code)).toEqual(["SEARCH_UNAVAILABLE"]);
  });
});
