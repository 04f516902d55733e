import { describe, expect, it } from "vitest";
import { databaseTargets } from "./support/databases.ts";
import { entity } from "./support/definitions.ts";
import { useTestServer } from "./support/test-server.ts";

const hostileKeys = [
  `a"b`,
  `x"; drop table entity_definitions; --`,
  `'; drop schema data cascade; --`,
  "naïve",
  "客户",
  "a".repeat(1000),
  "select",
  "user",
  "order",
  "id",
  "createdAt",
  "Upper",
  "with_underscore",
  "",
  "a b",
  "a\u0000b",
];

describe.each(databaseTargets)("bad input on $name", (target) => {
  const server = useTestServer(target, { seed: false });

  async function tableCount() {
    return (await server.sql<{ n: number }>(`select count(*)::int as n from information_schema.tables where table_schema = 'data'`))[0]!.n;
  }

  // System field names are reserved for fields only; as entity keys they are harmless.
  const hostileEntityKeys = hostileKeys.filter((k) => k !== "id" && k !== "createdAt");
  it.each(hostileEntityKeys.map((key) => ({ key, shown: JSON.stringify(key).slice(0, 40) })))("refuses the hostile entity key $shown", async ({ key }) => {
    const before = await tableCount();
    const res = await server.request("POST", "/api/meta/entities", { definition: { ...entity("safe", [{ key: "name", type: "text" }]), key } });
    expect(res.status).toBe(422);
    expect(res.headers.get("content-type")).toContain("application/problem+json");
    // Definition issues point into the definition; a NUL character is refused earlier, at the body (/definition/key).
    expect(res.body.issues.some((i: { pointer: string }) => i.pointer === "/key" || i.pointer === "/definition/key")).toBe(true);
    expect(await tableCount()).toBe(before);
  });

  it.each(hostileKeys.map((key) => ({ key, shown: JSON.stringify(key).slice(0, 40) })))("refuses the hostile field key $shown", async ({ key }) => {
    const before = await tableCount();
    const res = await server.request("POST", "/api/meta/entities", { definition: entity("safe", [{ key: "name", type: "text" }, { key, type: "text" } as never]) });
    expect(res.status).toBe(422);
    expect(res.body.issues.some((i: { pointer: string }) => /^(\/definition)?\/fields\/1\/(key|id)$/.test(i.pointer))).toBe(true);
    expect(await tableCount()).toBe(before);
  });

  it("lists every problem of a definition at once, each with its pointer", async () => {
    const res = await server.request("POST", "/api/meta/entities", {
      definition: {
        id: "bad",
        key: "bad",
        label: { en: "Bad" },
        fields: [
          { id: "f1", key: "name", type: "text", label: { en: "Name" }, maxLength: -1 },
          { id: "f2", key: "name", type: "integer", label: { en: "Dup" } },
          { id: "f3", key: "rel", type: "relation", relation: "manyToOne", target: "nowhere", label: { en: "Rel" } },
          { id: "f4", key: "kind", type: "nope", label: { en: "?" } },
        ],
      },
    });
    expect(res.status).toBe(422);
    const pointers = res.body.issues.map((i: { pointer: string }) => i.pointer);
    expect(pointers).toEqual(expect.arrayContaining(["/definition/fields/0/maxLength", "/definition/fields/3/type"]));
    expect(res.body.issues.length).toBeGreaterThanOrEqual(2);
  });

  const badRequests: Array<{ name: string; method: string; path: string; body?: unknown; headers?: Record<string, string>; status: number }> = [
    { name: "malformed JSON", method: "POST", path: "/api/meta/entities", body: "{not json", status: 400 },
    { name: "empty body", method: "POST", path: "/api/meta/entities", body: "", headers: { "content-type": "application/json" }, status: 400 },
    { name: "an array body", method: "POST", path: "/api/meta/entities", body: [], status: 400 },
    { name: "a wrong content type", method: "POST", path: "/api/meta/entities", body: "definition=x", headers: { "content-type": "application/x-www-form-urlencoded" }, status: 415 },
    { name: "a string definition", method: "POST", path: "/api/meta/entities", body: { definition: "x" }, status: 400 },
    { name: "a null definition", method: "POST", path: "/api/meta/entities", body: { definition: null }, status: 400 },
    { name: "unknown envelope property", method: "POST", path: "/api/meta/entities", body: { definition: {}, extra: 1 }, status: 400 },
    { name: "an empty definition", method: "POST", path: "/api/meta/entities", body: { definition: {} }, status: 422 },
    { name: "deeply nested junk", method: "POST", path: "/api/meta/entities", body: { definition: { fields: [[[[{}]]]] } }, status: 422 },
    { name: "a missing baseVersion on PUT", method: "PUT", path: "/api/meta/entities/nothing", body: { definition: {} }, status: 400 },
    { name: "a non-integer baseVersion", method: "PUT", path: "/api/meta/entities/nothing", body: { definition: {}, baseVersion: "1" }, status: 400 },
    { name: "PUT to an unknown entity", method: "PUT", path: "/api/meta/entities/nothing", body: { definition: {}, baseVersion: 1 }, status: 404 },
    { name: "a bad version query", method: "GET", path: "/api/meta/entities/x?version=abc", status: 400 },
    { name: "an unknown entity", method: "GET", path: "/api/meta/entities/%22%3B%20drop", status: 404 },
    { name: "an unknown route", method: "GET", path: "/api/nope", status: 404 },
    { name: "restoring an unknown trash id", method: "POST", path: "/api/meta/trash/nope/restore", status: 404 },
    { name: "confirm as a string", method: "PUT", path: "/api/meta/entities/x", body: { definition: {}, baseVersion: 1, confirm: "all" }, status: 400 },
  ];

  it.each(badRequests)("answers $name with a $status problem", async ({ method, path, body, headers, status }) => {
    const res = await server.request(method, path, body, headers);
    expect(res.status).toBe(status);
    expect(res.headers.get("content-type")).toContain("application/problem+json");
    expect(res.body).toMatchObject({ status, code: expect.any(String), title: expect.any(String) });
  });
});
