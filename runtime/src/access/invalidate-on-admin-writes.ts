import type { MiddlewareHandler } from "hono";
import type { AccessService } from "./access-service.ts";

const UNSAFE = new Set(["POST", "PUT", "PATCH", "DELETE"]);

/**
 * After every successful write under `/api/admin` (users, teams, departments, roles, tokens), tell the
 * access service that access data changed, so the next request of anyone sees it. Runs after the
 * write's transaction committed; mount it in front of the admin routes.
 */
export function invalidateOnAdminWrites(access: AccessService): MiddlewareHandler {
  return async function invalidateOnAdminWrites(c, next) {
    await next();
    if (UNSAFE.has(c.req.method) && c.res.status < 400 && c.req.path.startsWith("/api/admin/")) await access.changed();
  };
}
