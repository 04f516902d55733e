import { readdir, readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import type { EntityDefinition } from "@crm/core";

/**
 * Entity definitions from files: a folder of `*.json` definitions (as schemas/crm, whose
 * index.json is a list of file names and is skipped) or single files, each a definition or a list.
 * @example await loadDefinitionFiles(["schemas/crm"]) // [{ key: "product", … }, …]
 */
export async function loadDefinitionFiles(paths: readonly string[]): Promise<EntityDefinition[]> {
  const found: EntityDefinition[] = [];
  for (const path of paths) {
    const files = (await stat(path)).isDirectory() ? (await readdir(path)).filter((f) => f.endsWith(".json")).sort().map((f) => join(path, f)) : [path];
    for (const file of files) {
      const data: unknown = JSON.parse(await readFile(file, "utf8"));
      for (const item of Array.isArray(data) ? data : [data]) if (isDefinition(item)) found.push(item);
    }
  }
  return found;
}

/**
 * The live schema's definitions (`GET /api/meta/entities`, an administrator's token).
 * @example await fetchDefinitions("http://localhost:3000", token)
 */
export async function fetchDefinitions(url: string, token: string): Promise<EntityDefinition[]> {
  const response = await fetch(new URL("/api/meta/entities", url), { headers: { authorization: `Bearer ${token}`, accept: "application/json" } });
  if (!response.ok) throw new Error(`GET /api/meta/entities answered ${response.status}: ${(await response.text()).slice(0, 500)}`);
  const body = (await response.json()) as { items: Array<{ definition: EntityDefinition }> };
  return body.items.map((item) => item.definition);
}

function isDefinition(value: unknown): value is EntityDefinition {
  return typeof value === "object" && value !== null && typeof (value as EntityDefinition).key === "string" && Array.isArray((value as EntityDefinition).fields);
}
