// Load the deterministic demo data set into the configured database (same env as `start`).
// Run: `npx pnpm@10 demo` (optionally DEMO_SCALE=2, DEMO_SEED=7). Loading twice adds nothing.
import { createDatabase, loadConfig, createMetadataService } from "@crm/runtime";
import { insertRecords } from "../src/db/insert-records.ts";
import { assignDemoOwners, DEMO_USERS } from "../src/demo/demo-org.ts";
import { generateDemoData } from "../src/demo/generate-demo-data.ts";
import { loadDemoOrg } from "../src/demo/load-demo-org.ts";

const config = loadConfig();
const db = await createDatabase({ url: config.databaseUrl, dataDir: config.databaseUrl ? undefined : config.dataDir, poolSize: config.dbPoolSize }).catch((error: Error) => {
  console.error(error.message);
  process.exit(3);
});
try {
  const metadata = createMetadataService(db, { lockTimeoutMs: config.migrationLockTimeoutMs });
  const entities = new Map((await metadata.list()).map((e) => [e.key, e.definition]));
  if (entities.size === 0) throw new Error("No entities yet: start the runtime once (it loads the shipped CRM), then load the demo data.");
  const data = generateDemoData({ seed: Number(process.env.DEMO_SEED ?? 1), scale: Number(process.env.DEMO_SCALE ?? 1) });
  assignDemoOwners(data);
  const password = process.env.DEMO_PASSWORD ?? "demo-password";
  const total = data.reduce((n, d) => n + d.records.length, 0);
  let done = 0;
  let users = 0;
  await db.transaction(async (tx) => {
    users = await loadDemoOrg(tx, password);
    for (const { entity, records } of data) {
      const definition = entities.get(entity);
      if (!definition) {
        console.log(`  skipped ${entity}: the entity no longer exists`);
        done += records.length;
        continue;
      }
      const inserted = await insertRecords(tx, definition, records);
      done += records.length;
      console.log(`  [${String(Math.round((done / total) * 100)).padStart(3)}%] ${entity}: ${inserted} of ${records.length} records inserted`);
    }
  });
  console.log(`Demo data loaded (${total} records in ${data.length} entities).`);
  if (users > 0) {
    console.log(`Demo users (password "${password}", set DEMO_PASSWORD to choose another):`);
    for (const user of DEMO_USERS) console.log(`  ${user.email.padEnd(26)} ${user.role}`);
  }
} finally {
  await db.close();
}
