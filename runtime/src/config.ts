import { resolve } from "node:path";

/** The repository's `data/` folder (git-ignored), wherever the process was started from. */
const DEFAULT_DATA_DIR = resolve(import.meta.dirname, "../../data");

export type LogLevel = "fatal" | "error" | "warn" | "info" | "debug" | "trace" | "silent";

export interface Config {
  port: number;
  host: string;
  /** Absent: embedded PGlite under `dataDir` (`:memory:` keeps it in memory). */
  databaseUrl: string | undefined;
  dataDir: string;
  logLevel: LogLevel;
  /** postgres.js pool size; in-flight queries never exceed it. */
  dbPoolSize: number;
  /** How long a schema change waits for table locks before giving up with 423. */
  migrationLockTimeoutMs: number;
}

const LOG_LEVELS: readonly LogLevel[] = ["fatal", "error", "warn", "info", "debug", "trace", "silent"];

/** Thrown for a bad environment variable: the process prints it and exits instead of half-starting. */
export class ConfigError extends Error {}

function int(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ConfigError(`${name} must be an integer from ${min} to ${max}, got "${raw}"`);
  }
  return value;
}

/**
 * Read the configuration from the environment.
 * @example loadConfig({ PORT: "8080" }).port // 8080
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): Config {
  const logLevel = (env.LOG_LEVEL ?? "info") as LogLevel;
  if (!LOG_LEVELS.includes(logLevel)) {
    throw new ConfigError(`LOG_LEVEL must be one of ${LOG_LEVELS.join(", ")}, got "${env.LOG_LEVEL}"`);
  }
  return {
    port: int(env, "PORT", 3000, 0, 65535),
    host: env.HOST || "0.0.0.0",
    databaseUrl: env.DATABASE_URL || undefined,
    dataDir: env.DATA_DIR === ":memory:" ? ":memory:" : env.DATA_DIR ? resolve(cwd, env.DATA_DIR) : DEFAULT_DATA_DIR,
    logLevel,
    dbPoolSize: int(env, "DB_POOL_SIZE", 10, 1, 1000),
    migrationLockTimeoutMs: int(env, "MIGRATION_LOCK_TIMEOUT_MS", 5000, 10, 600_000),
  };
}
