import entitySchema from "@crm/schemas/entity.schema.json" with { type: "json" };
import fieldSchema from "@crm/schemas/field.schema.json" with { type: "json" };
import { describe, expect, it } from "vitest";
import { schemaIssues } from "./schema-issues.ts";

/** Every `properties` entry anywhere in a schema, with its path, for the studio's form rendering. */
function propertySchemas(node: unknown, path = "#"): Array<[string, Record<string, unknown>]> {
  if (typeof node !== "object" || node === null) return [];
  const found: Array<[string, Record<string, unknown>]> = [];
  for (const [key, value] of Object.entries(node)) {
    if (key === "properties" && typeof value === "object" && value !== null) {
      for (const [name, schema] of Object.entries(value)) found.push([`${path}/properties/${name}`, schema as Record<string, unknown>]);
    }
    found.push(...propertySchemas(value, `${path}/${key}`));
  }
  return found;
}

describe("entity and field schemas", () => {
  const properties = [...propertySchemas(entitySchema), ...propertySchemas(fieldSchema)];

  it.each(properties)("%s has a title", (_path, schema) => {
    expect(typeof schema["title"]).toBe("string");
  });

  it("closes every object", () => {
    const open = properties.filter(([, s]) => s["type"] === "object" && s["additionalProperties"] !== false);
    expect(open).toEqual([]);
  });
});

describe("schemaIssues", () => {
  it("finds nothing in a valid definition", () => {
    expect(schemaIssues({ id: "a", key: "account", label: { en: "Account" }, fields: [] })).toEqual([]);
  });

  it("reports a failed anyOf once, not once per branch", () => {
    const input = {
      id: "a",
      key: "account",
      label: { en: "Account" },
      fields: [{ id: "f", key: "due", type: "date", label: { en: "Due" }, default: "tomorrow" }],
    };
    expect(schemaIssues(input)).toEqual([{ code: "INVALID_DATE", pointer: "/fields/0/default", message: '"default" must be an ISO date like 2024-12-31 or "now".' }]);
  });

  it("reports every missing property at its own pointer", () => {
    expect(schemaIssues({}).map((i) => [i.code, i.pointer])).toEqual([
      ["REQUIRED", "/id"],
      ["REQUIRED", "/key"],
      ["REQUIRED", "/label"],
      ["REQUIRED", "/fields"],
    ]);
  });
});
