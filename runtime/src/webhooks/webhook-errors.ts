import { defineError } from "../errors.ts";

export const WebhookNotFound = defineError("WEBHOOK_NOT_FOUND", 404, "Webhook not found");
export const DeliveryNotFound = defineError("WEBHOOK_DELIVERY_NOT_FOUND", 404, "Webhook delivery not found");
export const DeliveryNotRetryable = defineError("WEBHOOK_DELIVERY_NOT_RETRYABLE", 409, "Only failed or dead deliveries can be retried");
