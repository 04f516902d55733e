import { defineError } from "../errors.ts";

export const WorkflowNotFound = defineError("WORKFLOW_NOT_FOUND", 404, "Workflow not found");
export const WorkflowExists = defineError("WORKFLOW_EXISTS", 409, "A workflow with this id exists");
export const WorkflowInvalid = defineError("WORKFLOW_INVALID", 422, "The workflow definition is invalid");
export const RunNotFound = defineError("WORKFLOW_RUN_NOT_FOUND", 404, "Workflow run not found");
export const RunNotRetryable = defineError("WORKFLOW_RUN_NOT_RETRYABLE", 409, "Only failed runs can be retried");
export const RunNotCancellable = defineError("WORKFLOW_RUN_NOT_CANCELLABLE", 409, "Only queued, retrying or waiting runs can be cancelled");
export const WorkflowNotStartable = defineError("WORKFLOW_NOT_STARTABLE", 409, "The workflow cannot be started this way");
export const WebhookSignatureInvalid = defineError("WEBHOOK_SIGNATURE_INVALID", 401, "The webhook signature is missing, stale or wrong");
export const WebhookPayloadTooLarge = defineError("PAYLOAD_TOO_LARGE", 413, "The payload is too large");
