import type { UserView } from "@crm/core";
import { Hono } from "hono";
import { getCookie } from "hono/cookie";
import { auditActor, recordAdminAudit } from "../auth/admin-audit.ts";
import { ApiTokenNotFound, AuthenticationRequired, CrossSiteRequest } from "../auth/auth-errors.ts";
import { clearSessionCookies, SESSION_COOKIE, setSessionCookies } from "../auth/cookies.ts";
import { requireSession, requireUser } from "../auth/guards.ts";
import { loadMe } from "../auth/load-me.ts";
import { login } from "../auth/login.ts";
import { dummyPasswordHash } from "../auth/password.ts";
import { readInput, UUID } from "../auth/read-input.ts";
import { readTokenInput } from "../auth/read-token-input.ts";
import { isCrossSite, isHttps } from "../auth/request-info.ts";
import { revokeSession } from "../auth/session-store.ts";
import { createApiToken, listApiTokens, revokeApiToken } from "../auth/token-store.ts";
import type { Database } from "../db/database.ts";
import { readObject } from "./read-json.ts";
import { requestIp } from "../auth/request-info.ts";

export const LOGIN_PATH = "/api/auth/login";

/** Mounted at `/api`: sign-in and sign-out, the signed-in user, their own API tokens, and the user directory. */
export function authRoutes(deps: { db: Database; trustProxy: boolean }) {
  const { db, trustProxy } = deps;
  const app = new Hono();
  // Compute the stand-in hash now, so the first sign-in with an unknown email is not the slow one.
  void dummyPasswordHash();

  app.post("/auth/login", async (c) => {
    if (isCrossSite(c, trustProxy)) throw CrossSiteRequest("Sign-in is only accepted from this site's own pages.");
    const input = readInput(await readObject(c), { email: { type: "raw", max: 320, required: true }, password: { type: "raw", max: 4096, required: true } });
    const { user, session } = await login(db, {
      email: input.email!,
      password: input.password!,
      ip: requestIp(c),
      userAgent: c.req.header("user-agent") ?? null,
      previousSecret: getCookie(c, SESSION_COOKIE),
    });
    setSessionCookies(c, session, isHttps(c, trustProxy));
    c.header("cache-control", "no-store");
    return c.json({ user });
  });

  app.post("/auth/logout", async (c) => {
    const principal = c.get("principal");
    if (principal.kind === "user") {
      await db.transaction(async (tx) => {
        if (await revokeSession(tx, principal.sessionId)) await recordAdminAudit(tx, auditActor(principal, requestIp(c)), "logout", principal.userId, { sessionId: principal.sessionId });
      });
    }
    clearSessionCookies(c, isHttps(c, trustProxy));
    return c.body(null, 204);
  });

  app.get("/me", async (c) => {
    const me = await loadMe(db, requireUser(c));
    if (!me) throw AuthenticationRequired("The user no longer exists.");
    return c.json(me);
  });

  // Colleagues by name, for owners and assignees shown in lists and on records: any signed-in user
  // may read who works here (id, name, email, active), never roles, teams or anything else.
  app.get("/users", async (c) => {
    requireUser(c);
    const items = await db.query<Pick<UserView, "id" | "name" | "email" | "active">>(`select id::text as id, name, email, active from users order by lower(name), id`);
    c.header("cache-control", "private, max-age=60");
    return c.json({ items });
  });

  app.get("/me/tokens", async (c) => c.json({ items: await listApiTokens(db, { userId: requireUser(c) }) }));

  app.post("/me/tokens", async (c) => {
    const { userId } = requireSession(c);
    const input = readTokenInput(await readObject(c), false);
    const token = await db.transaction(async (tx) => {
      const created = await createApiToken(tx, { name: input.name, userId, roleId: null, createdBy: userId, expiresAt: input.expiresAt });
      await recordAdminAudit(tx, auditActor(c.get("principal"), requestIp(c)), "token_created", created.id, { name: created.name, userId, expiresAt: created.expiresAt });
      return created;
    });
    c.header("location", `/api/me/tokens/${token.id}`);
    c.header("cache-control", "no-store");
    return c.json(token, 201);
  });

  app.delete("/me/tokens/:id", async (c) => {
    const userId = requireUser(c);
    const id = c.req.param("id");
    const revoked = UUID.test(id) && (await db.transaction(async (tx) => {
      const done = await revokeApiToken(tx, id, userId);
      if (done) await recordAdminAudit(tx, auditActor(c.get("principal"), requestIp(c)), "token_revoked", id, { userId });
      return done;
    }));
    if (!revoked) throw ApiTokenNotFound(`You have no live API token with id "${id.slice(0, 100)}".`);
    return c.body(null, 204);
  });

  return app;
}
