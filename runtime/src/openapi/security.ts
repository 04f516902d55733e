import { errorResponses, FORBIDDEN } from "./shared-components.ts";
import { ref, type Operation, type PathItem, type SchemaObject, type SecurityRequirement } from "./types.ts";

/** How callers identify themselves (runtime/src/auth/authenticate.ts). */
export const SECURITY_SCHEMES: Record<string, SchemaObject> = {
  bearerToken: {
    type: "http",
    scheme: "bearer",
    bearerFormat: "crm_<prefix>_<secret>",
    description: "An API token: a user's own (`POST /api/me/tokens`, acting with that user's roles) or a role token (`POST /api/admin/tokens`, acting with one role and no user). A token sent wins over cookies and must be valid, else 401.",
  },
  sessionCookie: {
    type: "apiKey",
    in: "cookie",
    name: "crm_session",
    description: "The browser session set by `POST /api/auth/login` (HttpOnly), with its CSRF token in the readable `crm_csrf` cookie.",
  },
  csrfToken: {
    type: "apiKey",
    in: "header",
    name: "x-csrf-token",
    description: "With a session cookie, every POST, PUT, PATCH and DELETE must echo the `crm_csrf` cookie here; otherwise 403 `CSRF_TOKEN_INVALID`. Not needed with a Bearer token.",
  },
};

/** Reads: a token or a session. */
export const SIGNED_IN: SecurityRequirement[] = [{ bearerToken: [] }, { sessionCookie: [] }];
/** Writes: a token, or a session with its CSRF token. */
export const SIGNED_IN_WRITE: SecurityRequirement[] = [{ bearerToken: [] }, { sessionCookie: [], csrfToken: [] }];
/** Anyone (a token sent anyway must still be valid). */
export const PUBLIC: SecurityRequirement[] = [{}];

const UNSAFE = new Set(["post", "put", "patch", "delete"]);

function isPublic(security: SecurityRequirement[] | undefined): boolean {
  return security !== undefined && security.some((requirement) => Object.keys(requirement).length === 0);
}

/**
 * Every operation as the authentication middleware treats it, which runs before any `/api` route:
 * writes without their own `security` need the CSRF token with a session; every operation that is
 * not public can answer 401, and every write 403 (a session's missing CSRF token).
 */
export function withSecurity(paths: Record<string, PathItem>): Record<string, PathItem> {
  const out: Record<string, PathItem> = {};
  for (const [path, item] of Object.entries(paths)) {
    const secured: PathItem = {};
    for (const [method, op] of Object.entries(item) as Array<[keyof PathItem, Operation]>) {
      const unsafe = UNSAFE.has(method);
      const security = op.security ?? (unsafe ? SIGNED_IN_WRITE : undefined);
      if (isPublic(security)) {
        secured[method] = op;
        continue;
      }
      const auth: Record<string, SchemaObject> = { ...errorResponses(401), ...(unsafe ? { "403": ref("responses", "Forbidden") } : {}) };
      secured[method] = { ...op, ...(security ? { security } : {}), responses: sortStatuses({ ...auth, ...op.responses }) };
    }
    out[path] = secured;
  }
  return out;
}

/** Responses in status order, so the added 401/403 sit where a reader looks for them. */
function sortStatuses(responses: Record<string, SchemaObject>): Record<string, SchemaObject> {
  return Object.fromEntries(Object.entries(responses).sort(([a], [b]) => a.localeCompare(b)));
}

/** `{ "403": AdminRequired }` with 401: what every administrator-only operation adds. */
export function adminOnly(): Record<string, SchemaObject> {
  return { ...errorResponses(401), "403": FORBIDDEN.admin };
}
