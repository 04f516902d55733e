import { Hono } from "hono";
import { DepartmentNotFound } from "../../auth/auth-errors.ts";
import { createDepartment, deleteDepartment, findDepartment, loadDepartmentTree, updateDepartment } from "../../auth/department-store.ts";
import { readInput } from "../../auth/read-input.ts";
import type { Database } from "../../db/database.ts";
import { readObject } from "../read-json.ts";
import { actor, idParam } from "./admin-context.ts";

const FIELDS = { name: { type: "string", max: 200, required: true }, parentId: { type: "uuid", nullable: true } } as const;

/** `/api/admin/departments`: the department tree; moving one moves its whole subtree. */
export function departmentRoutes(db: Database) {
  const app = new Hono();

  app.get("/", async (c) => c.json({ items: await loadDepartmentTree(db) }));

  app.post("/", async (c) => {
    const input = readInput(await readObject(c), FIELDS);
    const department = await db.transaction((tx) => createDepartment(tx, { name: input.name!, parentId: input.parentId }, actor(c)));
    c.header("location", `/api/admin/departments/${department.id}`);
    return c.json(department, 201);
  });

  app.get("/:id", async (c) => {
    const department = await findDepartment(db, idParam(c, "id", DepartmentNotFound));
    if (!department) throw DepartmentNotFound(`There is no department with id "${c.req.param("id")}".`);
    return c.json(department);
  });

  app.patch("/:id", async (c) => {
    const id = idParam(c, "id", DepartmentNotFound);
    const patch = readInput(await readObject(c), FIELDS, { partial: true });
    return c.json(await db.transaction((tx) => updateDepartment(tx, id, patch, actor(c))));
  });

  app.delete("/:id", async (c) => {
    const id = idParam(c, "id", DepartmentNotFound);
    await db.transaction((tx) => deleteDepartment(tx, id, actor(c)));
    return c.body(null, 204);
  });

  return app;
}
