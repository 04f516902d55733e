import type { Context } from "hono";
import { getConnInfo } from "@hono/node-server/conninfo";

/**
 * The client's address: the socket's peer, or behind a trusted proxy the last `x-forwarded-for` entry
 * (the one our proxy appended; entries before it are whatever the client claimed).
 */
export function clientIp(c: Context, trustProxy: boolean): string | null {
  if (trustProxy) {
    const forwarded = c.req.header("x-forwarded-for")?.split(",").at(-1)?.trim();
    if (forwarded) return forwarded.slice(0, 64);
  }
  try {
    return getConnInfo(c).remote.address ?? null;
  } catch {
    // app.request() in tests has no socket.
    return null;
  }
}

/** The client's address, worked out on first use and kept on the context (most requests never need it). */
export function requestIp(c: Context): string | null {
  const known = c.get("clientIp") as string | null | undefined;  // undefined until first use
  if (known !== undefined) return known;
  const ip = clientIp(c, c.get("trustProxy") === true);
  c.set("clientIp", ip);
  return ip;
}

/** Whether the browser reached us over HTTPS (directly, or at a trusted proxy). */
export function isHttps(c: Context, trustProxy: boolean): boolean {
  if (new URL(c.req.url).protocol === "https:") return true;
  return trustProxy && c.req.header("x-forwarded-proto")?.split(",")[0]?.trim().toLowerCase() === "https";
}

/**
 * Whether the browser says this request comes from another site: `Sec-Fetch-Site: cross-site`, or an
 * `Origin` whose host is not the one the request was sent to. Requests without either header (curl,
 * older browsers on same-origin GETs) are not cross-site.
 */
export function isCrossSite(c: Context, trustProxy: boolean): boolean {
  if (c.req.header("sec-fetch-site")?.toLowerCase() === "cross-site") return true;
  const origin = c.req.header("origin");
  if (origin === undefined) return false;
  const host = (trustProxy && c.req.header("x-forwarded-host")?.split(",")[0]?.trim()) || c.req.header("host");
  try {
    return !host || new URL(origin).host.toLowerCase() !== host.toLowerCase();
  } catch {
    // "null" (sandboxed frames, some redirects) or garbage: not provably ours.
    return true;
  }
}
