import { Hono, type Context } from "hono";
import type { Caller } from "../services/caller.ts";
import type { PoolClaims } from "../services/pool-claims.ts";
import { etagOf } from "../services/record-writes.ts";

/** `/api/records/{entity}/{id}/claim` and `…/release`: taking records from an entity's pool and putting them back. */
export function poolRoutes(pool: PoolClaims, callerOf: (c: Context) => Promise<Caller>) {
  const app = new Hono();
  for (const action of ["claim", "release"] as const) {
    app.post(`/:entityKey/:id/${action}`, async (c) => {
      const record = await pool[action](c.req.param("entityKey"), c.req.param("id"), await callerOf(c));
      return c.json(record, 200, { etag: etagOf(record) });
    });
  }
  return app;
}
