import { Hono } from "hono";
import { recordAdminAudit } from "../../auth/admin-audit.ts";
import { ApiTokenNotFound } from "../../auth/auth-errors.ts";
import { principalUserId } from "../../auth/principal.ts";
import { readTokenInput } from "../../auth/read-token-input.ts";
import { findRole } from "../../auth/role-store.ts";
import { createApiToken, findApiTokenById, listApiTokens, revokeApiToken } from "../../auth/token-store.ts";
import type { Database } from "../../db/database.ts";
import { ValidationFailed } from "../../errors.ts";
import { readObject } from "../read-json.ts";
import { actor, booleanParam, idParam } from "./admin-context.ts";

/** `/api/admin/tokens`: every live token (`?roleTokens=true`: integration tokens only); role tokens are issued here. */
export function tokenRoutes(db: Database) {
  const app = new Hono();

  app.get("/", async (c) => c.json({ items: await listApiTokens(db, { roleTokens: booleanParam(c, "roleTokens") }) }));

  app.post("/", async (c) => {
    const input = readTokenInput(await readObject(c), true);
    const token = await db.transaction(async (tx) => {
      const role = await findRole(tx, input.roleId!);
      if (!role) throw ValidationFailed("The role does not exist.", { issues: [{ code: "INVALID_REFERENCE", pointer: "/roleId", message: `There is no role with id "${input.roleId}".` }] });
      const created = await createApiToken(tx, { name: input.name, userId: null, roleId: role.id, createdBy: principalUserId(c.get("principal")) ?? null, expiresAt: input.expiresAt });
      await recordAdminAudit(tx, actor(c), "token_created", created.id, { name: created.name, roleId: role.id, roleKey: role.key, expiresAt: created.expiresAt });
      return created;
    });
    c.header("location", `/api/admin/tokens/${token.id}`);
    c.header("cache-control", "no-store");
    return c.json(token, 201);
  });

  app.get("/:id", async (c) => {
    const token = await findApiTokenById(db, idParam(c, "id", ApiTokenNotFound));
    if (!token) throw ApiTokenNotFound(`There is no API token with id "${c.req.param("id")}".`);
    return c.json(token);
  });

  app.delete("/:id", async (c) => {
    const id = idParam(c, "id", ApiTokenNotFound);
    const revoked = await db.transaction(async (tx) => {
      const done = await revokeApiToken(tx, id);
      if (done) await recordAdminAudit(tx, actor(c), "token_revoked", id, {});
      return done;
    });
    if (!revoked) throw ApiTokenNotFound(`There is no live API token with id "${id}".`);
    return c.body(null, 204);
  });

  return app;
}
