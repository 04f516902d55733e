import { createHash } from "node:crypto";
import type { EntityRegistry } from "../services/entity-registry.ts";
import { createOpenApiDocument, type OpenApiExtension } from "./create-openapi-document.ts";
import type { OpenApiInfo } from "./types.ts";

export interface ServedDocument {
  /** The serialised document. */
  json: string;
  /** A strong ETag of `json`: stable across restarts for the same definitions. */
  etag: string;
  /** The registry generation it was built from. */
  generation: number;
}

/**
 * The OpenAPI document of the registry's live definitions, built on first use and rebuilt only when
 * the registry's `generation` moved on (a schema change, here or announced by another process).
 * @example const docs = createOpenApiCache(registry, { title: "CRM API", version: "0.1.0" }); docs.current().json
 */
export function createOpenApiCache(registry: Pick<EntityRegistry, "definitions" | "generation">, info: OpenApiInfo, extensions: OpenApiExtension[] = []) {
  let cached: ServedDocument | undefined;
  return {
    current(): ServedDocument {
      const generation = registry.generation;
      if (cached?.generation === generation) return cached;
      const json = JSON.stringify(createOpenApiDocument(registry.definitions(), info, extensions));
      cached = { json, etag: `"${createHash("sha256").update(json).digest("base64url").slice(0, 27)}"`, generation };
      return cached;
    },
  };
}

export type OpenApiCache = ReturnType<typeof createOpenApiCache>;
