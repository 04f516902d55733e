/**
 * Who is calling. Set on every `/api` request by `authenticate`; read it with `c.get("principal")`.
 * `roleIds` are the roles the caller acts with: a user's roles (for a session or the user's own token),
 * or the one role of an integration token.
 */
export type Principal =
  | { kind: "anonymous" }
  | { kind: "user"; userId: string; sessionId: string; roleIds: string[] }
  | { kind: "token"; tokenId: string; userId: string | null; roleIds: string[] };

export const ANONYMOUS: Principal = Object.freeze({ kind: "anonymous" });

declare module "hono" {
  interface ContextVariableMap {
    principal: Principal;
    /** The client's address, set on first use by `requestIp(c)`: for sessions, throttling and the audit log. */
    clientIp: string | null;
    /** Whether `x-forwarded-*` headers come from our own proxy (config TRUST_PROXY). */
    trustProxy: boolean;
  }
}

/** The user a principal acts for, if any (a session, or a user's own token). */
export function principalUserId(principal: Principal): string | undefined {
  return principal.kind === "anonymous" ? undefined : (principal.userId ?? undefined);
}
