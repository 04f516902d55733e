import { describe, expect, it } from "vitest";
import type { EntityDefinition } from "@crm/core";
import { databaseTargets } from "./support/databases.ts";
import { useTestServer } from "./support/test-server.ts";

describe.each(databaseTargets)("entity layouts through the metadata API on $name", (target) => {
  const server = useTestServer(target);

  async function current(key: string) {
    const res = await server.request("GET", `/api/meta/entities/${key}`);
    expect(res.status).toBe(200);
    return res.body as { version: number; definition: EntityDefinition };
  }

  it("ships the CRM with layouts: a kanban of opportunities by stage, a calendar of activities", async () => {
    const opportunity = (await current("opportunity")).definition;
    expect(opportunity.layout?.kanban?.field).toBe("stage");
    expect(opportunity.layout?.form?.sections.length).toBeGreaterThan(1);
    expect((await current("activity")).definition.layout?.calendar).toEqual({ startField: "dueAt" });
  });

  it("applies a layout-only change as a new version with no migration steps", async () => {
    const { version, definition } = await current("product");
    const next: EntityDefinition = { ...definition, layout: { ...definition.layout, list: { columns: [{ field: "code" }, { field: "name", width: 300 }], sort: "-unitPrice" } } };
    const preview = await server.request("POST", "/api/meta/entities/product/preview", { definition: next, baseVersion: version });
    expect(preview.status, JSON.stringify(preview.body)).toBe(200);
    expect(preview.body.steps).toEqual([]);
    const applied = await server.request("PUT", "/api/meta/entities/product", { definition: next, baseVersion: version });
    expect(applied.status, JSON.stringify(applied.body)).toBe(200);
    const after = await current("product");
    expect(after.version).toBe(version + 1);
    expect(after.definition.layout?.list).toEqual({ columns: [{ field: "code" }, { field: "name", width: 300 }], sort: "-unitPrice" });
  });

  it("refuses removing a field the layout still places, pointing at the layout entry", async () => {
    const { version, definition } = await current("product");
    const next = { ...definition, fields: definition.fields.filter((f) => f.key !== "code") };
    const res = await server.request("PUT", "/api/meta/entities/product", { definition: next, baseVersion: version });
    expect(res.status).toBe(422);
    expect(res.headers.get("content-type")).toContain("application/problem+json");
    const pointers = (res.body.issues as Array<{ code: string; pointer: string }>).filter((i) => i.code === "UNKNOWN_FIELD").map((i) => i.pointer);
    expect(pointers).toContain("/definition/layout/form/sections/0/fields/1");
    expect(pointers).toContain("/definition/layout/list/columns/0/field");
    expect((await current("product")).version).toBe(version);
  });
});
