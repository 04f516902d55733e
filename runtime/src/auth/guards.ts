import type { Context, MiddlewareHandler } from "hono";
import type { Queryable } from "../db/database.ts";
import { AdminRequired, AuthenticationRequired, SessionRequired, UserRequired } from "./auth-errors.ts";

/** The signed-in user's id (session or the user's own token); 401 when anonymous, 403 for a role token. */
export function requireUser(c: Context): string {
  const principal = c.get("principal");
  if (principal.kind === "anonymous") throw AuthenticationRequired("Sign in, or send an API token as `Authorization: Bearer <token>`.");
  if (!principal.userId) throw UserRequired("This role token acts for no user.");
  return principal.userId;
}

/** A browser session (not a token): for what a leaked token must not be able to do, such as minting more tokens. */
export function requireSession(c: Context): { userId: string; sessionId: string } {
  const principal = c.get("principal");
  if (principal.kind === "user") return principal;
  if (principal.kind === "anonymous") throw AuthenticationRequired("Sign in first.");
  throw SessionRequired("Sign in with a browser session to do this; API tokens cannot.");
}

/** Guard for `/api/admin/**`: 401 when anonymous, 403 unless one of the caller's roles is an admin role. */
export function requireAdmin(db: Queryable): MiddlewareHandler {
  return async function requireAdmin(c, next) {
    const principal = c.get("principal");
    if (principal.kind === "anonymous") throw AuthenticationRequired("Sign in as an administrator first.");
    const [row] = await db.query<{ admin: boolean }>(`select exists(select 1 from roles where id = any($1::uuid[]) and is_admin) as admin`, [principal.roleIds]);
    if (!row?.admin) throw AdminRequired("Only administrators may use the admin API.");
    await next();
  };
}
