import { isUuid, OWNER_COLUMN, explainAccess, readsPool, quoteIdent, tableRef, type EntityDefinition, type Issue } from "@crm/core";
import { Hono, type Context } from "hono";
import type { AccessService } from "../access/access-service.ts";
import { loadSubject } from "../access/load-subject.ts";
import { AuthenticationRequired, UserNotFound } from "../auth/auth-errors.ts";
import { requireAdmin } from "../auth/guards.ts";
import type { Database } from "../db/database.ts";
import { BadRequest, EntityNotFound, RecordNotFound } from "../errors.ts";
import type { EntityRegistry } from "../services/entity-registry.ts";

export interface AccessRoutesDeps {
  db: Database;
  registry: EntityRegistry;
  access: AccessService;
}

/** The `user`, `entity` and optional `id` query parameters of explain; every problem at once. */
function explainParams(c: Context): { user: string; entity: string; id: string | undefined } {
  const { user, entity, id } = c.req.query();
  const issues: Issue[] = [];
  if (!user) issues.push({ code: "REQUIRED", pointer: "/query/user", message: "Name the user whose access to explain (their id)." });
  else if (!isUuid(user)) issues.push({ code: "INVALID_VALUE", pointer: "/query/user", message: "Expected a user id (a UUID)." });
  if (!entity) issues.push({ code: "REQUIRED", pointer: "/query/entity", message: "Name the entity (its key)." });
  if (id !== undefined && !isUuid(id)) issues.push({ code: "INVALID_VALUE", pointer: "/query/id", message: "Expected a record id (a UUID), or leave it out." });
  if (issues.length) throw BadRequest("The query has problems; see issues.", { issues });
  return { user: user!.toLowerCase(), entity: entity!, id: id?.toLowerCase() };
}

async function findOwner(db: Database, entity: EntityDefinition, id: string): Promise<{ ownerId: string | null }> {
  const [row] = await db.query<{ owner: string | null }>(`select ${quoteIdent(OWNER_COLUMN)}::text as owner from ${tableRef(entity)} where "id" = $1::uuid`, [id]);
  if (!row) throw RecordNotFound(`There is no ${entity.key} record with id "${id}".`);
  return { ownerId: row.owner };
}

/**
 * Mounted at `/api`: what the caller may do (`GET /me/permissions`, for the studio to show only what
 * works), and why someone may or may not do something (`GET /access/explain`, administrators only).
 */
export function accessRoutes(deps: AccessRoutesDeps) {
  const { db, registry, access } = deps;
  const app = new Hono();

  app.get("/me/permissions", async (c) => {
    const principal = c.get("principal");
    if (principal.kind === "anonymous") throw AuthenticationRequired("Sign in, or send an API token as `Authorization: Bearer <token>`.");
    const subject = await access.subject(principal);
    const admin = subject.roles.some((r) => r.permissions.admin === true);
    const entities: Record<string, unknown> = {};
    for (const { definition } of registry.all()) {
      const granted = access.entity(subject, definition);
      const pool = readsPool(granted, definition);
      if (granted.scopes.read === "none" && !pool) continue;
      entities[definition.key] = {
        ...granted.scopes,
        ...granted.can,
        claim: pool,
        fields: Object.fromEntries(Object.entries(granted.fieldDecisions).map(([key, decision]) => [key, decision.access])),
      };
    }
    c.header("cache-control", "no-store");
    return c.json({ userId: subject.userId, admin, entities });
  });

  // The definitions a signed-in user may read, cut to their readable fields: what the studio builds
  // its navigation, lists and forms from (the metadata API is for administrators).
  app.get("/me/entities", async (c) => {
    const principal = c.get("principal");
    if (principal.kind === "anonymous") throw AuthenticationRequired("Sign in, or send an API token as `Authorization: Bearer <token>`.");
    const subject = await access.subject(principal);
    const items = registry.all().flatMap(({ definition, version }) => {
      const granted = access.entity(subject, definition);
      if (granted.scopes.read === "none") return [];
      const fields = definition.fields.filter((field) => granted.fieldDecisions[field.key]?.access !== "none");
      return [{ version, definition: { ...definition, fields } }];
    });
    c.header("cache-control", "no-store");
    return c.json({ items });
  });

  app.get("/access/explain", requireAdmin(db), async (c) => {
    const params = explainParams(c);
    const live = registry.find(params.entity);
    if (!live) throw EntityNotFound(`There is no entity with key "${params.entity.slice(0, 100)}".`);
    // Always fresh from the database: this is where an administrator checks a change just made.
    const subject = await loadSubject(db, { userId: params.user });
    if (!subject) throw UserNotFound(`There is no user with id "${params.user}".`);
    const record = params.id === undefined ? undefined : await findOwner(db, live.definition, params.id);
    return c.json(explainAccess(subject, live.definition, record));
  });

  return app;
}
