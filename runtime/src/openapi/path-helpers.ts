import { ref, type Operation, type SchemaObject } from "./types.ts";

/** Small builders for hand-written operations (auth, access, admin). */
export const json = (schema: SchemaObject) => ({ "application/json": { schema } });
export const ok = (description: string, schema: SchemaObject, extra: SchemaObject = {}) => ({ "200": { description, content: json(schema), ...extra } });
export const created = (description: string, schema: SchemaObject) => ({ "201": { description, headers: { Location: ref("headers", "Location") }, content: json(schema) } });
export const noContent = (description: string) => ({ "204": { description } });
export const list = (schema: SchemaObject): SchemaObject => ({ type: "array", items: schema });
export const itemsOf = (schema: SchemaObject): SchemaObject => ({ type: "object", required: ["items"], properties: { items: list(schema) } });
export const body = (schema: SchemaObject) => ({ required: true, content: json(schema) });

export const UUID: SchemaObject = { type: "string", format: "uuid" };
export const NULLABLE_UUID: SchemaObject = { type: ["string", "null"], format: "uuid" };
export const TIMESTAMP: SchemaObject = { type: "string", format: "date-time" };
export const NULLABLE_TIMESTAMP: SchemaObject = { type: ["string", "null"], format: "date-time" };

/** A required path parameter holding an id (a UUID unless `schema` says otherwise). */
export function idParameter(name: string, description: string, schema: SchemaObject = UUID): SchemaObject {
  return { name, in: "path", required: true, description, schema };
}

/** An operation builder for one tag. */
export function operations(tag: string) {
  return (operationId: string, summary: string, rest: Omit<Operation, "operationId" | "summary" | "tags">): Operation => ({ operationId, summary, tags: [tag], ...rest });
}
