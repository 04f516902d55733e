import { Hono } from "hono";
import { RoleNotFound } from "../../auth/auth-errors.ts";
import { readInput } from "../../auth/read-input.ts";
import { createRole, deleteRole, findRole, listRoles, updateRole } from "../../auth/role-store.ts";
import type { Database } from "../../db/database.ts";
import { readObject } from "../read-json.ts";
import { actor, idParam } from "./admin-context.ts";

const FIELDS = {
  key: { type: "string", max: 63, pattern: /^[a-z][a-z0-9_]*$/, hint: "Expected lowercase letters, digits and underscores, starting with a letter.", required: true },
  name: { type: "string", max: 200, required: true },
  description: { type: "string", max: 2000, nullable: true },
  isAdmin: { type: "boolean" },
  // Stored as given; core's access module defines (and will validate) the matrix.
  permissions: { type: "object" },
} as const;

/** `/api/admin/roles`. */
export function roleRoutes(db: Database) {
  const app = new Hono();
  const roleId = (c: Parameters<typeof idParam>[0]) => idParam(c, "id", RoleNotFound);

  app.get("/", async (c) => c.json({ items: await listRoles(db) }));

  app.post("/", async (c) => {
    const input = readInput(await readObject(c), FIELDS);
    const role = await db.transaction((tx) => createRole(tx, { ...input, key: input.key!, name: input.name! }, actor(c)));
    c.header("location", `/api/admin/roles/${role.id}`);
    return c.json(role, 201);
  });

  app.get("/:id", async (c) => {
    const role = await findRole(db, roleId(c));
    if (!role) throw RoleNotFound(`There is no role with id "${c.req.param("id")}".`);
    return c.json(role);
  });

  app.patch("/:id", async (c) => {
    const id = roleId(c);
    const patch = readInput(await readObject(c), FIELDS, { partial: true });
    return c.json(await db.transaction((tx) => updateRole(tx, id, patch, actor(c))));
  });

  app.delete("/:id", async (c) => {
    const id = roleId(c);
    await db.transaction((tx) => deleteRole(tx, id, actor(c)));
    return c.body(null, 204);
  });

  return app;
}
