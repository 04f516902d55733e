import { describe, expect, it } from "vitest";
import type { EntityDefinition } from "@crm/core";
import { createOpenApiDocument } from "./create-openapi-document.ts";
import { toOpenApiSchema } from "./field-annotations.ts";
import { entitySchemaNames } from "./schema-names.ts";

const shared = new Set(["Problem", "EntityDefinition"]);

function entity(key: string, label = key): EntityDefinition {
  return { id: key.toLowerCase(), key, label: { en: label }, fields: [{ id: `${key.toLowerCase()}-name`, key: "name", label: { en: "Name" }, type: "text" }] };
}

describe("entitySchemaNames", () => {
  it.each([
    ["account", { record: "Account", create: "AccountCreate", update: "AccountUpdate" }],
    ["campaignMember", { record: "CampaignMember", create: "CampaignMemberCreate", update: "CampaignMemberUpdate" }],
    ["accountCreate", { record: "AccountCreate_", create: "AccountCreate_Create", update: "AccountCreate_Update" }],
    ["problem", { record: "Problem_", create: "Problem_Create", update: "Problem_Update" }],
  ])("%s", (key, names) => {
    expect(entitySchemaNames(key, shared)).toEqual(names);
  });
});

describe("toOpenApiSchema", () => {
  it("drops $schema and renames ajv-only keywords at any depth, leaving data alone", () => {
    const schema = {
      $schema: "https://json-schema.org/draft/2020-12/schema",
      type: "object",
      required: ["formatMinimum"],
      properties: { on: { type: "string", format: "date", formatMinimum: "2020-01-01", enum: ["formatMaximum"] } },
      allOf: [{ formatMaximum: "2030-01-01" }],
    };
    expect(toOpenApiSchema(schema)).toEqual({
      type: "object",
      required: ["formatMinimum"],
      properties: { on: { type: "string", format: "date", "x-formatMinimum": "2020-01-01", enum: ["formatMaximum"] } },
      allOf: [{ "x-formatMaximum": "2030-01-01" }],
    });
  });
});

describe("createOpenApiDocument", () => {
  it("keeps names, operation ids and tags unique when keys and labels look alike", () => {
    const entities = [entity("account", "Thing"), entity("accountCreate", "Thing"), entity("problem", "System"), entity("health")];
    const doc = createOpenApiDocument(entities, { title: "t", version: "1" });
    const schemas = Object.keys(doc.components.schemas);
    expect(schemas).toEqual(expect.arrayContaining(["Problem", "Problem_", "Account", "AccountCreate", "AccountCreate_", "AccountCreate_Create"]));
    expect(doc.components.schemas["AccountCreate"]).toMatchObject({ title: "New Thing" });
    const ids = Object.values(doc.paths).flatMap((item) => Object.values(item).map((op) => op.operationId));
    expect(new Set(ids).size).toBe(ids.length);
    const tags = doc.tags.map((t) => t.name);
    expect(new Set(tags).size).toBe(tags.length);
    expect(tags).toEqual(expect.arrayContaining(["Thing", "Thing (accountCreate)", "System (problem)"]));
  });

  it("is the same for the same definitions", () => {
    const entities = [entity("account")];
    expect(JSON.stringify(createOpenApiDocument(entities, { title: "t", version: "1" }))).toBe(JSON.stringify(createOpenApiDocument(entities, { title: "t", version: "1" })));
  });
});

describe("createOpenApiDocument: access", () => {
  const doc = createOpenApiDocument([entity("account")], { title: "t", version: "1" });
  const ops = Object.entries(doc.paths).flatMap(([path, item]) => Object.entries(item).map(([method, op]) => ({ path, method, op: op! })));

  it("documents the history of every entity, and the auth, access and admin API whatever the entities", () => {
    expect(doc.paths["/api/records/account/{id}/history"]?.get?.operationId).toBe("historyAccount");
    for (const path of ["/api/auth/login", "/api/me", "/api/me/tokens", "/api/me/permissions", "/api/access/explain", "/api/admin/users/{id}", "/api/admin/audit"]) expect(doc.paths[path], path).toBeDefined();
    const system = (paths: object) => Object.keys(paths).filter((p) => !p.startsWith("/api/records/"));
    expect(system(createOpenApiDocument([], { title: "t", version: "1" }).paths)).toEqual(system(doc.paths));
  });

  it("asks for credentials on everything but health, the document and sign-in; writes with a session need the CSRF header", () => {
    const open = ops.filter(({ op }) => op.security?.some((requirement) => Object.keys(requirement).length === 0)).map(({ method, path }) => `${method} ${path}`);
    expect(open.sort()).toEqual(["get /api/health", "get /api/openapi.json", "post /api/auth/login", "post /api/auth/logout"]);
    for (const { method, path, op } of ops) {
      if (open.includes(`${method} ${path}`)) continue;
      expect(op.responses["401"], `${method} ${path}`).toEqual({ $ref: "#/components/responses/Unauthorized" });
      if (method === "get") expect(op.security, `${method} ${path}`).toBeUndefined();
      else expect(JSON.stringify(op.security), `${method} ${path}`).toContain('"csrfToken"');
    }
    expect(doc.security).toEqual([{ bearerToken: [] }, { sessionCookie: [] }]);
  });

  it("lets clients send ownerId, documented with the transfer rule", () => {
    for (const name of ["AccountCreate", "AccountUpdate"]) {
      expect((doc.components.schemas[name] as { properties: Record<string, { description: string }> }).properties["ownerId"]?.description).toContain("transfer");
    }
  });
});
