import type { AttemptResult, ClaimedDelivery } from "./delivery-queue.ts";
import type { WebhookFetch } from "./create-guarded-fetch.ts";
import { signWebhookPayload } from "./webhook-signature.ts";

/** The body as sent: the stored payload in a readable key order (jsonb keeps its own). */
export function deliveryBody(payload: Record<string, unknown>): string {
  const { id, type, entity, occurredAt, data, ...rest } = payload;
  return JSON.stringify({ id, type, entity, occurredAt, data, ...rest });
}

/** The innermost message of an error chain (`fetch failed` hides its cause). */
function describe(error: unknown): string {
  const messages: string[] = [];
  for (let e: unknown = error; e instanceof Error && messages.length < 5; e = e.cause) messages.push(e.message);
  return (messages.length ? messages.join(": ") : String(error)).slice(0, 1000);
}

/**
 * Make one attempt: POST the signed payload, 2xx counts as delivered. Redirects are not followed (a
 * redirect could point anywhere). Never throws.
 */
export async function deliverWebhook(delivery: ClaimedDelivery, options: { fetch: WebhookFetch; timeoutMs: number }): Promise<AttemptResult> {
  const body = deliveryBody(delivery.payload);
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  try {
    const response = await options.fetch(delivery.url, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "user-agent": "crm-webhooks/1",
        "x-crm-event": String(delivery.payload.type ?? `record.${delivery.event}`),
        "x-crm-delivery": delivery.id,
        "x-crm-signature": signWebhookPayload(delivery.secret, body, Math.floor(Date.now() / 1000)),
      },
      body,
      signal: AbortSignal.timeout(options.timeoutMs),
      redirect: "manual",
    });
    // The answer's body is not needed; dropping it frees the connection.
    await response.body?.cancel().catch(() => undefined);
    const ok = response.status >= 200 && response.status < 300;
    return { ok, statusCode: response.status, error: ok ? null : `HTTP ${response.status}`, durationMs: elapsed() };
  } catch (error) {
    return { ok: false, statusCode: null, error: describe(error), durationMs: elapsed() };
  }
}
