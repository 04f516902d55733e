import { resolve } from "node:path";
import type { EmailConfig } from "./notifications/create-email-dispatcher.ts";
import type { PluginRetention } from "./plugins/prune-plugin-tables.ts";
import type { Retention } from "./services/housekeeping.ts";

/** The repository's `data/` folder (git-ignored), wherever the process was started from. */
const DEFAULT_DATA_DIR = resolve(import.meta.dirname, "../../data");
/** Where `vite build` puts the studio (git-ignored). */
const DEFAULT_STUDIO_DIR = resolve(import.meta.dirname, "../../studio/dist");

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
  webhooks: WebhookConfig;
  workflows: WorkflowConfig;
  auth: AuthConfig;
  email: EmailConfig;
  /** How often overdue approval requests get their timeout policy applied. */
  approvalPollMs: number;
  /** The built studio served at `/`; empty: not served. */
  studioDir: string;
  /** How much plugin history is kept (invocations by age and count, stored versions by count). */
  pluginRetention: PluginRetention;
  /** Nice value of the plugin-host process's threads (0 to 19). */
  pluginHostNice: number;
  /** How long finished outbox and replay rows are kept (idempotency keys, deliveries, emails, read notifications). */
  retention: Retention;
}

export interface WorkflowConfig {
  /** How often the trigger outbox is polled (a commit in this process wakes it at once). */
  pollMs: number;
  /** How often the job queue looks for due runs (pg-boss: at least 500 ms). */
  jobPollMs: number;
  /** Runs one process advances at once. */
  concurrency: number;
  /** Attempts of a step that declares no `retry`. */
  maxAttempts: number;
  /** First retry delay of such a step; doubles per attempt. */
  backoffMs: number;
  /** A process silent this long (crashed) loses its jobs to the others. */
  heartbeatSeconds: number;
  /** Hosts HTTP request steps may call (`api.example.com`, `*.example.com`); none: every call is refused. */
  httpAllowedHosts: string[];
  /** Key of the HMAC signature of signed HTTP request steps. */
  httpSecret: string | undefined;
  /** Finished runs (and their step executions) older than this many days are deleted, hourly. */
  runRetentionDays: number;
}

export interface AuthConfig {
  /** Behind a reverse proxy: believe its `x-forwarded-proto` (Secure cookies) and `x-forwarded-for` (client address). */
  trustProxy: boolean;
  /** The first admin created on an empty database. */
  adminEmail: string;
  /** Absent: a password is generated and printed once. */
  adminPassword: string | undefined;
}

export interface WebhookConfig {
  /** Deliver to loopback, private, link-local… addresses too (development and tests only). */
  allowPrivateTargets: boolean;
  /** How often the dispatcher looks for due deliveries when nothing woke it. */
  pollMs: number;
  /** One delivery attempt's time limit. */
  timeoutMs: number;
  /** Attempts before a delivery is marked `dead`. */
  maxAttempts: number;
  /** First retry delay; each next one is three times longer (with jitter), capped at 360 times this. */
  backoffMs: number;
  /** Deliveries in flight at once per process. */
  concurrency: number;
}

const LOG_LEVELS: readonly LogLevel[] = ["fatal", "error", "warn", "info", "debug", "trace", "silent"];

/** Thrown for a bad environment variable: the process prints it and exits instead of half-starting. */
export class ConfigError extends Error {}

function bool(env: NodeJS.ProcessEnv, name: string, fallback: boolean): boolean {
  const raw = env[name];
  if (raw === undefined || raw === "") return fallback;
  if (raw === "true" || raw === "1") return true;
  if (raw === "false" || raw === "0") return false;
  throw new ConfigError(`${name} must be true or false, got "${raw}"`);
}

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
    webhooks: {
      allowPrivateTargets: bool(env, "WEBHOOK_ALLOW_PRIVATE_TARGETS", false),
      pollMs: int(env, "WEBHOOK_POLL_MS", 1000, 10, 3_600_000),
      timeoutMs: int(env, "WEBHOOK_TIMEOUT_MS", 10_000, 100, 300_000),
      maxAttempts: int(env, "WEBHOOK_MAX_ATTEMPTS", 8, 1, 100),
      backoffMs: int(env, "WEBHOOK_BACKOFF_MS", 10_000, 1, 86_400_000),
      concurrency: int(env, "WEBHOOK_CONCURRENCY", 10, 1, 1000),
    },
    approvalPollMs: int(env, "APPROVAL_POLL_MS", 30_000, 10, 3_600_000),
    email: {
      smtpUrl: smtpUrl(env),
      from: env.MAIL_FROM || "CRM <no-reply@localhost>",
      pollMs: int(env, "EMAIL_POLL_MS", 2000, 10, 3_600_000),
      maxAttempts: int(env, "EMAIL_MAX_ATTEMPTS", 6, 1, 100),
      backoffMs: int(env, "EMAIL_BACKOFF_MS", 30_000, 1, 86_400_000),
    },
    studioDir: env.STUDIO_DIR === undefined ? DEFAULT_STUDIO_DIR : env.STUDIO_DIR && resolve(cwd, env.STUDIO_DIR),
    pluginHostNice: int(env, "PLUGIN_HOST_NICE", 10, 0, 19),
    retention: {
      idempotencyKeyHours: int(env, "IDEMPOTENCY_KEY_RETENTION_HOURS", 24, 1, 87_600),
      webhookDeliveryDays: int(env, "WEBHOOK_DELIVERY_RETENTION_DAYS", 30, 1, 3650),
      emailDays: int(env, "EMAIL_RETENTION_DAYS", 30, 1, 3650),
      readNotificationDays: int(env, "READ_NOTIFICATION_RETENTION_DAYS", 90, 1, 3650),
    },
    pluginRetention: {
      invocationDays: int(env, "PLUGIN_INVOCATION_RETENTION_DAYS", 30, 1, 3650),
      invocationsPerPlugin: int(env, "PLUGIN_INVOCATIONS_PER_PLUGIN", 10_000, 10, 100_000_000),
      versionsPerPlugin: int(env, "PLUGIN_VERSIONS_KEPT", 10, 1, 1000),
    },
    workflows: {
      pollMs: int(env, "WORKFLOW_POLL_MS", 1000, 10, 3_600_000),
      jobPollMs: int(env, "WORKFLOW_JOB_POLL_MS", 500, 500, 60_000),
      concurrency: int(env, "WORKFLOW_CONCURRENCY", 4, 1, 100),
      maxAttempts: int(env, "WORKFLOW_MAX_ATTEMPTS", 3, 1, 10),
      backoffMs: int(env, "WORKFLOW_BACKOFF_MS", 1000, 10, 3_600_000),
      heartbeatSeconds: int(env, "WORKFLOW_HEARTBEAT_SECONDS", 30, 10, 3600),
      httpAllowedHosts: (env.WORKFLOW_HTTP_ALLOWED_HOSTS ?? "").split(",").map((h) => h.trim().toLowerCase()).filter(Boolean),
      httpSecret: env.WORKFLOW_HTTP_SECRET || undefined,
      runRetentionDays: int(env, "WORKFLOW_RUN_RETENTION_DAYS", 90, 1, 36_500),
    },
    auth: {
      trustProxy: bool(env, "TRUST_PROXY", false),
      adminEmail: adminEmail(env),
      adminPassword: adminPassword(env),
    },
  };
}

function smtpUrl(env: NodeJS.ProcessEnv): string | undefined {
  const raw = env.SMTP_URL;
  if (raw === undefined || raw === "") return undefined;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError("SMTP_URL must be a URL like smtp://user:password@mail.example.com:587");
  }
  if (url.protocol !== "smtp:" && url.protocol !== "smtps:") throw new ConfigError(`SMTP_URL must start with smtp:// or smtps://, got "${url.protocol}"`);
  return raw;
}

function adminEmail(env: NodeJS.ProcessEnv): string {
  const email = (env.ADMIN_EMAIL || "admin@localhost").trim();
  if (!/^[^\s@]+@[^\s@]+$/.test(email) || email.length > 254) throw new ConfigError(`ADMIN_EMAIL must be an email address, got "${env.ADMIN_EMAIL}"`);
  return email;
}

function adminPassword(env: NodeJS.ProcessEnv): string | undefined {
  const password = env.ADMIN_PASSWORD;
  if (password === undefined || password === "") return undefined;
  if (password.length < 10 || password.length > 256) throw new ConfigError("ADMIN_PASSWORD must be 10 to 256 characters long");
  return password;
}
