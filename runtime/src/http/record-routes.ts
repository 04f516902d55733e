import { Hono, type Context } from "hono";
import type { AccessService } from "../access/index.ts";
import type { Actor } from "../audit/record-history.ts";
import { AuthenticationRequired } from "../auth/auth-errors.ts";
import { createCaller, type Caller } from "../services/caller.ts";
import type { RecordReads } from "../services/record-reads.ts";
import { etagOf, type RecordWrites } from "../services/record-writes.ts";
import { readJson } from "./read-json.ts";

function searchParams(c: Context): URLSearchParams {
  return new URL(c.req.url).searchParams;
}

const JSON_TYPE = { "content-type": "application/json; charset=UTF-8" };

/**
 * The caller of a record request: signed in (401 otherwise), with their roles resolved. Every record
 * route goes through it; nothing reaches records on the principal alone.
 */
export function callerResolver(access: AccessService) {
  return async function callerOf(c: Context): Promise<Caller> {
    const principal = c.get("principal");
    if (principal.kind === "anonymous") throw AuthenticationRequired("Sign in, or send an API token as `Authorization: Bearer <token>`.");
    const actor: Actor = principal.kind === "user" ? { kind: "user", userId: principal.userId, sessionId: principal.sessionId } : { kind: "token", tokenId: principal.tokenId, userId: principal.userId };
    return createCaller({ subject: await access.subject(principal), actor, requestId: c.get("requestId"), access: access.entity });
  };
}

/** `/api/records/{entity}`: the generated REST API of every live entity. */
export function recordRoutes(reads: RecordReads, writes: RecordWrites, callerOf: (c: Context) => Promise<Caller>) {
  const app = new Hono();

  app.get("/:entity", async (c) => c.body((await reads.list(c.req.param("entity"), searchParams(c), await callerOf(c))).json, 200, JSON_TYPE));

  app.post("/:entity", async (c) => {
    const caller = await callerOf(c);
    const response = await writes.create(c.req.param("entity"), await readJson(c), caller, { idempotencyKey: c.req.header("idempotency-key") });
    if (response.json !== undefined) return c.body(response.json, response.status as 201, { ...JSON_TYPE, ...response.headers });
    return c.json(response.body as object, response.status as 201, response.headers);
  });

  app.patch("/:entity", async (c) => {
    const caller = await callerOf(c);
    return c.json(await writes.updateMany(c.req.param("entity"), await readJson(c), caller));
  });

  app.delete("/:entity", async (c) => {
    const caller = await callerOf(c);
    return c.json(await writes.removeMany(c.req.param("entity"), await readJson(c), caller));
  });

  app.get("/:entity/export", async (c) => {
    const entity = c.req.param("entity");
    const lines = await reads.exportCsv(entity, searchParams(c), await callerOf(c));
    const encoder = new TextEncoder();
    const iterator = lines[Symbol.asyncIterator]();
    const body = new ReadableStream<Uint8Array>({
      async pull(controller) {
        const { value, done } = await iterator.next();
        if (done) controller.close();
        else controller.enqueue(encoder.encode(value));
      },
      async cancel() {
        await iterator.return?.();
      },
    });
    return c.body(body, 200, { "content-type": "text/csv; charset=utf-8", "content-disposition": `attachment; filename="${entity}.csv"` });
  });

  app.get("/:entity/aggregate", async (c) => c.json(await reads.aggregate(c.req.param("entity"), searchParams(c), await callerOf(c))));

  app.get("/:entity/:id", async (c) => {
    const record = await reads.get(c.req.param("entity"), c.req.param("id"), searchParams(c), await callerOf(c));
    return c.body(record.json, 200, { ...JSON_TYPE, etag: etagOf(record) });
  });

  app.patch("/:entity/:id", async (c) => {
    const caller = await callerOf(c);
    const record = await writes.update(c.req.param("entity"), c.req.param("id"), await readJson(c), caller, { ifMatch: c.req.header("if-match") });
    return c.json(record, 200, { etag: etagOf(record) });
  });

  app.delete("/:entity/:id", async (c) => {
    const caller = await callerOf(c);
    await writes.remove(c.req.param("entity"), c.req.param("id"), caller, { ifMatch: c.req.header("if-match") });
    return c.body(null, 204);
  });

  return app;
}
