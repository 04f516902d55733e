import { Hono } from "hono";
import { compress } from "hono/compress";
import runtimePackage from "../../package.json" with { type: "json" };
import { docsPage } from "../openapi/docs-page.ts";
import { createOpenApiCache } from "../openapi/openapi-cache.ts";
import { createScalarAsset } from "../openapi/scalar-asset.ts";
import { pluginExtension } from "../openapi/plugin-paths.ts";
import { webhookExtension } from "../openapi/webhook-paths.ts";
import { notificationExtension } from "../openapi/notification-paths.ts";
import { approvalExtension } from "../openapi/approval-paths.ts";
import { workflowExtension } from "../openapi/workflow-paths.ts";
import type { EntityRegistry } from "../services/entity-registry.ts";

const SCRIPT_URL = "/api/docs/scalar.js";

/** `If-None-Match` uses the weak comparison (RFC 9110), and `compress()` weakens the ETags it compresses. */
function matches(ifNoneMatch: string | undefined, etag: string): boolean {
  const opaque = (tag: string) => tag.trim().replace(/^W\//, "");
  return ifNoneMatch !== undefined && ifNoneMatch.split(",").some((tag) => tag.trim() === "*" || opaque(tag) === opaque(etag));
}

/**
 * Mounted at `/api`: `GET /openapi.json` (live, cached per registry generation), `GET /docs` and its
 * script. `webhooks`: whether `/api/webhooks` is mounted, and so documented.
 */
export function docsRoutes(registry: EntityRegistry, options: { webhooks?: boolean; plugins?: boolean; notifications?: boolean; approvals?: boolean; workflows?: boolean } = {}) {
  const app = new Hono();
  const extensions = [
    ...(options.webhooks ? [webhookExtension()] : []),
    ...(options.plugins ? [pluginExtension()] : []),
    ...(options.notifications ? [notificationExtension()] : []),
    ...(options.approvals ? [approvalExtension()] : []),
    ...(options.workflows ? [workflowExtension()] : []),
  ];
  const documents = createOpenApiCache(registry, { title: "CRM API", version: runtimePackage.version }, extensions);
  const scalar = createScalarAsset();

  app.get("/openapi.json", compress(), (c) => {
    const { json, etag } = documents.current();
    c.header("etag", etag);
    c.header("cache-control", "no-cache");
    if (matches(c.req.header("if-none-match"), etag)) return c.body(null, 304);
    return c.body(json, 200, { "content-type": "application/json; charset=utf-8" });
  });

  app.get("/docs", (c) => c.html(docsPage(SCRIPT_URL)));

  app.get("/docs/scalar.js", async (c) => {
    const asset = await scalar();
    c.header("etag", asset.etag);
    c.header("cache-control", "public, max-age=3600");
    c.header("vary", "accept-encoding");
    if (matches(c.req.header("if-none-match"), asset.etag)) return c.body(null, 304);
    const gzip = /\bgzip\b/.test(c.req.header("accept-encoding") ?? "");
    if (gzip) c.header("content-encoding", "gzip");
    return c.body(gzip ? asset.gzipped : asset.body, 200, { "content-type": "text/javascript; charset=utf-8" });
  });

  return app;
}
