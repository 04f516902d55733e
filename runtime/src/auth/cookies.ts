import type { Context } from "hono";
import { deleteCookie, setCookie } from "hono/cookie";
import type { NewSession } from "./session-store.ts";
import { SESSION_MAX_AGE_SECONDS } from "./session-store.ts";

export const SESSION_COOKIE = "crm_session";
/** Readable by the page's script, which echoes it in `x-csrf-token` on every write. */
export const CSRF_COOKIE = "crm_csrf";

export function setSessionCookies(c: Context, session: NewSession, secure: boolean): void {
  const common = { path: "/", sameSite: "Lax", secure, maxAge: SESSION_MAX_AGE_SECONDS } as const;
  setCookie(c, SESSION_COOKIE, session.secret, { ...common, httpOnly: true });
  setCookie(c, CSRF_COOKIE, session.csrfToken, common);
}

export function clearSessionCookies(c: Context, secure: boolean): void {
  deleteCookie(c, SESSION_COOKIE, { path: "/", sameSite: "Lax", secure, httpOnly: true });
  deleteCookie(c, CSRF_COOKIE, { path: "/", sameSite: "Lax", secure });
}
