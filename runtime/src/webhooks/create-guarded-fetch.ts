import type { LookupAddress } from "node:dns";
import { lookup } from "node:dns/promises";
import { isIP, type LookupFunction } from "node:net";
import { Agent, fetch as undiciFetch } from "undici";
import { isBlockedAddress, isLocalHostname } from "./is-blocked-address.ts";

/** The little of `fetch` that deliveries use; the global `fetch` fits. */
export type WebhookFetch = (
  url: string,
  init: { method: "POST"; headers: Record<string, string>; body: string; signal: AbortSignal; redirect: "manual" },
) => Promise<{ status: number; body: { cancel(): Promise<void> } | null }>;

/** A delivery refused because its target is (or resolves to) a private, loopback… address. */
export class BlockedTargetError extends Error {
  readonly code = "WEBHOOK_TARGET_BLOCKED";
}

export type Resolve = (hostname: string) => Promise<LookupAddress[]>;

const resolveAll: Resolve = (hostname) => lookup(hostname, { all: true, verbatim: true });

/**
 * Resolve inside the socket's own connect, check every address, and hand only vetted ones to the socket:
 * the address checked is the address connected to, so DNS rebinding between check and connect is moot.
 */
const vettedLookup = (resolve: Resolve): LookupFunction => (hostname, options, callback) => {
  const refuse = (why: string) => callback(new BlockedTargetError(`${hostname} ${why}; private targets are not allowed`), "", 4);
  if (isLocalHostname(hostname)) return refuse("is this machine");
  resolve(hostname).then(
    (found) => {
      const blocked = found.find((a) => isBlockedAddress(a.address));
      if (blocked) return refuse(`resolves to ${blocked.address}`);
      const usable = options.family ? found.filter((a) => a.family === options.family) : found;
      if (usable.length === 0) return callback(Object.assign(new Error(`${hostname} has no IPv${options.family} address`), { code: "ENOTFOUND" }), "", 4);
      if (options.all) return callback(null, usable);
      callback(null, usable[0]!.address, usable[0]!.family);
    },
    (error: NodeJS.ErrnoException) => callback(error, "", 4),
  );
};

/**
 * The `fetch` deliveries go through. Unless private targets are allowed, it refuses IP literals and
 * names that are or resolve to blocked addresses, at connect time, after DNS.
 */
export function createGuardedFetch(options: { allowPrivateTargets: boolean; resolve?: Resolve }): { fetch: WebhookFetch; request: GuardedRequest; close(): Promise<void> } {
  const agent = new Agent(options.allowPrivateTargets ? {} : { connect: { lookup: vettedLookup(options.resolve ?? resolveAll) } });
  const request: GuardedRequest = async (url, init) => {
    const hostname = new URL(url).hostname.replace(/^\[(.*)\]$/, "$1");
    // The socket skips the lookup for IP literals: check those here.
    if (!options.allowPrivateTargets && isIP(hostname) && isBlockedAddress(hostname)) {
      throw new BlockedTargetError(`${hostname} is a blocked address; private targets are not allowed`);
    }
    return undiciFetch(url, { ...init, dispatcher: agent });
  };
  return { fetch: request, request, close: () => agent.close() };
}

/** Any request through the guard (workflow HTTP steps): the method, headers and body they need, the response to read. */
export type GuardedRequest = (
  url: string,
  init: { method: string; headers: Record<string, string>; body?: string; signal: AbortSignal; redirect: "manual" },
) => Promise<{ status: number; headers: { get(name: string): string | null }; body: { cancel(): Promise<void> } | null; text(): Promise<string> }>;
