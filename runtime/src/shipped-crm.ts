import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import type { EntityDefinition, WorkflowDefinition } from "@crm/core";

const require = createRequire(import.meta.url);

/**
 * The shipped CRM's entity definitions (plain JSON in `@crm/schemas/crm`), in the load order of its
 * `index.json`. Not validated here: the metadata service validates them together when loading.
 */
export function loadShippedCrm(): EntityDefinition[] {
  const read = (file: string): unknown => JSON.parse(readFileSync(require.resolve(`@crm/schemas/crm/${file}`), "utf8"));
  const files = read("index.json") as string[];
  return files.map((file) => read(file) as EntityDefinition);
}

/** The shipped CRM's workflows (`@crm/schemas/crm/workflows`), in `index.json` order; compiled against the shipped entities by their test. */
export function loadShippedWorkflows(): WorkflowDefinition[] {
  const read = (file: string): unknown => JSON.parse(readFileSync(require.resolve(`@crm/schemas/crm/workflows/${file}`), "utf8"));
  return (read("index.json") as string[]).map((file) => read(file) as WorkflowDefinition);
}
