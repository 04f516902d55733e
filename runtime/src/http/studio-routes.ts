import { readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import { serveStatic } from "@hono/node-server/serve-static";
import type { MiddlewareHandler } from "hono";

const NOT_BUILT = `<!doctype html><meta charset="utf-8"><title>CRM</title>
<p>The studio is not built yet. Run <code>npx -y pnpm@10 start</code> (it builds the studio when needed) or
<code>npx -y pnpm@10 --filter @crm/studio build</code>. The API is at <a href="/api/docs">/api/docs</a>.</p>`;

/** A client route of the single-page app: no file extension in its last segment. */
function isClientRoute(path: string): boolean {
  const last = path.slice(path.lastIndexOf("/") + 1);
  return !last.includes(".");
}

/**
 * Serves the built studio (`root`, normally `studio/dist`) for every GET outside `/api`: its files,
 * hashed assets with a year's cache, and `index.html` for client routes (`/records/account/…`), so a
 * reload or a shared link opens the app there. `/api/*` is never shadowed: it passes through.
 */
export function serveStudio(options: { root: string }): MiddlewareHandler {
  const files = serveStatic({
    root: options.root,
    onFound: (path, c) => {
      // Vite names assets by content hash: they never change under one name.
      c.header("cache-control", path.includes("/assets/") ? "public, max-age=31536000, immutable" : "no-cache");
    },
  });
  const indexFile = join(options.root, "index.html");
  return async function studio(c, next) {
    const path = c.req.path;
    if ((c.req.method !== "GET" && c.req.method !== "HEAD") || path === "/api" || path.startsWith("/api/")) return next();
    let fallthrough = false;
    const served = await files(c, async () => {
      fallthrough = true;
    });
    if (!fallthrough) return served;
    if (!isClientRoute(path)) return next();
    const built = await stat(indexFile).catch(() => undefined);
    c.header("cache-control", "no-cache");
    if (!built) return c.html(NOT_BUILT, 503);
    return c.html(await readFile(indexFile, "utf8"));
  };
}
