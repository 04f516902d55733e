import entitySchema from "@crm/schemas/entity.schema.json" with { type: "json" };
import fieldSchema from "@crm/schemas/field.schema.json" with { type: "json" };
import localizedTextSchema from "@crm/schemas/localized-text.schema.json" with { type: "json" };
import type { SchemaObject } from "./types.ts";

/** Each schema file of `@crm/schemas` and the component it becomes. */
const FILES: Record<string, { component: string; schema: unknown }> = {
  "entity.schema.json": { component: "EntityDefinition", schema: entitySchema },
  "field.schema.json": { component: "FieldDefinition", schema: fieldSchema },
  "localized-text.schema.json": { component: "LocalizedText", schema: localizedTextSchema },
};

/**
 * The definition schemas (the very files the metadata API validates with) as components: `$id` and
 * `$schema` dropped, file references rewritten to component references, and the field schema's
 * `discriminator` given an explicit mapping, since its `oneOf` points into `$defs`, not components.
 */
export function definitionSchemas(): Record<string, SchemaObject> {
  const out: Record<string, SchemaObject> = {};
  for (const [file, { component, schema }] of Object.entries(FILES)) {
    const copy = rewrite(schema, file) as SchemaObject;
    delete copy["$id"];
    delete copy["$schema"];
    out[component] = copy;
  }
  out["FieldDefinition"] = withDiscriminatorMapping(out["FieldDefinition"]!);
  return out;
}

function componentRef(file: string, fragment = ""): string {
  const component = FILES[file]?.component;
  if (!component) throw new Error(`Unknown schema file in a $ref: ${file}`);
  return `#/components/schemas/${component}${fragment.replace(/^#/, "")}`;
}

function rewrite(value: unknown, file: string): unknown {
  if (Array.isArray(value)) return value.map((v) => rewrite(v, file));
  if (value === null || typeof value !== "object") return value;
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    if (key === "$ref" && typeof v === "string") {
      const [target = "", fragment = ""] = v.startsWith("#") ? [file, v] : v.split(/(?=#)/);
      out[key] = componentRef(target, fragment);
    } else {
      out[key] = rewrite(v, file);
    }
  }
  return out;
}

function withDiscriminatorMapping(schema: SchemaObject): SchemaObject {
  const discriminator = schema["discriminator"] as { propertyName: string } | undefined;
  const defs = schema["$defs"] as Record<string, SchemaObject>;
  if (!discriminator || !Array.isArray(schema["oneOf"])) return schema;
  const mapping: Record<string, string> = {};
  for (const branch of schema["oneOf"] as Array<{ $ref: string }>) {
    const def = defs[branch.$ref.split("/").pop()!];
    const tag = (def?.["properties"] as Record<string, { const?: string; enum?: string[] }> | undefined)?.[discriminator.propertyName];
    for (const value of tag?.enum ?? (tag?.const === undefined ? [] : [tag.const])) mapping[value] = branch.$ref;
  }
  return { ...schema, discriminator: { ...discriminator, mapping } };
}
