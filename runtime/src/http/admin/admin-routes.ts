import { Hono } from "hono";
import { requireAdmin } from "../../auth/guards.ts";
import type { Database } from "../../db/database.ts";
import { auditRoutes } from "./audit-routes.ts";
import { departmentRoutes } from "./department-routes.ts";
import { roleRoutes } from "./role-routes.ts";
import { sessionRoutes } from "./session-routes.ts";
import { teamRoutes } from "./team-routes.ts";
import { tokenRoutes } from "./token-routes.ts";
import { userRoutes } from "./user-routes.ts";

/** `/api/admin`: users, departments, teams, roles, sessions, tokens and the audit log; administrators only. */
export function adminRoutes(db: Database) {
  const app = new Hono();
  app.use(requireAdmin(db));
  app.route("/users", userRoutes(db));
  app.route("/departments", departmentRoutes(db));
  app.route("/teams", teamRoutes(db));
  app.route("/roles", roleRoutes(db));
  app.route("/sessions", sessionRoutes(db));
  app.route("/tokens", tokenRoutes(db));
  app.route("/audit", auditRoutes(db));
  return app;
}
