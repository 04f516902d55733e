import { ConfigError, loadConfig } from "./config.ts";
import { DatabaseInUseError } from "./db/pglite-lock.ts";
import { createLogger } from "./logger.ts";
import { startServer } from "./server.ts";

const config = (() => {
  try {
    return loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(`Configuration error: ${error.message}`);
      process.exit(2);
    }
    throw error;
  }
})();
const logger = createLogger(config.logLevel);
const server = await startServer(config, { logger }).catch((error: unknown) => {
  if (error instanceof DatabaseInUseError) {
    console.error(error.message);
    process.exit(3);
  }
  throw error;
});
logger.info({ url: server.url, database: server.runtime.db.kind, dataDir: config.databaseUrl ? undefined : config.dataDir }, "CRM runtime listening");
console.log(`\n  CRM runtime is running at ${server.url}\n  Health: ${server.url}/api/health   Metadata: ${server.url}/api/meta/entities\n`);
const admin = server.runtime.adminBootstrap;
if (admin) {
  // Printed once, on the start that created the admin; never logged and never stored in plain text.
  console.log(admin.generatedPassword ? `  Sign in as ${admin.email} with password ${admin.generatedPassword}\n  (shown only this once: change it after signing in)\n` : `  Sign in as ${admin.email} with the password from ADMIN_PASSWORD\n`);
}

let stopping = false;
for (const signal of ["SIGTERM", "SIGINT"] as const) {
  process.on(signal, async () => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, "shutting down");
    const force = setTimeout(() => {
      logger.error("shutdown took longer than 10 s; exiting");
      process.exit(1);
    }, 10_000);
    force.unref();
    await server.close();
    logger.info("stopped");
    process.exit(0);
  });
}
