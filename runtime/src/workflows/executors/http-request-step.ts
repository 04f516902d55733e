import { escapePointerToken, toJsonValue, valueText, type Value } from "@crm/core";
import type { GuardedRequest } from "../../webhooks/create-guarded-fetch.ts";
import { signWebhookPayload } from "../../webhooks/webhook-signature.ts";
import type { RecordJson, StepContext, StepExecutor } from "../step-context.ts";
import { StepFailed } from "./step-failed.ts";

export interface HttpStepOptions {
  /** Through the SSRF guard: private, loopback and link-local targets are refused after DNS. */
  request: GuardedRequest;
  /** Hosts the step may call: exact names, or `*.example.com` for its subdomains. */
  allowedHosts: readonly string[];
  /** HMAC key of `sign: true` steps. */
  secret: string | undefined;
}

const RESPONSE_KEEP = 4000;

function allowed(host: string, patterns: readonly string[]): boolean {
  return patterns.some((pattern) => (pattern.startsWith("*.") ? host.endsWith(pattern.slice(1)) && host.length > pattern.length - 1 : host === pattern));
}

const text = (value: Value): string => (value === null ? "" : valueText(value));

/**
 * httpRequest: calls an allow-listed URL (computed on the record) with computed headers and a JSON
 * body, optionally signed like webhooks (`x-crm-signature`), with a timeout. The step's idempotency
 * key travels as `Idempotency-Key`, so a receiver can ignore the repeat of a retried step. A non-2xx
 * answer, a timeout or a refused target fails the step, which the engine retries with backoff.
 */
export function httpRequestStep(options: HttpStepOptions): StepExecutor {
  return async (context: StepContext) => {
    if (context.step.type !== "httpRequest") throw new Error("httpRequestStep runs httpRequest steps");
    const step = context.step;
    const record: RecordJson | null = context.record ? await context.loadRecord() : null;
    const at = (path: string) => `${context.pointer}/${path}`;
    const url = text(await context.evaluate(at("url"), record));
    let target: URL;
    try {
      target = new URL(url);
    } catch {
      throw StepFailed(`"${url.slice(0, 200)}" is not a URL.`);
    }
    if (target.protocol !== "https:" && target.protocol !== "http:") throw StepFailed(`Only http and https URLs can be called, not ${target.protocol}`);
    if (!allowed(target.hostname.toLowerCase(), options.allowedHosts)) {
      throw StepFailed(`${target.hostname} is not an allowed host; an administrator adds it to WORKFLOW_HTTP_ALLOWED_HOSTS.`);
    }
    const headers: Record<string, string> = { "idempotency-key": context.idempotencyKey, "user-agent": "crm-workflow" };
    for (const name of Object.keys(step.headers ?? {})) headers[name.toLowerCase()] = text(await context.evaluate(at(`headers/${escapePointerToken(name)}`), record));
    let body: string | undefined;
    if (step.method !== "GET" && step.method !== "DELETE") {
      const json: Record<string, unknown> = {};
      for (const name of Object.keys(step.body ?? {})) json[name] = toJsonValue(await context.evaluate(at(`body/${escapePointerToken(name)}`), record));
      body = JSON.stringify(json);
      headers["content-type"] = "application/json";
    }
    if (step.sign) {
      if (!options.secret) throw StepFailed("The step is signed, but no WORKFLOW_HTTP_SECRET is configured.");
      headers["x-crm-signature"] = signWebhookPayload(options.secret, body ?? "", Math.floor(context.now.getTime() / 1000));
    }
    const started = performance.now();
    let response: Awaited<ReturnType<GuardedRequest>>;
    try {
      response = await options.request(target.toString(), { method: step.method, headers, ...(body === undefined ? {} : { body }), signal: AbortSignal.timeout(step.timeoutMs ?? 10_000), redirect: "manual" });
    } catch (error) {
      const reason = error instanceof Error ? [error.message, error.cause instanceof Error ? error.cause.message : ""].filter(Boolean).join(": ") : String(error);
      throw StepFailed(`Calling ${target.host} failed: ${reason.slice(0, 300)}`);
    }
    const answer = (await response.text()).slice(0, RESPONSE_KEEP);
    const input = { method: step.method, url: target.toString(), signed: step.sign === true };
    if (response.status < 200 || response.status > 299) throw StepFailed(`${target.host} answered HTTP ${response.status}: ${answer.slice(0, 200)}`);
    let parsed: unknown = answer;
    if (response.headers.get("content-type")?.includes("json")) {
      try {
        parsed = JSON.parse(answer);
      } catch {
        // kept as text
      }
    }
    return { move: { kind: "next" }, input, output: { status: response.status, body: parsed, ms: Math.round(performance.now() - started) } };
  };
}
