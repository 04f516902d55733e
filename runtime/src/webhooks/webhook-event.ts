/** The record events a webhook can subscribe to: a closed list. */
export const WEBHOOK_EVENT_TYPES = ["created", "updated", "deleted"] as const;

export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

/** What one committed write did to some records of one entity. */
export interface WebhookEvent {
  /** The entity's key. */
  entity: string;
  type: WebhookEventType;
  /** `record`: the record as written (none for `deleted`); `previous`: as it was before, where known (`deleted`). */
  records: Array<{ id: string; record?: unknown; previous?: unknown }>;
}

/** The JSON body of every delivery; `id` is the delivery's id, stable across retries (dedupe on it). */
export interface WebhookPayload {
  id: string;
  type: `record.${WebhookEventType}`;
  entity: string;
  occurredAt: string;
  data: { record: unknown; previous?: unknown };
}

export function isWebhookEventType(value: unknown): value is WebhookEventType {
  return (WEBHOOK_EVENT_TYPES as readonly unknown[]).includes(value);
}
