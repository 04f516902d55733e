import { labelText, type EntityDefinition } from "@crm/core";
import { adminExtension } from "./admin-paths.ts";
import { poolExtension } from "./pool-paths.ts";
import { authExtension } from "./auth-paths.ts";
import { historyPath, historySchemas } from "./history-paths.ts";
import { META_TAG, SYSTEM_TAG, metaPaths } from "./meta-paths.ts";
import { metaSchemas } from "./meta-schemas.ts";
import { recordPaths } from "./record-paths.ts";
import { viewExtension } from "./view-paths.ts";
import { recordSchema, writeSchema } from "./record-schemas.ts";
import { entitySchemaNames, type EntitySchemaNames } from "./schema-names.ts";
import { SECURITY_SCHEMES, SIGNED_IN, withSecurity } from "./security.ts";
import { sharedComponents } from "./shared-components.ts";
import type { OpenApiDocument, OpenApiInfo, PathItem, Schema } from "./types.ts";

const DESCRIPTION = [
  "The REST API of the CRM, generated from the live entity definitions: every entity has its record operations and schemas.",
  "Errors are `application/problem+json` (RFC 9457) with a stable `code` and `issues`, each with a JSON Pointer.",
  "Callers send an API token (`Authorization: Bearer …`) or sign in for a session cookie, whose writes also carry the `x-csrf-token` header. Everything happens within the caller's permissions: records outside their read scope are not found (404), refused actions and fields are 403; `GET /api/me/permissions` tells what the caller may do. This document is the same for every caller.",
].join("\n\n");

/** Extra sections to merge in (e.g. webhooks), so the generator stays independent of their routes. */
export interface OpenApiExtension {
  tags?: OpenApiDocument["tags"];
  paths?: Record<string, PathItem>;
  schemas?: Record<string, Schema>;
}

/**
 * The OpenAPI 3.1 document of the whole API for the given live entities. Pure: the same definitions
 * give the same document, so callers can cache it until the definitions change.
 * @example createOpenApiDocument(registry.definitions(), { title: "CRM API", version: "0.1.0" }).paths["/api/records/account"]
 */
export function createOpenApiDocument(entities: EntityDefinition[], info: OpenApiInfo, extensions: OpenApiExtension[] = []): OpenApiDocument {
  const shared = sharedComponents();
  const sections = [authExtension(), adminExtension(), poolExtension(), viewExtension(), ...extensions];
  const fixedSchemas: Record<string, Schema> = { ...shared.schemas, ...metaSchemas(), ...historySchemas(), ...Object.assign({}, ...sections.map((e) => e.schemas ?? {})) };
  const reserved = new Set(Object.keys(fixedSchemas));
  const names = new Map<string, EntitySchemaNames>(entities.map((def) => [def.key, entitySchemaNames(def.key, reserved)]));
  const namesOf = (key: string) => names.get(key);

  const tags: OpenApiDocument["tags"] = [
    { name: SYSTEM_TAG, description: "Health and this documentation." },
    { name: META_TAG, description: "Entity definitions: read, preview and apply schema changes, history, trash." },
    ...sections.flatMap((e) => e.tags ?? []),
  ];
  const schemas: Record<string, Schema> = { ...fixedSchemas };
  const paths: Record<string, PathItem> = { ...metaPaths(), ...Object.assign({}, ...sections.map((e) => e.paths ?? {})) };
  for (const def of entities) {
    const own = names.get(def.key)!;
    const tag = uniqueTag(labelText(def.pluralLabel, labelText(def.label, def.key)), def.key, tags);
    tags.push({ name: tag, ...(def.description ? { description: def.description } : {}) });
    const update = writeSchema(def, "update");
    schemas[own.record] = recordSchema(def, namesOf);
    schemas[own.create] = writeSchema(def, "create");
    schemas[own.update] = update;
    Object.assign(paths, recordPaths(def, own, tag, update), historyPath(def, tag));
  }

  return {
    openapi: "3.1.0",
    info: { description: DESCRIPTION, ...info },
    jsonSchemaDialect: "https://spec.openapis.org/oas/3.1/dialect/base",
    tags,
    security: SIGNED_IN,
    paths: withSecurity(paths),
    components: { schemas, parameters: shared.parameters, responses: shared.responses, headers: shared.headers, securitySchemes: SECURITY_SCHEMES },
  };
}

/** Labels need not be unique; tags must. */
function uniqueTag(label: string, key: string, tags: OpenApiDocument["tags"]): string {
  const taken = (name: string) => tags.some((t) => t.name === name);
  return taken(label) ? `${label} (${key})` : label;
}
