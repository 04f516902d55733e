import { Hono, type Context } from "hono";
import { requireUser } from "../auth/guards.ts";
import { UUID } from "../auth/read-input.ts";
import type { Caller } from "../services/caller.ts";
import { canShareViews, ViewNotFound, type SavedViews } from "../views/create-saved-views.ts";
import { readViewInput } from "../views/read-view-input.ts";
import { readObject } from "./read-json.ts";

function viewId(c: Context): string {
  const id = c.req.param("id") ?? "";
  if (!UUID.test(id)) throw ViewNotFound(`There is no view with id "${id.slice(0, 100)}".`);
  return id.toLowerCase();
}

/**
 * Mounted at `/api/views`: saved list views, the caller's own and the shared ones (`?entity=` for one
 * entity). A user's, not a role token's (403). Sharing needs the admin or `shareViews` permission.
 */
export function viewRoutes(views: SavedViews, callerOf: (c: Context) => Promise<Caller>) {
  const app = new Hono();
  const who = async (c: Context) => ({ userId: requireUser(c), caller: await callerOf(c) });

  app.get("/", async (c) => {
    const { userId, caller } = await who(c);
    c.header("cache-control", "no-store");
    return c.json({ items: await views.list(userId, caller, c.req.query("entity") || undefined), canShare: canShareViews(caller) });
  });

  app.post("/", async (c) => {
    const { userId, caller } = await who(c);
    const created = await views.create(readViewInput(await readObject(c)), userId, caller);
    c.header("location", `/api/views/${created.id}`);
    return c.json(created, 201);
  });

  app.get("/:id", async (c) => {
    const { userId, caller } = await who(c);
    return c.json(await views.get(viewId(c), userId, caller));
  });

  app.patch("/:id", async (c) => {
    const { userId, caller } = await who(c);
    const id = viewId(c);
    return c.json(await views.update(id, readViewInput(await readObject(c), { partial: true }), userId, caller));
  });

  app.delete("/:id", async (c) => {
    const { userId, caller } = await who(c);
    await views.remove(viewId(c), userId, caller);
    return c.body(null, 204);
  });

  return app;
}
