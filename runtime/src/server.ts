import { serve, type ServerType } from "@hono/node-server";
import { createAccessService, type AccessService } from "./access/index.ts";
import { bootstrapAdmin, type AdminBootstrap } from "./auth/bootstrap-admin.ts";
import type { Config } from "./config.ts";
import { createDatabase } from "./db/create-database.ts";
import type { Database } from "./db/database.ts";
import { upgradeEntityTables } from "./db/upgrade-entity-tables.ts";
import { createApp } from "./http/create-app.ts";
import { createLogger, type Logger } from "./logger.ts";
import { createEntityRegistry, type EntityRegistry } from "./services/entity-registry.ts";
import { createMetadataService, METADATA_CHANNEL, type MetadataService } from "./services/metadata-service.ts";
import { loadShippedCrm } from "./shipped-crm.ts";
import { createWebhooks, type Webhooks } from "./webhooks/create-webhooks.ts";
import { createNotifications, type Notifications } from "./notifications/create-notifications.ts";
import { createEmailDispatcher, type EmailDispatcher } from "./notifications/create-email-dispatcher.ts";
import { createApprovals, type Approvals } from "./approvals/create-approvals.ts";
import { createDrainLoop } from "./services/create-drain-loop.ts";
import { createHousekeeping } from "./services/housekeeping.ts";
import { createPluginRuntime, type PluginRuntime } from "./plugins/create-plugin-runtime.ts";
import { createWorkflows, type Workflows } from "./workflows/create-workflows.ts";
import { defaultExecutors } from "./workflows/executors/default-executors.ts";
import { runtimeExecutors } from "./workflows/executors/runtime-executors.ts";
import { createDryRun } from "./workflows/dry-run.ts";
import type { EffectRecorder } from "./workflows/effect-recorder.ts";
import type { JobQueue } from "./workflows/job-queue.ts";
import type { Clock } from "./workflows/run-engine.ts";
import { fanOutEvents } from "./workflows/workflow-events.ts";
import { createGuardedFetch } from "./webhooks/create-guarded-fetch.ts";

export interface Runtime {
  app: ReturnType<typeof createApp>;
  db: Database;
  logger: Logger;
  metadata: MetadataService;
  registry: EntityRegistry;
  /** Who may do what: callers' roles, teams and departments, cached. */
  access: AccessService;
  /** Outbox (`enqueue` in a write's transaction, `notify` after its commit) and the delivery loop. */
  webhooks: Webhooks;
  /** In-app notifications and the email outbox (sent by `email`, or only recorded without SMTP). */
  notifications: Notifications;
  email: EmailDispatcher;
  /** Approval requests, and the loop applying their deadlines. */
  approvals: Approvals;
  approvalDeadlines: ReturnType<typeof createDrainLoop>;
  /** Deletes finished outbox and replay rows past their retention, hourly. */
  housekeeping: ReturnType<typeof createHousekeeping>;
  /** Installed plugins, their host process, record hooks and the after-hook outbox. */
  plugins: PluginRuntime;
  /** Workflow definitions, trigger capture, the run engine on the job queue, run history. */
  workflows: Workflows;
  /** Set when this start created the first admin (empty database): the credentials to show once. */
  adminBootstrap: AdminBootstrap | undefined;
  close(): Promise<void>;
}

/** What the offline workflow harness swaps in: the engine's clock, its job queue, and a recorder of step effects (HTTP steps then send nothing). */
export interface WorkflowTestingOptions {
  clock?: Clock;
  jobs?: JobQueue;
  recorder?: EffectRecorder;
}

/** Wire the runtime together on an open database; loads the shipped CRM into an empty one. */
export async function createRuntime(config: Config, options: { logger?: Logger; db?: Database; seed?: boolean; workflows?: WorkflowTestingOptions } = {}): Promise<Runtime> {
  const logger = options.logger ?? createLogger(config.logLevel);
  const db =
    options.db ??
    (await createDatabase({ url: config.databaseUrl, dataDir: config.databaseUrl || config.dataDir === ":memory:" ? undefined : config.dataDir, poolSize: config.dbPoolSize }));
  const registry = createEntityRegistry(db);
  const metadata = createMetadataService(db, { lockTimeoutMs: config.migrationLockTimeoutMs, onChange: () => registry.reload(), logger });
  if ((options.seed ?? true) && (await metadata.isEmpty())) {
    const created = await metadata.createMany(loadShippedCrm());
    logger.info({ entities: created.map((c) => c.entity.key) }, "loaded the shipped CRM definitions into the empty database");
  }
  await registry.reload();
  const upgraded = await upgradeEntityTables(db, registry.definitions());
  if (upgraded.length) logger.info({ tables: upgraded }, "added the ownerId column to entity tables from an older version");
  const adminBootstrap = await bootstrapAdmin(db, { email: config.auth.adminEmail, password: config.auth.adminPassword });
  if (adminBootstrap) logger.info({ email: adminBootstrap.email }, "created the first admin user");
  // Another process changed the schema: reload so this one serves it too, without a restart.
  await db.listen(METADATA_CHANNEL, () => {
    registry.reload().catch((error: unknown) => logger.error({ err: error }, "reloading metadata failed"));
  });
  const access = await createAccessService({ db });
  const webhooks = createWebhooks({ db, logger, config: config.webhooks });
  const notifications = createNotifications({ db, emailMode: config.email.smtpUrl ? "smtp" : "record" });
  const approvals = createApprovals({ db, notifications });
  // Workflow HTTP steps go through the webhooks' SSRF guard (private targets only where webhooks may reach them).
  const outbound = createGuardedFetch({ allowPrivateTargets: config.webhooks.allowPrivateTargets });
  const { recorder, clock, jobs } = options.workflows ?? {};
  const http = { allowedHosts: config.workflows.httpAllowedHosts, secret: config.workflows.httpSecret };
  // Plugin actions need the plugin runtime, which needs the workflows' record events: it is read per step.
  let pluginRuntime: PluginRuntime | undefined;
  const executors = {
    ...defaultExecutors(),
    ...runtimeExecutors({
      notifications: recorder ? recorder.notifications(notifications) : notifications,
      approvals: recorder ? recorder.approvals(approvals) : approvals,
      request: recorder?.request ?? outbound.request,
      http,
      plugins: () => pluginRuntime?.plugins,
    }),
  };
  const workflows = await createWorkflows({
    db,
    logger,
    registry,
    access,
    config: config.workflows,
    otherEvents: recorder ? fanOutEvents([webhooks, recorder.events]) : webhooks,
    executors: recorder ? recorder.wrap(executors) : executors,
    ...(clock ? { clock } : {}),
    ...(jobs ? { jobs } : {}),
    // Cancelling a run withdraws its pending approval requests, in the cancelling transaction.
    onRunCancelled: (tx, runId) => approvals.cancelForRun(tx, runId),
  });
  // A decision moves its waiting run on: the job commits with the decision.
  approvals.onDecision(async (tx, request) => {
    if (request.runId) await workflows.jobs.send(request.runId, { tx });
  });
  // Every write announces its changes to webhooks and workflows alike, in its own transaction.
  const events = workflows.events;
  const plugins = await createPluginRuntime({ db, logger, registry, access, events, retention: config.pluginRetention, hostNice: config.pluginHostNice });
  pluginRuntime = plugins;
  const dryRun = createDryRun({ db, logger, registry, access, store: workflows.store, notifications, approvals, http });
  const email = createEmailDispatcher({ db, logger, config: config.email });
  const housekeeping = createHousekeeping({ db, logger, retention: config.retention });
  const approvalDeadlines = createDrainLoop({ drainOnce: async () => (await approvals.expireDue(new Date())) >= 100, pollMs: config.approvalPollMs, logger, what: "applying approval deadlines" });
  const app = createApp({ db, logger, metadata, registry, access, events, webhooks, workflows, workflowDryRun: dryRun, plugins: plugins.plugins, hooks: plugins.hooks, notifications, approvals, auth: { trustProxy: config.auth.trustProxy }, ...(config.studioDir ? { studio: { root: config.studioDir } } : {}) });
  const close = async () => {
    // Before the database closes: the attempts in flight still record their results.
    await workflows.close();
    await outbound.close();
    await webhooks.dispatcher.stop();
    await email.stop();
    await approvalDeadlines.stop();
    await housekeeping.stop();
    await plugins.close();
    await metadata.idle();
    await db.close();
  };
  return { app, db, logger, metadata, registry, access, webhooks, notifications, email, approvals, approvalDeadlines, housekeeping, plugins, workflows, adminBootstrap, close };
}

/** Start serving over HTTP. Resolves once listening. */
export async function startServer(config: Config, options: { logger?: Logger; seed?: boolean; workflows?: WorkflowTestingOptions } = {}) {
  const runtime = await createRuntime(config, options);
  const server = await new Promise<ServerType>((resolve) => {
    const s = serve({ fetch: runtime.app.fetch, port: config.port, hostname: config.host }, () => resolve(s));
  });
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : config.port;
  runtime.webhooks.dispatcher.start();
  runtime.email.start();
  runtime.approvalDeadlines.start();
  runtime.housekeeping.start();
  runtime.plugins.start();
  await runtime.workflows.start();
  const url = `http://localhost:${port}`;
  return {
    runtime,
    url,
    port,
    /** Stop accepting connections, let in-flight requests finish, then close the database. */
    async close() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await runtime.close();
    },
  };
}
