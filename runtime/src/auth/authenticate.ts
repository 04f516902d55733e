import type { Context, MiddlewareHandler } from "hono";
import { getCookie } from "hono/cookie";
import type { Queryable } from "../db/database.ts";
import { CsrfTokenInvalid, TokenExpired, TokenInvalid } from "./auth-errors.ts";
import { SESSION_COOKIE } from "./cookies.ts";
import { ANONYMOUS, type Principal } from "./principal.ts";
import { safeEqual } from "./secrets.ts";
import { findSession } from "./session-store.ts";
import { findApiToken } from "./token-store.ts";

export interface AuthenticateOptions {
  db: Queryable;
  trustProxy: boolean;
  /** Unsafe requests that need no CSRF token even with a session cookie (sign-in checks the origin instead). */
  csrfExempt?: readonly string[];
}

const UNSAFE = new Set(["POST", "PUT", "PATCH", "DELETE"]);
const BEARER = /^Bearer\s+(\S+)\s*$/i;
const challenge = { "www-authenticate": 'Bearer error="invalid_token"' };

async function tokenPrincipal(db: Queryable, authorization: string): Promise<Principal> {
  const token = BEARER.exec(authorization)?.[1];
  if (!token) throw TokenInvalid("Send the API token as `Authorization: Bearer <token>`.", { headers: challenge });
  const found = await findApiToken(db, token);
  if (found.ok) return { kind: "token", tokenId: found.id, userId: found.userId, roleIds: found.roleIds };
  if (found.reason === "expired") throw TokenExpired("The API token has expired; create a new one.", { headers: challenge });
  const detail = found.reason === "revoked" ? "The API token has been revoked." : found.reason === "inactive_user" ? "The API token's user is deactivated." : "The API token is not valid.";
  throw TokenInvalid(detail, { headers: challenge });
}

/**
 * Identify the caller and set `principal` (and `clientIp`) on the context; never refuses an anonymous
 * request. A Bearer token wins over cookies and must be valid (else 401). A session cookie identifies a
 * user; its unsafe requests must carry the session's CSRF token in `x-csrf-token` (else 403). A dead
 * session cookie is simply anonymous. Anonymous requests cost no query.
 */
export function authenticate(options: AuthenticateOptions): MiddlewareHandler {
  const exempt = new Set(options.csrfExempt ?? []);
  return async function authenticate(c: Context, next) {
    c.set("trustProxy", options.trustProxy);
    c.set("principal", ANONYMOUS);
    const authorization = c.req.header("authorization");
    if (authorization !== undefined) {
      c.set("principal", await tokenPrincipal(options.db, authorization));
      return next();
    }
    const secret = getCookie(c, SESSION_COOKIE);
    const session = secret ? await findSession(options.db, secret) : undefined;
    if (session) {
      if (UNSAFE.has(c.req.method) && !exempt.has(c.req.path)) {
        const sent = c.req.header("x-csrf-token");
        if (!sent || !safeEqual(sent, session.csrfToken)) {
          throw CsrfTokenInvalid("Send the value of the crm_csrf cookie in the x-csrf-token header with every write.");
        }
      }
      c.set("principal", { kind: "user", userId: session.userId, sessionId: session.id, roleIds: session.roleIds });
    }
    await next();
  };
}
