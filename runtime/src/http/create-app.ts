import { Hono } from "hono";
import { requestId } from "hono/request-id";
import { invalidateOnAdminWrites, type AccessService } from "../access/index.ts";
import { authenticate } from "../auth/authenticate.ts";
import type { Database } from "../db/database.ts";
import type { Logger } from "../logger.ts";
import type { EntityRegistry } from "../services/entity-registry.ts";
import type { MetadataService } from "../services/metadata-service.ts";
import { createRecordReads } from "../services/record-reads.ts";
import { createRecordWrites, type RecordEvents } from "../services/record-writes.ts";
import type { Webhooks } from "../webhooks/create-webhooks.ts";
import { accessRoutes } from "./access-routes.ts";
import { adminRoutes } from "./admin/admin-routes.ts";
import { authRoutes, LOGIN_PATH } from "./auth-routes.ts";
import { docsRoutes } from "./docs-routes.ts";
import { historyRoutes } from "./history-routes.ts";
import { metaRoutes } from "./meta-routes.ts";
import { callerResolver, recordRoutes } from "./record-routes.ts";
import { poolRoutes } from "./pool-routes.ts";
import { notificationRoutes } from "./notification-routes.ts";
import { approvalRoutes } from "./approval-routes.ts";
import type { Approvals } from "../approvals/create-approvals.ts";
import type { Notifications } from "../notifications/create-notifications.ts";
import { createPoolClaims } from "../services/pool-claims.ts";
import { createErrorHandler, problemResponse } from "./problem.ts";
import { refuseNulInUrl } from "./read-json.ts";
import { serveStudio } from "./studio-routes.ts";
import { webhookRoutes } from "./webhook-routes.ts";
import { workflowRoutes } from "./workflow-routes.ts";
import { recordRunRoutes } from "./record-run-routes.ts";
import { viewRoutes } from "./view-routes.ts";
import { createSavedViews } from "../views/create-saved-views.ts";
import { workflowTriggerRoutes } from "./workflow-trigger-routes.ts";
import type { Workflows } from "../workflows/create-workflows.ts";
import type { DryRun } from "../workflows/dry-run.ts";
import type { Plugins } from "../plugins/create-plugins.ts";
import type { RecordHooks } from "../plugins/record-hooks.ts";
import { pluginActionRoutes, pluginAdminRoutes } from "./plugin-routes.ts";

export interface AppDeps {
  db: Database;
  logger: Logger;
  metadata: MetadataService;
  registry: EntityRegistry;
  access: AccessService;
  events?: RecordEvents;
  /** Mounts `/api/webhooks`. */
  webhooks?: Webhooks;
  /** Mounts `/api/admin/workflows`, `/api/admin/workflow-runs`, manual runs and inbound webhooks (`/api/workflows/…`). */
  workflows?: Workflows;
  /** `POST /api/admin/workflows/{id}/dry-run` (with `workflows`). */
  workflowDryRun?: DryRun;
  /** Mounts `/api/admin/plugins` and the record actions. */
  plugins?: Plugins;
  /** Plugin hooks run by record writes. */
  hooks?: RecordHooks;
  /** Mounts `/api/me/notifications` and `/api/admin/emails`. */
  notifications?: Notifications;
  /** Mounts `/api/me/approvals`, `/api/approvals/{id}/decision` and a record's approvals. */
  approvals?: Approvals;
  /** Serve the built studio from this folder at `/` (outside `/api`). */
  studio?: { root: string };
  /** Behind a trusted reverse proxy (Secure cookies, client addresses); default false. */
  auth?: { trustProxy: boolean };
}

/** The HTTP application, testable through `app.request()` without a socket. */
export function createApp(deps: AppDeps) {
  const app = new Hono();
  app.use(requestId());
  app.use(async function logRequests(c, next) {
    const started = performance.now();
    // PostgreSQL text cannot hold NUL: refused for every route before anything reads the URL.
    refuseNulInUrl(c.req.url);
    await next();
    if (!deps.logger.isLevelEnabled("info")) return;
    deps.logger.info(
      { requestId: c.get("requestId"), method: c.req.method, path: c.req.path, status: c.res.status, ms: Math.round(performance.now() - started) },
      "request",
    );
  });
  app.onError(createErrorHandler(deps.logger));
  app.notFound((c) =>
    problemResponse(c, { type: "about:blank", title: "Not found", status: 404, code: "ROUTE_NOT_FOUND", detail: `No route for ${c.req.method} ${c.req.path}.`, instance: c.req.path }),
  );

  // Identifies the caller on every API request (refusing only bad tokens and CSRF failures).
  const trustProxy = deps.auth?.trustProxy ?? false;
  app.use("/api/*", authenticate({ db: deps.db, trustProxy, csrfExempt: [LOGIN_PATH] }));

  app.get("/api/health", async (c) => {
    await deps.db.query("select 1");
    return c.json({ status: "ok", database: deps.db.kind });
  });
  app.route("/api", authRoutes({ db: deps.db, trustProxy }));
  // Caches of who may do what are dropped after every successful admin change.
  app.use("/api/admin/*", invalidateOnAdminWrites(deps.access));
  if (deps.plugins) app.route("/api/admin/plugins", pluginAdminRoutes({ db: deps.db, plugins: deps.plugins, callerOf: callerResolver(deps.access) }));
  if (deps.workflows) app.route("/api/admin", workflowRoutes({ db: deps.db, workflows: deps.workflows, dryRun: deps.workflowDryRun }));
  app.route("/api/admin", adminRoutes(deps.db));
  app.route("/api", accessRoutes(deps));
  if (deps.notifications) app.route("/api", notificationRoutes({ db: deps.db, notifications: deps.notifications }));
  app.route("/api/meta", metaRoutes(deps.metadata, deps.db));
  app.route("/api", docsRoutes(deps.registry, { webhooks: Boolean(deps.webhooks), plugins: Boolean(deps.plugins), notifications: Boolean(deps.notifications), approvals: Boolean(deps.approvals), workflows: Boolean(deps.workflows) }));
  if (deps.webhooks) app.route("/api/webhooks", webhookRoutes({ ...deps, webhooks: deps.webhooks }));
  const callerOf = callerResolver(deps.access);
  const reads = createRecordReads(deps);
  app.route("/api/records", historyRoutes({ db: deps.db, registry: deps.registry, authorizeRead: async (c, key, id) => reads.authorizeHistory(key, id, await callerOf(c)) }));
  const writes = createRecordWrites(deps);
  if (deps.plugins) app.route("/api/records", pluginActionRoutes({ plugins: deps.plugins, reads, writes, callerOf }));
  app.route("/api/records", poolRoutes(createPoolClaims(deps), callerOf));
  if (deps.approvals) app.route("/api", approvalRoutes({ approvals: deps.approvals, reads, callerOf }));
  if (deps.workflows) app.route("/api/records", recordRunRoutes({ db: deps.db, store: deps.workflows.store, reads, callerOf }));
  if (deps.workflows) app.route("/api", workflowTriggerRoutes({ workflows: deps.workflows, callerOf }));
  app.route("/api/records", recordRoutes(reads, writes, callerOf));
  app.route("/api/views", viewRoutes(createSavedViews(deps), callerOf));
  if (deps.studio) app.use("*", serveStudio(deps.studio));
  return app;
}
