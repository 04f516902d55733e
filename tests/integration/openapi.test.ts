import { describe, expect, it } from "vitest";
import { Validator } from "@seriousme/openapi-schema-validator";
import Ajv2020 from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import { compileRecordValidator, decimalKeyword, qualified, recordJson, sql, toStatement, type EntityDefinition } from "@crm/core";
import { loadShippedCrm } from "@crm/runtime";
import { databaseTargets } from "./support/databases.ts";
import { entity, everyFieldType } from "./support/definitions.ts";
import { useTestServer } from "./support/test-server.ts";

type Doc = { openapi: string; paths: Record<string, Record<string, any>>; components: Record<string, Record<string, any>> };

const pascal = (key: string) => key[0]!.toUpperCase() + key.slice(1);
const METHODS = ["get", "post", "put", "patch", "delete"];

function operations(doc: Doc) {
  return Object.entries(doc.paths).flatMap(([path, item]) => METHODS.filter((m) => item[m]).map((method) => ({ path, method, op: item[method] })));
}

function resolve(doc: Doc, value: any): any {
  if (!value?.$ref) return value;
  const [, , kind, name] = value.$ref.split("/");
  return doc.components[kind]![name];
}

/**
 * Ajv 2020 in strict mode over every schema of the document (components and inline), with
 * component references pointing into one resource: proves each is valid JSON Schema 2020-12 with no
 * keyword outside the standard vocabularies, except the declared `x-` extensions.
 */
function schemaCompiler(doc: Doc) {
  const ajv = new Ajv2020.default({ strict: true, allErrors: true, allowUnionTypes: true });
  addFormats.default(ajv);
  ajv.addKeyword(decimalKeyword);
  for (const keyword of ["x-enum-descriptions", "x-formatMinimum", "x-formatMaximum", "x-issue-code", "discriminator"]) ajv.addKeyword({ keyword });
  const rewrite = (value: unknown) => JSON.parse(JSON.stringify(value).replaceAll('"#/components/schemas/', '"https://crm.test/components#/$defs/'));
  ajv.addSchema({ $id: "https://crm.test/components", $defs: rewrite(doc.components.schemas) });
  return {
    component: (name: string) => ajv.getSchema(`https://crm.test/components#/$defs/${name}`)!,
    compile: (schema: unknown) => ajv.compile(rewrite(schema)),
  };
}

describe.each(databaseTargets)("OpenAPI document on $name", (target) => {
  const server = useTestServer(target);
  const shipped = loadShippedCrm();

  async function fetchDoc(headers: Record<string, string> = {}) {
    const res = await server.request("GET", "/api/openapi.json", undefined, headers);
    return { status: res.status, etag: res.headers.get("etag"), type: res.headers.get("content-type"), doc: res.body as Doc };
  }

  async function current(key: string) {
    const res = await server.request("GET", `/api/meta/entities/${key}`);
    return res.body as { version: number; definition: EntityDefinition };
  }

  it("is an OpenAPI 3.1 document that a real validator accepts", async () => {
    const { status, type, etag, doc } = await fetchDoc();
    expect(status).toBe(200);
    expect(type).toMatch(/^application\/json/);
    expect(etag).toMatch(/^(W\/)?".+"$/);
    const validator = new Validator();
    const result = await validator.validate(structuredClone(doc) as unknown as Record<string, unknown>);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(validator.version).toBe("3.1");
    expect(() => validator.resolveRefs()).not.toThrow();
    expect(JSON.stringify(doc)).not.toMatch(/"formatM(in|ax)imum"|"\$schema"/);
  });

  it("has every shipped entity's record operations, schemas and a tag", async () => {
    const { doc } = await fetchDoc();
    for (const def of shipped) {
      const name = pascal(def.key);
      const base = `/api/records/${def.key}`;
      expect(doc.paths[base]?.get?.operationId).toBe(`list${name}`);
      expect(doc.paths[base]?.post?.operationId).toBe(`create${name}`);
      expect(doc.paths[base]?.patch?.operationId).toBe(`batchUpdate${name}`);
      expect(doc.paths[base]?.delete?.operationId).toBe(`batchDelete${name}`);
      expect(doc.paths[`${base}/aggregate`]?.get?.operationId).toBe(`aggregate${name}`);
      expect(doc.paths[`${base}/{id}`]?.get?.operationId).toBe(`get${name}`);
      expect(doc.paths[`${base}/{id}`]?.patch?.operationId).toBe(`update${name}`);
      expect(doc.paths[`${base}/{id}`]?.delete?.operationId).toBe(`delete${name}`);
      const schemas = doc.components.schemas!;
      expect(Object.keys(schemas[name].properties)).toEqual(expect.arrayContaining(["id", "version", ...def.fields.map((f) => f.key)]));
      expect(schemas[`${name}Create`].title).toBe(`New ${def.label.en}`);
      expect(schemas[`${name}Update`].additionalProperties).toBe(false);
      const list = doc.paths[base]!.get;
      expect(list.parameters.map((p: any) => resolve(doc, p).name)).toEqual(["filter", "sort", "limit", "cursor", "fields", "expand", "count", "q"]);
      expect(list.parameters[0].description).toContain("path:operator[:value]");
      expect(doc.paths[base]!.post.parameters.map((p: any) => resolve(doc, p).name)).toEqual(["Idempotency-Key"]);
    }
    const opportunity = doc.components.schemas!["Opportunity"];
    expect(opportunity.properties.stage["x-enum-descriptions"]).toMatchObject({ closed_won: "Closed won" });
    expect(opportunity.properties.account.anyOf).toContainEqual({ $ref: "#/components/schemas/Account" });
    for (const path of ["/api/health", "/api/meta/entities", "/api/meta/entities/{key}", "/api/meta/trash/{entityId}/restore"]) expect(doc.paths[path]).toBeDefined();
  });

  it("has unique operation ids and declares every path parameter", async () => {
    const { doc } = await fetchDoc();
    const ops = operations(doc);
    const ids = ops.map((o) => o.op.operationId);
    expect(new Set(ids).size).toBe(ids.length);
    for (const { path, op } of ops) {
      const declared = (op.parameters ?? []).map((p: any) => resolve(doc, p)).filter((p: any) => p.in === "path" && p.required).map((p: any) => p.name);
      const templated = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
      expect(declared.sort(), `${path} ${op.operationId}`).toEqual(templated.sort());
    }
  });

  it("answers every error status with application/problem+json and the Problem schema", async () => {
    const { doc } = await fetchDoc();
    let checked = 0;
    for (const { op } of operations(doc)) {
      for (const [status, response] of Object.entries(op.responses as Record<string, unknown>)) {
        if (Number(status) < 400) continue;
        const content = resolve(doc, response).content;
        expect(Object.keys(content), `${op.operationId} ${status}`).toEqual(["application/problem+json"]);
        expect(content["application/problem+json"].schema).toEqual({ $ref: "#/components/schemas/Problem" });
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(100);
  });

  it("has only valid JSON Schema 2020-12, and real records and writes validate against it", async () => {
    await server.request("POST", "/api/meta/entities", { definitions: [entity("gadget", [{ key: "name", type: "text" }]), entity("widget", everyFieldType("gadget"))] });
    const { doc } = await fetchDoc();
    const ajv = schemaCompiler(doc);
    for (const name of Object.keys(doc.components.schemas!)) expect(() => ajv.component(name), name).not.toThrow();
    for (const { op } of operations(doc)) {
      for (const p of op.parameters ?? []) if (p.schema) ajv.compile(p.schema);
      for (const media of Object.values((op.requestBody?.content ?? {}) as Record<string, { schema: unknown }>)) ajv.compile(media.schema);
    }

    const [gadget] = await server.sql<{ id: string }>(`insert into data."gadget" ("name") values ('g') returning "id"`);
    const [full] = await server.sql<{ id: string }>(
      `insert into data."widget" ("title","notes","body","quantity","weight","price","price_currency","discount","active","startsOn","startsAt","email","phone","website","stage","tags","parent","extra")
       values ('W','n','<p>b</p>',3,1.5,12.5,'EUR',10,true,'2024-05-01','2024-05-01T10:00:00Z','a@b.co','+1 555 0100','https://x.test','new','{a,b}',$1,'{"k":[1]}') returning "id"`,
      [gadget!.id],
    );
    await server.sql(`insert into data."widget_related" ("source","target") values ($1, $2)`, [full!.id, gadget!.id]);
    await server.sql(`insert into data."widget" ("title") values ('bare')`);
    const widget = (await current("widget")).definition;
    const read = async (def: EntityDefinition) => {
      const statement = toStatement(sql`SELECT ${recordJson(def, "t")} AS r FROM ${qualified("data", def.key)} t`);
      const rows = await server.sql<{ r: unknown }>(statement.text, statement.params);
      return rows.map((row) => (typeof row.r === "string" ? JSON.parse(row.r) : row.r) as Record<string, unknown>);
    };
    const records = await read(widget);
    expect(records).toHaveLength(2);
    const [expandedParent] = await read((await current("gadget")).definition);
    const validRecord = ajv.component("Widget");
    for (const record of [...records, { ...records[0], parent: expandedParent }]) expect(validRecord(record), JSON.stringify(validRecord.errors)).toBe(true);
    expect(validRecord({ ...records[0], stage: "unknown" })).toBe(false);

    const server422 = compileRecordValidator(widget, "create");
    const validCreate = ajv.component("WidgetCreate");
    const writes = [
      { title: "x", price: { amount: 1.5 }, stage: "new", tags: ["a"], parent: gadget!.id, related: [gadget!.id], startsOn: "2024-01-01", extra: { a: 1 } },
      { title: "x", price: { amount: 1.234 } },
      { notes: "no title" },
      { title: "x", id: gadget!.id },
      { title: "x", email: "not an email" },
    ];
    for (const body of writes) expect(validCreate(body), JSON.stringify(body)).toBe(server422(body).ok);
    expect(validCreate(writes[0])).toBe(true);
  });

  it("follows schema changes at once, and is rebuilt only after one", async () => {
    const before = await fetchDoc();
    expect((await fetchDoc()).etag).toBe(before.etag);
    expect((await fetchDoc({ "if-none-match": before.etag! })).status).toBe(304);

    const { definition, version } = await current("widget");
    const next = { ...definition, fields: [...definition.fields, { id: "t-widget-rating", key: "rating", label: { en: "Rating" }, help: { en: "1 to 5" }, type: "integer", min: 1, max: 5 }] };
    const put = await server.request("PUT", "/api/meta/entities/widget", { definition: next, baseVersion: version });
    expect(put.status, JSON.stringify(put.body)).toBe(200);
    const after = await fetchDoc({ "if-none-match": before.etag! });
    expect(after.status).toBe(200);
    expect(after.etag).not.toBe(before.etag);
    expect(after.doc.components.schemas!["WidgetCreate"].properties.rating).toMatchObject({ type: ["integer", "null"], minimum: 1, maximum: 5, title: "Rating", description: "1 to 5" });
    expect(after.doc.components.schemas!["Widget"].properties.rating).toBeDefined();

    const removed = await server.request("DELETE", `/api/meta/entities/widget?baseVersion=${version + 1}`);
    expect(removed.status, JSON.stringify(removed.body)).toBe(200);
    const gone = (await fetchDoc()).doc;
    expect(Object.keys(gone.paths).filter((p) => p.startsWith("/api/records/widget"))).toEqual([]);
    expect(gone.components.schemas!["Widget"]).toBeUndefined();
    expect(gone.paths["/api/records/gadget"]).toBeDefined();
  });

  it("serves the API reference page with its script from this server, no CDN", async () => {
    const page = await fetch(`${server.url}/api/docs`);
    expect(page.status).toBe(200);
    expect(page.headers.get("content-type")).toMatch(/^text\/html/);
    const html = await page.text();
    const sources = [...html.matchAll(/\b(?:src|href)\s*=\s*["']?([^"'\s>]+)/gi)].map((m) => m[1]!);
    expect(sources).toEqual(["/api/docs/scalar.js"]);
    expect(html).not.toMatch(/https?:\/\//);
    expect(html).toContain('"url":"/api/openapi.json"');

    const script = await fetch(`${server.url}/api/docs/scalar.js`);
    expect(script.status).toBe(200);
    expect(script.headers.get("content-type")).toMatch(/^(text|application)\/javascript/);
    const js = await script.text();
    expect(js.length).toBeGreaterThan(100_000);
    expect(js).toContain("createApiReference");
    const again = await fetch(`${server.url}/api/docs/scalar.js`, { headers: { "if-none-match": script.headers.get("etag")! } });
    expect(again.status).toBe(304);
  });
});
