import { describe, expect, it } from "vitest";
import { Validator } from "@seriousme/openapi-schema-validator";
import Ajv2020 from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import { compileRecordValidator, decimalKeyword, qualified, recordJson, sql, toStatement, type EntityDefinition } from "@crm/core";
import { loadShippedCrm } from "@crm/runtime";
import { databaseTargets } from "./support/databases.ts";
import { entity, everyFieldType } from "./support/definitions.ts";
import { login, type TestSession } from "./support/login.ts";
import { ANONYMOUS, useTestServer } from "./support/test-server.ts";

type Doc = { openapi: string; paths: Record<string, Record<string, any>>; components: Record<string, Record<string, any>> };

const pascal = (key: string) => key[0]!.toUpperCase() + key.slice(1);
const METHODS = ["get", "post", "put", "patch", "delete"];
const UNSAFE = ["post", "put", "patch", "delete"];
/** Mounted but no API: the reference page and its script. */
const NOT_API = new Set(["/api/docs", "/api/docs/scalar.js"]);
const SIGNED_IN_WRITE = [{ bearerToken: [] }, { sessionCookie: [], csrfToken: [] }];
const REP = { email: "openapi-rep@example.test", password: "a-long-password-for-openapi" };

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

/** The media type and schema an operation documents for a status. */
function documentedResponse(doc: Doc, path: string, method: string, status: number): { type: string; schema: unknown } {
  const op = doc.paths[path]?.[method];
  if (!op) throw new Error(`${method.toUpperCase()} ${path} is not documented`);
  const response = resolve(doc, op.responses[String(status)]);
  if (!response?.content) throw new Error(`${op.operationId} documents no ${status} body`);
  const [type, media] = Object.entries(response.content as Record<string, { schema: unknown }>)[0]!;
  return { type, schema: media.schema };
}

describe.each(databaseTargets)("OpenAPI document on $name", (target) => {
  const server = useTestServer(target);
  const shipped = loadShippedCrm();
  let rep: Promise<TestSession & { created: { status: number; headers: Headers; body: any } }> | undefined;

  /** A sales rep, created through the admin API and signed in (once per suite). */
  function salesRep() {
    rep ??= (async () => {
      const roles = (await server.request("GET", "/api/admin/roles")).body.items as Array<{ id: string; key: string }>;
      const created = await server.request("POST", "/api/admin/users", { email: REP.email, name: "Rep", roleIds: [roles.find((r) => r.key === "sales_rep")!.id] });
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      await server.request("POST", `/api/admin/users/${created.body.id}/password`, { password: REP.password });
      return { ...(await login(server, REP.email, REP.password)), created };
    })();
    return rep;
  }

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
      for (const response of Object.values(op.responses as Record<string, unknown>)) {
        for (const media of Object.values((resolve(doc, response).content ?? {}) as Record<string, { schema: unknown }>)) ajv.compile(media.schema);
      }
    }
    // Compiling blocks this process, and so the in-process server, for seconds on a busy machine: let
    // the server's keep-alive timers close their idle sockets and the client see it, before the next
    // request picks a closed socket from its pool (ECONNRESET).
    await new Promise((settled) => setTimeout(settled, 250));

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

  it("documents every route the server mounts, for every live entity, and nothing else", async () => {
    const { doc } = await fetchDoc();
    const keys = server.runtime.registry.definitions().map((d) => d.key);
    const shape = (method: string, path: string) => `${method.toUpperCase()} ${path.replace(/\{\w+\}|:\w+/g, "{}")}`;
    const documented = new Set(operations(doc).map(({ path, method }) => shape(method, path)));
    const mounted = new Set(
      server.runtime.app.routes
        .filter((r) => METHODS.includes(r.method.toLowerCase()) && r.path.startsWith("/api/") && !NOT_API.has(r.path))
        .flatMap((r) => (/:entity\b(?!Id)/.test(r.path) ? keys.map((key) => r.path.replace(/:entity\b(?!Id)/, key)) : [r.path]).map((path) => shape(r.method, path))),
    );
    expect(mounted.size).toBeGreaterThan(100);
    expect([...mounted].filter((route) => !documented.has(route)), "mounted but undocumented").toEqual([]);
    expect([...documented].filter((route) => !mounted.has(route)), "documented but not mounted").toEqual([]);
  });

  it("is the same document for every caller, signed in or not", async () => {
    const session = await salesRep();
    const answers = [await fetchDoc(), await fetchDoc({ ...ANONYMOUS }), await fetchDoc(session.headers)];
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200]);
    expect(new Set(answers.map((a) => a.etag)).size).toBe(1);
    expect(new Set(answers.map((a) => JSON.stringify(a.doc))).size).toBe(1);
  });

  it("declares how callers authenticate, and what each operation answers when they may not", async () => {
    const { doc } = await fetchDoc();
    const d = doc as Doc & { security: unknown };
    expect(d.components.securitySchemes).toMatchObject({
      bearerToken: { type: "http", scheme: "bearer" },
      sessionCookie: { type: "apiKey", in: "cookie", name: "crm_session" },
      csrfToken: { type: "apiKey", in: "header", name: "x-csrf-token" },
    });
    expect(d.security).toEqual([{ bearerToken: [] }, { sessionCookie: [] }]);
    const publicPaths = ["/api/health", "/api/openapi.json", "/api/auth/login", "/api/auth/logout", "/api/workflows/{id}/webhook"];
    for (const { path, method, op } of operations(doc)) {
      const where = `${method} ${path}`;
      if (publicPaths.includes(path)) {
        expect(op.security, where).toContainEqual({});
        // Sign-in answers 401 for wrong credentials, a workflow's webhook for a wrong signature; the others never for missing ones.
        if (path === "/api/workflows/{id}/webhook") expect(op.responses["401"], where).toMatchObject({ description: expect.stringContaining("WEBHOOK_SIGNATURE_INVALID") });
        else if (path !== "/api/auth/login") expect(op.responses["401"], where).toBeUndefined();
        continue;
      }
      expect(op.responses["401"], where).toEqual({ $ref: "#/components/responses/Unauthorized" });
      if (UNSAFE.includes(method)) {
        expect(op.responses["403"], where).toBeDefined();
        expect(op.security ?? d.security, where).toContainEqual(path === "/api/me/tokens" ? { sessionCookie: [], csrfToken: [] } : SIGNED_IN_WRITE[1]);
      }
      if (/^\/api\/(admin|meta|webhooks|access)\//.test(`${path}/`)) expect(op.responses["403"], where).toEqual({ $ref: "#/components/responses/AdminRequired" });
    }
    for (const def of shipped) {
      const name = pascal(def.key);
      const base = `/api/records/${def.key}`;
      const item = `${base}/{id}`;
      const reads = [doc.paths[base]!.get, doc.paths[item]!.get, doc.paths[`${base}/aggregate`]!.get, doc.paths[`${base}/export`]!.get, doc.paths[`${item}/history`]!.get];
      const writes = [doc.paths[base]!.post, doc.paths[base]!.patch, doc.paths[base]!.delete, doc.paths[item]!.patch, doc.paths[item]!.delete];
      for (const op of reads) expect(op.responses["403"], op.operationId).toEqual({ $ref: "#/components/responses/Forbidden" });
      for (const op of writes) {
        expect(op.security, op.operationId).toEqual(SIGNED_IN_WRITE);
        expect(op.responses["403"], op.operationId).toEqual({ $ref: "#/components/responses/RecordWriteForbidden" });
      }
      expect(doc.paths[`${item}/history`]!.get.operationId).toBe(`history${name}`);
      expect(documentedResponse(doc, `${item}/history`, "get", 200).schema).toEqual({ $ref: "#/components/schemas/RecordHistoryPage" });
      expect(doc.paths[`${base}/export`]!.get.operationId).toBe(`export${name}`);
      for (const schema of [`${name}Create`, `${name}Update`]) expect(doc.components.schemas![schema].properties.ownerId, schema).toMatchObject({ type: ["string", "null"], format: "uuid" });
      expect(doc.components.schemas![name].properties.ownerId).toBeDefined();
    }
    const forbidden = doc.components.responses!["RecordWriteForbidden"];
    for (const code of ["ACCESS_DENIED", "FIELDS_NOT_WRITABLE", "FIELD_NOT_WRITABLE", "TRANSFER_NOT_ALLOWED", "OWNER_OUT_OF_SCOPE", "CSRF_TOKEN_INVALID"]) expect(forbidden.description).toContain(code);
    expect(forbidden.content["application/problem+json"].examples.fieldsNotWritable.value.issues[0]).toMatchObject({ code: "FIELD_NOT_WRITABLE", pointer: "/annualRevenue" });
    expect(doc.components.responses!["Unauthorized"].description).toContain("AUTHENTICATION_REQUIRED");
  });

  it("documents plugin refusals and outages on every record write, and answers them as documented", async () => {
    const { doc } = await fetchDoc();
    for (const def of shipped) {
      const base = `/api/records/${def.key}`;
      for (const op of [doc.paths[base]!.post, doc.paths[base]!.patch, doc.paths[base]!.delete, doc.paths[`${base}/{id}`]!.patch, doc.paths[`${base}/{id}`]!.delete]) {
        expect(op.responses["422"], op.operationId).toEqual({ $ref: "#/components/responses/RecordWriteInvalid" });
        expect(op.responses["503"], op.operationId).toEqual({ $ref: "#/components/responses/PluginUnavailable" });
      }
    }
    const action = doc.paths["/api/records/{entity}/{id}/actions/{pluginId}/{action}"]!.post;
    expect([action.responses["422"], action.responses["503"]]).toEqual([{ $ref: "#/components/responses/RecordWriteInvalid" }, { $ref: "#/components/responses/PluginUnavailable" }]);
    for (const code of ["RECORD_INVALID", "PLUGIN_REJECTED", "PLUGIN_FAILED"]) expect(doc.components.responses!["RecordWriteInvalid"].description).toContain(code);
    expect(doc.components.responses!["PluginUnavailable"].description).toContain("PLUGIN_UNAVAILABLE");

    const ajv = schemaCompiler(doc);
    const expectDocumented = (path: string, method: string, res: { status: number; headers: Headers; body: unknown }, status: number) => {
      expect(res.status, JSON.stringify(res.body)).toBe(status);
      const { type, schema } = documentedResponse(doc, path, method, res.status);
      expect(res.headers.get("content-type")).toContain(type);
      const valid = ajv.compile(schema);
      expect(valid(res.body), `${JSON.stringify(valid.errors)} in ${JSON.stringify(res.body)}`).toBe(true);
    };
    const code = `globalThis.plugin = { hooks: { beforeCreate: async (input) => {
      if (input.record.name === "Refused") return { reject: { message: "no", fields: { name: "Not this name." } } };
      if (input.record.name === "Thrown") throw new Error("boom");
      if (input.record.name === "Spun") for (;;) {}
      return null;
    } } };`;
    const manifest = { id: "openapi-guard", version: "1.0.0", engine: "^0.1.0", capabilities: {}, budgets: { cpuMs: 30 }, hooks: { beforeCreate: { entities: ["campaign"] } } };
    expect((await server.request("POST", "/api/admin/plugins", { manifest, code })).status).toBe(201);
    try {
      const post = (name: string) => server.request("POST", "/api/records/campaign", { name });
      expectDocumented("/api/records/campaign", "post", await post("Refused"), 422);
      expectDocumented("/api/records/campaign", "post", await post("Thrown"), 422);
      const spun = await post("Spun");
      expectDocumented("/api/records/campaign", "post", spun, 503);
      expect(spun.body).toMatchObject({ code: "PLUGIN_UNAVAILABLE", pluginId: "openapi-guard", outcome: "timeout", limit: "cpu" });
      expectDocumented("/api/records/campaign", "post", await post("Fine"), 201);
    } finally {
      await server.request("DELETE", "/api/admin/plugins/openapi-guard");
    }
  });

  it("answers history, permissions, the admin API, 401 and 403 exactly as documented", async () => {
    const { doc } = await fetchDoc();
    const ajv = schemaCompiler(doc);
    const expectDocumented = (path: string, method: string, res: { status: number; headers: Headers; body: unknown }) => {
      const { type, schema } = documentedResponse(doc, path, method, res.status);
      expect(res.headers.get("content-type"), `${method} ${path} ${res.status}`).toContain(type);
      const valid = ajv.compile(schema);
      expect(valid(res.body), `${method} ${path} ${res.status}: ${JSON.stringify(valid.errors)} in ${JSON.stringify(res.body)}`).toBe(true);
    };
    const session = await salesRep();
    expectDocumented("/api/admin/users", "post", session.created);
    expect(session.created.body.password).toEqual(expect.any(String));
    expectDocumented("/api/auth/login", "post", await server.request("POST", "/api/auth/login", REP));

    const account = await server.request("POST", "/api/records/account", { name: "Documented", annualRevenue: { amount: 5, currency: "EUR" } });
    expectDocumented("/api/records/account", "post", account);
    await server.request("PATCH", `/api/records/account/${account.body.id}`, { name: "Documented again", ownerId: session.userId });
    const history = await server.request("GET", `/api/records/account/${account.body.id}/history?limit=1`);
    expect(history.status).toBe(200);
    expect(history.body.items).toHaveLength(1);
    expect(history.body.nextBefore).toEqual(expect.any(Number));
    expectDocumented("/api/records/account/{id}/history", "get", history);
    const repHistory = await server.request("GET", `/api/records/account/${account.body.id}/history`, undefined, session.headers);
    expect(repHistory.body.items.map((i: { action: string }) => i.action)).toEqual(["update", "create"]);
    expectDocumented("/api/records/account/{id}/history", "get", repHistory);
    expectDocumented("/api/records/account/{id}/history", "get", await server.request("GET", `/api/records/account/${account.body.id}/history?limit=0`));

    for (const headers of [session.headers, {}]) {
      expectDocumented("/api/me/permissions", "get", await server.request("GET", "/api/me/permissions", undefined, headers));
      expectDocumented("/api/me", "get", await server.request("GET", "/api/me", undefined, headers));
      expectDocumented("/api/me/tokens", "get", await server.request("GET", "/api/me/tokens", undefined, headers));
    }
    const token = await server.request("POST", "/api/me/tokens", { name: "doc" }, session.headers);
    expectDocumented("/api/me/tokens", "post", token);
    expectDocumented("/api/me/tokens", "post", await server.request("POST", "/api/me/tokens", { name: "doc" }));
    expectDocumented("/api/access/explain", "get", await server.request("GET", `/api/access/explain?user=${session.userId}&entity=account&id=${account.body.id}`));
    for (const path of ["users", "roles", "departments", "teams", "sessions", "tokens", "audit"]) {
      expectDocumented(`/api/admin/${path}`, "get", await server.request("GET", `/api/admin/${path}`));
    }

    const anonymous = await server.request("GET", "/api/records/account", undefined, ANONYMOUS);
    expect(anonymous.body.code).toBe("AUTHENTICATION_REQUIRED");
    expectDocumented("/api/records/account", "get", anonymous);
    const transfer = await server.request("POST", "/api/records/account", { name: "Not mine to give", ownerId: server.admin.userId }, session.headers);
    expect(transfer.body).toMatchObject({ status: 403, code: "FIELDS_NOT_WRITABLE", issues: [{ code: "TRANSFER_NOT_ALLOWED", pointer: "/ownerId" }] });
    expectDocumented("/api/records/account", "post", transfer);
    const denied = await server.request("POST", "/api/records/product", { name: "P", code: "P-1" }, session.headers);
    expect(denied.body.code).toBe("ACCESS_DENIED");
    expectDocumented("/api/records/product", "post", denied);
    const notAdmin = await server.request("GET", "/api/admin/users", undefined, session.headers);
    expect(notAdmin.body.code).toBe("ADMIN_REQUIRED");
    expectDocumented("/api/admin/users", "get", notAdmin);
    const noCsrf = await server.request("PATCH", `/api/records/account/${account.body.id}`, { name: "x" }, { cookie: session.cookie });
    expect(noCsrf.body.code).toBe("CSRF_TOKEN_INVALID");
    expectDocumented("/api/records/account/{id}", "patch", noCsrf);
  });
});
