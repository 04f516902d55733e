import { Hono } from "hono";
import { UserNotFound } from "../../auth/auth-errors.ts";
import { generatePassword, hashPassword } from "../../auth/password.ts";
import { readInput } from "../../auth/read-input.ts";
import { listSessions, revokeUserSessions } from "../../auth/session-store.ts";
import { recordAdminAudit } from "../../auth/admin-audit.ts";
import { createUser, resetPassword, updateUser } from "../../auth/user-store.ts";
import { findUser, listUsers } from "../../auth/user-view.ts";
import type { Database } from "../../db/database.ts";
import { readObject } from "../read-json.ts";
import { actor, booleanParam, idParam, pageParams } from "./admin-context.ts";

const LOCALE = /^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/;
const FIELDS = {
  email: { type: "email", required: true },
  name: { type: "string", max: 200, required: true },
  locale: { type: "string", max: 35, pattern: LOCALE, hint: "Expected a language tag such as en or de-CH." },
  active: { type: "boolean" },
  departmentId: { type: "uuid", nullable: true },
  managerId: { type: "uuid", nullable: true },
  roleIds: { type: "uuid[]" },
  teamIds: { type: "uuid[]" },
} as const;

/**
 * `/api/admin/users`: users are created, changed and deactivated (`active: false`), never deleted, so
 * records and audit entries keep pointing at them. Passwords left out are generated and shown once.
 */
export function userRoutes(db: Database) {
  const app = new Hono();
  const userId = (c: Parameters<typeof idParam>[0]) => idParam(c, "id", UserNotFound);

  app.get("/", async (c) => c.json({ items: await listUsers(db, { active: booleanParam(c, "active"), ...pageParams(c) }) }));

  app.post("/", async (c) => {
    const input = readInput(await readObject(c), { ...FIELDS, password: { type: "password" } });
    const password = input.password ?? generatePassword();
    const passwordHash = await hashPassword(password);
    const user = await db.transaction((tx) => createUser(tx, { ...input, email: input.email!, name: input.name!, passwordHash }, actor(c)));
    c.header("location", `/api/admin/users/${user.id}`);
    c.header("cache-control", "no-store");
    return c.json(input.password ? user : { ...user, password }, 201);
  });

  app.get("/:id", async (c) => {
    const user = await findUser(db, userId(c));
    if (!user) throw UserNotFound(`There is no user with id "${c.req.param("id")}".`);
    return c.json(user);
  });

  app.patch("/:id", async (c) => {
    const id = userId(c);
    const patch = readInput(await readObject(c), FIELDS, { partial: true });
    return c.json(await db.transaction((tx) => updateUser(tx, id, patch, actor(c))));
  });

  app.post("/:id/password", async (c) => {
    const id = userId(c);
    const input = readInput(await readObject(c), { password: { type: "password" } });
    const password = input.password ?? generatePassword();
    const hash = await hashPassword(password);
    const done = await db.transaction((tx) => resetPassword(tx, id, hash, actor(c), !input.password));
    if (!done) throw UserNotFound(`There is no user with id "${id}".`);
    c.header("cache-control", "no-store");
    return input.password ? c.body(null, 204) : c.json({ password });
  });

  app.get("/:id/sessions", async (c) => c.json({ items: await listSessions(db, { userId: userId(c), limit: 500 }) }));

  app.delete("/:id/sessions", async (c) => {
    const id = userId(c);
    await db.transaction(async (tx) => {
      if (!(await findUser(tx, id))) throw UserNotFound(`There is no user with id "${id}".`);
      const count = await revokeUserSessions(tx, id);
      await recordAdminAudit(tx, actor(c), "sessions_revoked", id, { count });
    });
    return c.body(null, 204);
  });

  return app;
}
