// Schema changes must not rewrite large tables: adding, renaming and removing a field on a table of
// 200,000 rows should cost about what it costs on an empty table. Baseline: the same change on an
// empty table, measured in this run. A type change (which must rewrite) is shown for contrast.
import type { EntityDefinition, FieldDefinition } from "@crm/core";
import { createRuntime, loadConfig } from "@crm/runtime";
import { withScratchDatabase } from "./scratch-database.ts";

const ROWS = 200_000;
const TARGET = 3;

function field(id: string, key: string, type: FieldDefinition["type"] = "text"): FieldDefinition {
  return { id, key, type, label: { en: key } } as FieldDefinition;
}

async function time(fn: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await fn();
  return performance.now() - started;
}

export function run(): Promise<boolean> {
  return withScratchDatabase(measureSchemaChanges);
}

async function measureSchemaChanges(databaseUrl: string | undefined): Promise<boolean> {
  console.log(`database: ${databaseUrl ? "PostgreSQL" : "PGlite"}`);
  const config = loadConfig({ DATA_DIR: ":memory:", LOG_LEVEL: "silent", ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}) });
  const runtime = await createRuntime(config, { seed: false });
  const { metadata, db } = runtime;
  try {
    const measure = async (key: string) => {
      const base: EntityDefinition = { id: `bench-${key.toLowerCase()}`, key, label: { en: key }, fields: [field(`bench-${key.toLowerCase()}-name`, "name"), field(`bench-${key.toLowerCase()}-qty`, "qty", "integer")] };
      await metadata.create({ definition: base });
      return key;
    };
    const empty = await measure("emptyTable");
    const large = await measure("largeTable");
    await db.query(`insert into data."largeTable" ("name", "qty") select 'row ' || g, g from generate_series(1, ${ROWS}) g`);

    const changes = async (key: string) => {
      const results: Record<string, number> = {};
      const background: Record<string, number> = {};
      let current = await metadata.get(key);
      const apply = async (name: string, fields: FieldDefinition[], confirm: boolean) => {
        const request = { definition: { ...current.definition, fields }, baseVersion: current.version };
        const preview = confirm ? await metadata.preview(key, request) : undefined;
        results[name] = await time(() => metadata.update(key, { ...request, confirm: preview?.requiresConfirmation }));
        // The search index of a changed set of text fields is rebuilt afterwards, concurrently; not part of the change.
        background[name] = await time(() => metadata.idle());
        current = await metadata.get(key);
      };
      const [name, qty] = current.definition.fields as [FieldDefinition, FieldDefinition];
      await apply("add field", [name, qty, field(`bench-${key.toLowerCase()}-extra`, "extra")], false);
      await apply("rename field", [name, qty, field(`bench-${key.toLowerCase()}-extra`, "renamed")], false);
      await apply("remove field", [name, qty], false);
      await apply("type change (rewrites)", [name, { ...qty, type: "decimal", precision: 18, scale: 2 } as FieldDefinition], true);
      backgrounds.push(background);
      return results;
    };
    const backgrounds: Array<Record<string, number>> = [];
    const baseline = await changes(empty);
    const measured = await changes(large);
    let ok = true;
    for (const name of Object.keys(baseline)) {
      const ratio = measured[name]! / Math.max(baseline[name]!, 1);
      const checked = !name.includes("rewrites");
      const pass = !checked || ratio <= TARGET;
      ok &&= pass;
      console.log(
        `${name.padEnd(24)} empty ${baseline[name]!.toFixed(1).padStart(8)} ms   ${ROWS} rows ${measured[name]!.toFixed(1).padStart(8)} ms   ratio ${ratio.toFixed(2).padStart(7)}x` +
          (checked ? `   target <= ${TARGET}x ${pass ? "ok" : "MISSED"}` : "   (for contrast)"),
      );
    }
    const rebuilt = backgrounds[1] ?? {};
    console.log(`search index rebuilt in the background (${ROWS} rows): ${Object.entries(rebuilt).map(([n, ms]) => `${n} ${ms.toFixed(0)} ms`).join(", ")}`);
    return ok;
  } finally {
    await runtime.close();
  }
}
