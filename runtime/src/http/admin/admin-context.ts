import type { Context } from "hono";
import { auditActor, type AuditActor } from "../../auth/admin-audit.ts";
import { UUID } from "../../auth/read-input.ts";
import type { AppError } from "../../errors.ts";
import { BadRequest } from "../../errors.ts";
import { requestIp } from "../../auth/request-info.ts";

/** Who is acting, for the audit entry of this request. */
export function actor(c: Context): AuditActor {
  return auditActor(c.get("principal"), requestIp(c));
}

/** The `:name` path parameter as an id; anything not shaped like one is simply not found. */
export function idParam(c: Context, name: string, notFound: (detail: string) => AppError): string {
  const id = c.req.param(name) ?? "";
  if (!UUID.test(id)) throw notFound(`There is nothing with id "${id.slice(0, 100)}".`);
  return id.toLowerCase();
}

/** `limit` (1…500, default 100) and `offset` (default 0) from the query string. */
export function pageParams(c: Context): { limit: number; offset: number } {
  const limit = Number(c.req.query("limit") ?? 100);
  const offset = Number(c.req.query("offset") ?? 0);
  const issues = [];
  if (!Number.isSafeInteger(limit) || limit < 1 || limit > 500) issues.push({ code: "INVALID_VALUE", pointer: "/limit", message: "Expected an integer from 1 to 500." });
  if (!Number.isSafeInteger(offset) || offset < 0) issues.push({ code: "INVALID_VALUE", pointer: "/offset", message: "Expected a non-negative integer." });
  if (issues.length) throw BadRequest("The query has problems; see issues.", { issues });
  return { limit, offset };
}

/** An optional `true`/`false` query parameter. */
export function booleanParam(c: Context, name: string): boolean | undefined {
  const raw = c.req.query(name);
  if (raw === undefined) return undefined;
  if (raw === "true" || raw === "false") return raw === "true";
  throw BadRequest("The query has problems; see issues.", { issues: [{ code: "INVALID_VALUE", pointer: `/${name}`, message: "Expected true or false." }] });
}
