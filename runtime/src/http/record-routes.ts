import { Hono, type Context } from "hono";
import type { RecordReads } from "../services/record-reads.ts";
import { etagOf, type RecordWrites } from "../services/record-writes.ts";
import { readJson } from "./read-json.ts";

function searchParams(c: Context): URLSearchParams {
  return new URL(c.req.url).searchParams;
}

const JSON_TYPE = { "content-type": "application/json; charset=UTF-8" };

/** `/api/records/{entity}`: the generated REST API of every live entity. */
export function recordRoutes(reads: RecordReads, writes: RecordWrites) {
  const app = new Hono();

  app.get("/:entity", async (c) => c.body((await reads.list(c.req.param("entity"), searchParams(c))).json, 200, JSON_TYPE));

  app.post("/:entity", async (c) => {
    const response = await writes.create(c.req.param("entity"), await readJson(c), { idempotencyKey: c.req.header("idempotency-key") });
    if (response.json !== undefined) return c.body(response.json, response.status as 201, { ...JSON_TYPE, ...response.headers });
    return c.json(response.body as object, response.status as 201, response.headers);
  });

  app.patch("/:entity", async (c) => c.json(await writes.updateMany(c.req.param("entity"), await readJson(c))));

  app.delete("/:entity", async (c) => c.json(await writes.removeMany(c.req.param("entity"), await readJson(c))));

  app.get("/:entity/aggregate", async (c) => c.json(await reads.aggregate(c.req.param("entity"), searchParams(c))));

  app.get("/:entity/:id", async (c) => {
    const record = await reads.get(c.req.param("entity"), c.req.param("id"), searchParams(c));
    return c.body(record.json, 200, { ...JSON_TYPE, etag: etagOf(record) });
  });

  app.patch("/:entity/:id", async (c) => {
    const record = await writes.update(c.req.param("entity"), c.req.param("id"), await readJson(c), { ifMatch: c.req.header("if-match") });
    return c.json(record, 200, { etag: etagOf(record) });
  });

  app.delete("/:entity/:id", async (c) => {
    await writes.remove(c.req.param("entity"), c.req.param("id"), { ifMatch: c.req.header("if-match") });
    return c.body(null, 204);
  });

  return app;
}
