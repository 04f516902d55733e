/** OpenAPI 3.1 objects as plain data; only the shape the generator relies on is typed. */
export type SchemaObject = { [keyword: string]: unknown };
export type Schema = SchemaObject | boolean;

export interface Operation {
  operationId: string;
  summary: string;
  description?: string;
  tags: string[];
  parameters?: Array<SchemaObject>;
  requestBody?: SchemaObject;
  responses: Record<string, SchemaObject>;
  /** Overrides the document's `security`; `[{}]` marks an operation anyone may call. */
  security?: SecurityRequirement[];
}

/** Scheme names that must all be satisfied together (an empty object: no credentials). */
export type SecurityRequirement = Record<string, string[]>;

export type PathItem = Partial<Record<"get" | "post" | "put" | "patch" | "delete", Operation>>;

export interface OpenApiInfo {
  title: string;
  version: string;
  description?: string;
}

export interface OpenApiDocument {
  openapi: "3.1.0";
  info: OpenApiInfo;
  jsonSchemaDialect: string;
  tags: Array<{ name: string; description?: string }>;
  /** What every operation needs unless it says otherwise: one of these sets of credentials. */
  security: SecurityRequirement[];
  paths: Record<string, PathItem>;
  components: {
    schemas: Record<string, Schema>;
    parameters: Record<string, SchemaObject>;
    responses: Record<string, SchemaObject>;
    headers: Record<string, SchemaObject>;
    securitySchemes: Record<string, SchemaObject>;
  };
}

/** `{ $ref }` to a component of the given kind. */
export function ref(kind: "schemas" | "parameters" | "responses" | "headers", name: string): SchemaObject {
  return { $ref: `#/components/${kind}/${name}` };
}
