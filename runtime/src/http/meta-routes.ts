import { Hono } from "hono";
import { requireAdmin } from "../auth/guards.ts";
import type { Queryable } from "../db/database.ts";
import { AppError, BadRequest } from "../errors.ts";
import { actor } from "./admin/admin-context.ts";
import type { Conversions, MetadataService } from "../services/metadata-service.ts";
import type { StoredEntity } from "../services/metadata-store.ts";
import { checkEnvelope, readObject } from "./read-json.ts";

const CHANGE = { definition: ["object", true], baseVersion: ["integer", false], confirm: ["string[]", false], conversions: ["object", false] } as const;

function entityBody(entity: StoredEntity) {
  return { id: entity.id, key: entity.key, version: entity.version, status: entity.status, updatedAt: entity.updatedAt, definition: entity.definition };
}

function versionParam(raw: string | undefined, name = "version"): number | undefined {
  if (raw === undefined) return undefined;
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value < 1) {
    throw BadRequest(`"${name}" must be a positive integer.`, { issues: [{ code: "INVALID_TYPE", pointer: `/${name}`, message: `Expected a positive integer, got "${raw}".` }] });
  }
  return value;
}

const ENVELOPE = /^\/(confirm|conversions|baseVersion|definitions?)(\/|$)/;

/**
 * The service points its issues into the definition (`/fields/0/type`); the request body holds it
 * under `definition`, so the problem points there (`/definition/fields/0/type`). Issues about the
 * rest of the body (`/confirm`, `/conversions`, `/baseVersion`) keep their pointers.
 */
async function intoBody<T>(work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (error) {
    if (error instanceof AppError) {
      const moved = error.issues.map((issue) => (ENVELOPE.test(issue.pointer) ? issue : { ...issue, pointer: `/definition${issue.pointer}` }));
      error.issues.splice(0, error.issues.length, ...moved);
    }
    throw error;
  }
}

function changeRequest(body: Record<string, unknown>) {
  return {
    definition: body.definition,
    baseVersion: body.baseVersion as number | undefined,
    confirm: body.confirm as string[] | undefined,
    conversions: body.conversions as Conversions | undefined,
  };
}

/**
 * `/api/meta`: read definitions, preview and apply changes, history, trash. Administrators only:
 * definitions and their history reveal the whole data model, and changes reshape every table. (End
 * users' screens learn what they may see from `/api/me/permissions`.)
 */
export function metaRoutes(metadata: MetadataService, db: Queryable) {
  const app = new Hono();
  app.use(requireAdmin(db));

  app.get("/entities", async (c) => c.json({ items: (await metadata.list()).map(entityBody) }));

  app.post("/entities", async (c) => {
    const body = await readObject(c);
    if ("definitions" in body) {
      checkEnvelope(body, { definitions: ["array", true] });
      const results = await metadata.createMany(body.definitions as unknown[], actor(c));
      return c.json({ items: results }, 201);
    }
    checkEnvelope(body, { definition: CHANGE.definition, confirm: CHANGE.confirm });
    const result = await intoBody(metadata.create(changeRequest(body), actor(c)));
    c.header("etag", `"${result.entity.version}"`);
    c.header("location", `/api/meta/entities/${encodeURIComponent(result.entity.key)}`);
    return c.json(result, 201);
  });

  app.get("/entities/:key", async (c) => {
    const entity = await metadata.get(c.req.param("key"), versionParam(c.req.query("version")));
    c.header("etag", `"${entity.version}"`);
    return c.json(entityBody(entity));
  });

  app.get("/entities/:key/versions", async (c) => c.json(await metadata.history(c.req.param("key"))));

  app.post("/entities/:key/preview", async (c) => {
    const body = await readObject(c);
    checkEnvelope(body, CHANGE);
    return c.json(await intoBody(metadata.preview(c.req.param("key"), changeRequest(body))));
  });

  app.put("/entities/:key", async (c) => {
    const body = await readObject(c);
    checkEnvelope(body, { ...CHANGE, baseVersion: ["integer", true] });
    const result = await intoBody(metadata.update(c.req.param("key"), changeRequest(body), actor(c)));
    c.header("etag", `"${result.entity.version}"`);
    return c.json(result);
  });

  app.delete("/entities/:key", async (c) => {
    const result = await metadata.remove(c.req.param("key"), { baseVersion: versionParam(c.req.query("baseVersion"), "baseVersion") }, actor(c));
    return c.json(result);
  });

  app.get("/entities/:key/trash", async (c) => c.json(await metadata.trash(c.req.param("key"))));

  app.post("/entities/:key/trash/:fieldId/restore", async (c) => {
    const result = await metadata.restoreField(c.req.param("key"), c.req.param("fieldId"), { baseVersion: versionParam(c.req.query("baseVersion"), "baseVersion") }, actor(c));
    return c.json(result);
  });

  app.delete("/entities/:key/trash/:fieldId", async (c) => {
    const confirm = c.req.queries("confirm");
    return c.json(await metadata.purgeField(c.req.param("key"), c.req.param("fieldId"), confirm, actor(c)));
  });

  app.get("/trash", async (c) => c.json(await metadata.trash()));

  app.post("/trash/:entityId/restore", async (c) => c.json(await metadata.restoreEntity(c.req.param("entityId"), actor(c))));

  app.delete("/trash/:entityId", async (c) => c.json(await metadata.purgeEntity(c.req.param("entityId"), c.req.queries("confirm"), actor(c))));

  return app;
}
