import { describe, expect, it } from "vitest";
import { databaseTargets } from "./support/databases.ts";
import { entity } from "./support/definitions.ts";
import { useTestServer } from "./support/test-server.ts";

describe.each(databaseTargets)("record writes on $name", (target) => {
  const server = useTestServer(target, { seed: false });
  let ready: Promise<void> | undefined;

  function setUp() {
    ready ??= (async () => {
      const defs = [
        entity("tag", [{ key: "name", type: "text", required: true, unique: true }]),
        entity("company", [{ key: "name", type: "text", required: true }]),
        entity("deal", [
          { key: "title", type: "text", required: true, maxLength: 40 },
          { key: "code", type: "text", unique: true },
          { key: "amount", type: "currency", defaultCurrency: "EUR" },
          { key: "qty", type: "integer", min: 0, default: 1 },
          { key: "stage", type: "select", options: [{ key: "open", label: { en: "Open" } }, { key: "won", label: { en: "Won" } }], default: "open" },
          { key: "closeOn", type: "date" },
          { key: "company", type: "relation", relation: "manyToOne", target: "company", onDelete: "restrict" },
          { key: "tags", type: "relation", relation: "manyToMany", target: "tag" },
          { key: "number", type: "autoNumber", prefix: "D-", digits: 4 },
          { key: "meta", type: "json" },
          { key: "notes", type: "richText" },
        ]),
      ];
      const res = await server.request("POST", "/api/meta/entities", { definitions: defs });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
    })();
    return ready;
  }

  async function count(table: string) {
    return (await server.sql<{ n: number }>(`select count(*)::int as n from data."${table}"`))[0]!.n;
  }

  it("creates a record with defaults, system fields, ETag and Location", async () => {
    await setUp();
    const res = await server.request("POST", "/api/records/deal", { title: "First", amount: { amount: 1200.5 }, closeOn: "2026-03-31", meta: { a: [1] } });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body).toMatchObject({
      title: "First",
      amount: { amount: 1200.5, currency: "EUR" },
      qty: 1,
      stage: "open",
      closeOn: "2026-03-31",
      company: null,
      tags: [],
      meta: { a: [1] },
      version: 1,
      createdBy: server.admin.userId,
      updatedBy: server.admin.userId,
      ownerId: server.admin.userId,
    });
    expect(res.body.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(res.body.number).toMatch(/^D-\d{4}$/);
    expect(res.body.createdAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(res.headers.get("etag")).toBe('"1"');
    expect(res.headers.get("location")).toBe(`/api/records/deal/${res.body.id}`);
    const got = await server.request("GET", `/api/records/deal/${res.body.id}`);
    expect(got.status).toBe(200);
    expect(got.body).toEqual(res.body);
    expect(got.headers.get("etag")).toBe('"1"');
  });

  it("refuses system fields and lists every invalid field with its pointer", async () => {
    await setUp();
    const res = await server.request("POST", "/api/records/deal", { id: "00000000-0000-4000-8000-000000000000", version: 3, title: "x".repeat(41), qty: -1, stage: "lost", closeOn: "2026-02-30", nope: 1 });
    expect(res.status).toBe(422);
    expect(res.headers.get("content-type")).toContain("application/problem+json");
    const pointers = res.body.issues.map((i: { pointer: string }) => i.pointer).sort();
    expect(pointers).toEqual(expect.arrayContaining(["/id", "/version", "/title", "/qty", "/stage", "/closeOn", "/nope"]));
    expect(await count("deal")).toBeGreaterThanOrEqual(0);
  });

  it("creates a batch all or nothing", async () => {
    await setUp();
    const before = await count("deal");
    const bad = await server.request("POST", "/api/records/deal", [{ title: "ok 1" }, { title: "ok 2" }, { qty: "many" }]);
    expect(bad.status).toBe(422);
    expect(bad.body.issues.map((i: { pointer: string }) => i.pointer)).toEqual(expect.arrayContaining(["/2/title", "/2/qty"]));
    expect(await count("deal")).toBe(before);
    const dup = await server.request("POST", "/api/records/deal", [{ title: "a", code: "SAME" }, { title: "b", code: "SAME" }]);
    expect(dup.status).toBe(409);
    expect(await count("deal")).toBe(before);
    const good = await server.request("POST", "/api/records/deal", [{ title: "b1" }, { title: "b2" }, { title: "b3" }]);
    expect(good.status).toBe(201);
    expect(good.body.items.map((r: { title: string }) => r.title)).toEqual(["b1", "b2", "b3"]);
    expect(await count("deal")).toBe(before + 3);
  });

  it("translates database errors: unique → 409 naming the field without the other record's data, bad reference → 422", async () => {
    await setUp();
    expect((await server.request("POST", "/api/records/deal", { title: "u1", code: "SECRET-CODE-1" })).status).toBe(201);
    const dup = await server.request("POST", "/api/records/deal", { title: "u2", code: "SECRET-CODE-1" });
    expect(dup.status).toBe(409);
    expect(dup.body).toMatchObject({ code: "RECORD_NOT_UNIQUE", issues: [{ pointer: "/code" }] });
    expect(JSON.stringify(dup.body)).not.toContain("SECRET-CODE-1");
    const ref = await server.request("POST", "/api/records/deal", { title: "r", company: "00000000-0000-4000-8000-000000000001" });
    expect(ref.status).toBe(422);
    expect(ref.body).toMatchObject({ code: "INVALID_REFERENCE", issues: [{ pointer: "/company" }] });
    const link = await server.request("POST", "/api/records/deal", { title: "r", tags: ["00000000-0000-4000-8000-000000000001"] });
    expect(link.status).toBe(422);
  });

  it("updates with optimistic concurrency: If-Match current → 200, stale → 412", async () => {
    await setUp();
    const created = (await server.request("POST", "/api/records/deal", { title: "v" })).body;
    const ok = await server.request("PATCH", `/api/records/deal/${created.id}`, { stage: "won" }, { "if-match": '"1"' });
    expect(ok.status, JSON.stringify(ok.body)).toBe(200);
    expect(ok.body).toMatchObject({ stage: "won", version: 2, title: "v" });
    expect(ok.headers.get("etag")).toBe('"2"');
    expect(ok.body.updatedAt >= created.updatedAt).toBe(true);
    const stale = await server.request("PATCH", `/api/records/deal/${created.id}`, { stage: "open" }, { "if-match": '"1"' });
    expect(stale.status).toBe(412);
    expect(stale.body).toMatchObject({ code: "PRECONDITION_FAILED", currentVersion: 2 });
    const staleDelete = await server.request("DELETE", `/api/records/deal/${created.id}`, undefined, { "if-match": '"1"' });
    expect(staleDelete.status).toBe(412);
    const badHeader = await server.request("PATCH", `/api/records/deal/${created.id}`, { stage: "open" }, { "if-match": "nonsense" });
    expect(badHeader.status).toBe(400);
    const invalid = await server.request("PATCH", `/api/records/deal/${created.id}`, { qty: 1.5, createdAt: "2020-01-01" });
    expect(invalid.status).toBe(422);
    const deleted = await server.request("DELETE", `/api/records/deal/${created.id}`, undefined, { "if-match": '"2"' });
    expect(deleted.status).toBe(204);
    expect((await server.request("GET", `/api/records/deal/${created.id}`)).status).toBe(404);
    expect((await server.request("PATCH", `/api/records/deal/${created.id}`, { stage: "won" })).status).toBe(404);
    expect((await server.request("GET", `/api/records/deal/not-a-uuid`)).status).toBe(404);
    expect((await server.request("GET", `/api/records/nothing/${created.id}`)).status).toBe(404);
  });

  it("stores rich text sanitised: scripts, event handlers and javascript: links removed on create, update and batch update", async () => {
    await setUp();
    const hostile = `<p onclick="steal()">Hello <strong>there</strong><script>alert(1)</script></p><img src=x onerror="alert(2)"><a href="javascript:alert(3)">click</a><a href="https://example.com/x">ok</a><iframe src="https://evil.test"></iframe>`;
    const created = await server.request("POST", "/api/records/deal", { title: "Rich", notes: hostile });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const clean = '<p>Hello <strong>there</strong></p><a rel="noopener noreferrer nofollow">click</a><a href="https://example.com/x" rel="noopener noreferrer nofollow">ok</a>';
    expect(created.body.notes).toBe(clean);
    const stored = await server.sql<{ notes: string }>(`select notes from data.deal where id = $1`, [created.body.id]);
    expect(stored[0]!.notes).toBe(clean);

    const patched = await server.request("PATCH", `/api/records/deal/${created.body.id}`, { notes: `<h2 style="x" onmouseover="y()">Title</h2><svg onload="z()"></svg>` }, { "if-match": `"${created.body.version}"` });
    expect(patched.status, JSON.stringify(patched.body)).toBe(200);
    expect(patched.body.notes).toBe("<h2>Title</h2>");
    const batch = await server.request("PATCH", "/api/records/deal", [{ id: created.body.id, notes: `<ul><li>one<script>x</script></li></ul>` }]);
    expect(batch.status, JSON.stringify(batch.body)).toBe(200);
    expect(batch.body.items[0].notes).toBe("<ul><li>one</li></ul>");
  });

  it("writes and replaces manyToMany links", async () => {
    await setUp();
    const tags = (await server.request("POST", "/api/records/tag", [{ name: "t-a" }, { name: "t-b" }, { name: "t-c" }])).body.items.map((t: { id: string }) => t.id);
    const deal = await server.request("POST", "/api/records/deal", { title: "linked", tags: [tags[0], tags[1]] });
    expect(deal.status).toBe(201);
    expect(deal.body.tags).toEqual([tags[0], tags[1]].sort());
    const changed = await server.request("PATCH", `/api/records/deal/${deal.body.id}`, { tags: [tags[2]] });
    expect(changed.body.tags).toEqual([tags[2]]);
  });

  it("refuses deleting a record others still refer to with 409", async () => {
    await setUp();
    const company = (await server.request("POST", "/api/records/company", { name: "Acme" })).body;
    await server.request("POST", "/api/records/deal", { title: "with company", company: company.id });
    const res = await server.request("DELETE", `/api/records/company/${company.id}`);
    expect(res.status).toBe(409);
    expect(res.body.code).toBe("RECORD_IN_USE");
  });

  it("batch update and delete are atomic", async () => {
    await setUp();
    const items = (await server.request("POST", "/api/records/deal", [{ title: "x1" }, { title: "x2" }])).body.items;
    const bad = await server.request("PATCH", "/api/records/deal", [{ id: items[0].id, title: "y1" }, { id: items[1].id, qty: -5 }]);
    expect(bad.status).toBe(422);
    expect(bad.body.issues[0].pointer).toBe("/1/qty");
    expect((await server.request("GET", `/api/records/deal/${items[0].id}`)).body.title).toBe("x1");
    const stale = await server.request("PATCH", "/api/records/deal", [{ id: items[0].id, title: "y1" }, { id: items[1].id, version: 7, title: "y2" }]);
    expect(stale.status).toBe(412);
    expect((await server.request("GET", `/api/records/deal/${items[0].id}`)).body.title).toBe("x1");
    const good = await server.request("PATCH", "/api/records/deal", [{ id: items[0].id, title: "y1" }, { id: items[1].id, version: 1, title: "y2" }]);
    expect(good.status, JSON.stringify(good.body)).toBe(200);
    expect(good.body.items.map((r: { title: string; version: number }) => [r.title, r.version])).toEqual([["y1", 2], ["y2", 2]]);
    const missing = await server.request("DELETE", "/api/records/deal", { ids: [items[0].id, "00000000-0000-4000-8000-00000000dead"] });
    expect(missing.status).toBe(404);
    expect(missing.body.issues[0].pointer).toBe("/ids/1");
    expect((await server.request("GET", `/api/records/deal/${items[0].id}`)).status).toBe(200);
    const gone = await server.request("DELETE", "/api/records/deal", { ids: items.map((i: { id: string }) => i.id) });
    expect(gone.body).toEqual({ deleted: 2 });
  });

  it("idempotency: a retry replays the first response; another body → 422; concurrent duplicates create one record", async () => {
    await setUp();
    const before = await count("deal");
    const first = await server.request("POST", "/api/records/deal", { title: "idem" }, { "idempotency-key": "key-1" });
    const retry = await server.request("POST", "/api/records/deal", { title: "idem" }, { "idempotency-key": "key-1" });
    expect(first.status).toBe(201);
    expect(retry.status).toBe(201);
    expect(retry.body).toEqual(first.body);
    expect(retry.headers.get("idempotent-replayed")).toBe("true");
    expect(await count("deal")).toBe(before + 1);
    const other = await server.request("POST", "/api/records/deal", { title: "different" }, { "idempotency-key": "key-1" });
    expect(other.status).toBe(422);
    expect(other.body.code).toBe("IDEMPOTENCY_KEY_REUSED");
    // A failed first attempt frees the key for a corrected retry.
    expect((await server.request("POST", "/api/records/deal", { qty: -1 }, { "idempotency-key": "key-2" })).status).toBe(422);
    expect((await server.request("POST", "/api/records/deal", { title: "fixed" }, { "idempotency-key": "key-2" })).status).toBe(201);

    const burst = await Promise.all(Array.from({ length: 200 }, () => server.request("POST", "/api/records/deal", { title: "burst" }, { "idempotency-key": "key-burst" })));
    const statuses = burst.map((r) => r.status);
    expect(statuses.every((s) => s === 201 || s === 409)).toBe(true);
    expect((await server.sql<{ n: number }>(`select count(*)::int as n from data."deal" where "title" = 'burst'`))[0]!.n).toBe(1);
    const ids = new Set(burst.filter((r) => r.status === 201).map((r) => r.body.id));
    expect(ids.size).toBe(1);
  });
});
