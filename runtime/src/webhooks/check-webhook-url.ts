import { lookup } from "node:dns/promises";
import { isIP } from "node:net";
import type { Issue } from "@crm/core";
import { isBlockedAddress, isLocalHostname } from "./is-blocked-address.ts";

const DNS_TIMEOUT_MS = 3_000;

async function resolveAll(hostname: string): Promise<string[]> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<string[]>((resolve) => (timer = setTimeout(() => resolve([]), DNS_TIMEOUT_MS)));
  const found = lookup(hostname, { all: true, verbatim: true }).then((all) => all.map((a) => a.address));
  try {
    return await Promise.race([found, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Check a webhook URL at registration: absolute http(s), no credentials and, unless private targets are
 * allowed, not this machine or a private, loopback, link-local… address, as written or as it resolves
 * now. A name that does not resolve (yet) passes: every delivery checks again after its own lookup.
 * @example await checkWebhookUrl("http://10.0.0.1/hook", "/url", { allowPrivateTargets: false }) // [{ code: "URL_BLOCKED", … }]
 */
export async function checkWebhookUrl(raw: unknown, pointer: string, options: { allowPrivateTargets: boolean }): Promise<Issue[]> {
  const issue = (code: string, message: string): Issue[] => [{ code, pointer, message }];
  if (typeof raw !== "string" || raw.length === 0 || raw.length > 2048) return issue("INVALID_URL", "Expected an absolute http or https URL of at most 2048 characters.");
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return issue("INVALID_URL", `"${raw.slice(0, 100)}" is not an absolute URL.`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") return issue("URL_SCHEME", `Only http and https URLs can receive webhooks, not ${url.protocol}.`);
  if (url.username || url.password) return issue("URL_CREDENTIALS", "The URL must not carry credentials; authenticate deliveries with their signature.");
  if (options.allowPrivateTargets) return [];
  const hostname = url.hostname.replace(/^\[(.*)\]$/, "$1");
  const blocked = (why: string) => issue("URL_BLOCKED", `${why}: private, loopback and link-local targets are refused (WEBHOOK_ALLOW_PRIVATE_TARGETS).`);
  if (isLocalHostname(hostname)) return blocked(`${hostname} is this machine`);
  if (isIP(hostname)) return isBlockedAddress(hostname) ? blocked(`${hostname} is not a public address`) : [];
  const addresses = await resolveAll(hostname).catch(() => []);
  const bad = addresses.find(isBlockedAddress);
  return bad ? blocked(`${hostname} resolves to ${bad}`) : [];
}
