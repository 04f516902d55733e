export { loadConfig, type Config } from "./config.ts";
export { createLogger, type Logger } from "./logger.ts";
export { createDatabase, type DatabaseOptions } from "./db/create-database.ts";
export type { Database, Queryable } from "./db/database.ts";
export { createRuntime, startServer, type Runtime } from "./server.ts";
export { createApp } from "./http/create-app.ts";
export { createMetadataService, type MetadataService } from "./services/metadata-service.ts";
export { loadShippedCrm } from "./shipped-crm.ts";
