import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

const require = createRequire(import.meta.url);

/** The shipped CRM's entity definitions (plain JSON in `@crm/schemas/crm`), in load order. */
export async function loadShippedCrm(): Promise<unknown[]> {
  const indexPath = require.resolve("@crm/schemas/crm/index.json");
  const index = JSON.parse(await readFile(indexPath, "utf8")) as unknown;
  const files = Array.isArray(index) ? index : (index as { entities?: unknown; files?: unknown }).entities ?? (index as { files?: unknown }).files;
  if (!Array.isArray(files)) throw new Error(`${indexPath} must list the definition files in load order`);
  return Promise.all(files.map(async (file: string) => JSON.parse(await readFile(join(dirname(indexPath), file), "utf8")) as unknown));
}
