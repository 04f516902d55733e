import { describe, expect, it } from "vitest";
import { databaseTargets } from "../support/databases.ts";
import { useTestServer } from "../support/test-server.ts";
import { responseViolations } from "./support/check-response.ts";
import { jsonRequest, sendRaw, type RawRequest } from "./support/fuzz-client.ts";

/**
 * Minimal reproductions of what the fuzz suites found, one per bug. Each asserts the same response
 * properties the fuzzers check, so it passes once the bug is fixed.
 */
describe.each(databaseTargets)("fuzz regressions on $name", (target) => {
  const server = useTestServer(target);

  async function check(request: RawRequest) {
    const response = await sendRaw(server, request);
    expect(responseViolations(request, response, "json"), `${response.status} ${response.text.slice(0, 300)}`).toEqual([]);
    return response;
  }

  async function account(): Promise<string> {
    const response = await sendRaw(server, jsonRequest("POST", "/api/records/account", { name: "Acme" }));
    expect(response.status).toBe(201);
    return (JSON.parse(response.text) as { id: string }).id;
  }

  it("refuses a NUL character in a text field with a 4xx (not a 500 from the database encoding error)", async () => {
    await check(jsonRequest("POST", "/api/records/account", { name: "a\u0000b" }));
    await check(jsonRequest("PATCH", `/api/records/account/${await account()}`, { city: "\u0000" }));
  });

  it("refuses a NUL character in a filter or search value with a 4xx (not a 500 from the database encoding error)", async () => {
    await check({ method: "GET", path: "/api/records/account?filter=name:eq:a%00b" });
    await check({ method: "GET", path: "/api/records/account/aggregate?filter=city:in:(x,%00)" });
    await check({ method: "GET", path: "/api/records/account?q=a%00b" });
  });

  it("answers an entity key with a NUL character in the meta API with a 404 (not a 500 from the metadata query)", async () => {
    await check({ method: "GET", path: "/api/meta/entities/%00" });
  });

  it("refuses a deeply nested value in a select field with a 422 (not a 500 from a stack overflow)", async () => {
    const deep = "[".repeat(10_000) + "]".repeat(10_000);
    await check({ method: "PATCH", path: `/api/records/account/${await account()}`, headers: { "content-type": "application/json" }, body: `{"industry":${deep}}` });
  });

  it("refuses a deeply nested value on create with a 422 (not a 500 from inserting an unvalidated record)", async () => {
    const deep = "[".repeat(10_000) + "]".repeat(10_000);
    await check({ method: "POST", path: "/api/records/account", headers: { "content-type": "application/json" }, body: `{"name":"Acme","industry":${deep}}` });
  });

  it("refuses a deeply nested value in a batch update with a 422 (not a 500 from updating an unvalidated change)", async () => {
    const deep = "[".repeat(10_000) + "]".repeat(10_000);
    await check({ method: "PATCH", path: "/api/records/account", headers: { "content-type": "application/json" }, body: `[{"id":"${await account()}","industry":${deep}}]` });
  });

  it("answers a deeply nested body sent with an Idempotency-Key (not a 500 from hashing it)", async () => {
    const deep = "[".repeat(10_000) + "]".repeat(10_000);
    await check({ method: "POST", path: "/api/records/account", headers: { "content-type": "application/json", "idempotency-key": "deep-1" }, body: deep });
  });

  it("refuses an entity label that is not text with a 422 (not a 500 from compiling the record schema)", async () => {
    const definition = { id: "fuzz-thing", key: "fuzzThing", label: { en: 5 }, fields: [{ id: "fuzz-thing-name", key: "name", type: "text", label: { en: "Name" } }] };
    await check(jsonRequest("POST", "/api/meta/entities", { definition }));
    const product = JSON.parse((await sendRaw(server, { method: "GET", path: "/api/meta/entities/product" })).text) as { definition: object };
    await check(jsonRequest("POST", "/api/meta/entities/product/preview", { definition: { ...product.definition, label: { en: 5 } } }));
  });

  // PostgreSQL only: postgres.js cannot serialise the array parameter of these types (PGlite can).
  it("answers in/nin filters on decimal, currency, percent, date and datetime fields", async () => {
    await check({ method: "GET", path: "/api/records/opportunity?filter=probability:in:(10,20)" });
    await check({ method: "GET", path: "/api/records/account?filter=annualRevenue:nin:(1.5,2)" });
    await check({ method: "GET", path: "/api/records/account?filter=lastFollowUpAt:in:(2024-01-01T00:00:00Z)" });
    await check({ method: "GET", path: "/api/records/campaign/aggregate?filter=startDate:nin:(2024-01-01)" });
  });
  it("updates a record addressed by an upper-case id, with manyToMany links, one at a time and in a batch", async () => {
    const id = (await account()).toUpperCase();
    const opportunity = await sendRaw(server, jsonRequest("POST", "/api/records/opportunity", { name: "Deal", account: id.toLowerCase(), stage: "prospecting" }));
    expect(opportunity.status, opportunity.text).toBe(201);
    const oppId = (JSON.parse(opportunity.text) as { id: string }).id.toUpperCase();
    await check(jsonRequest("PATCH", "/api/records/opportunity", [{ id: oppId, name: "-1e308", products: [] }]));
    await check(jsonRequest("PATCH", `/api/records/opportunity/${oppId}`, { products: [] }));
  });
});
