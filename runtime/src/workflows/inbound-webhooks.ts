import { randomBytes } from "node:crypto";
import { checkTriggerInputs, isUuid, type Issue } from "@crm/core";
import type { AccessService } from "../access/index.ts";
import { NO_AUDIT_ACTOR, recordAdminAudit, type AuditActor } from "../auth/admin-audit.ts";
import type { Database } from "../db/database.ts";
import { BadRequest, InvalidJson, ValidationFailed } from "../errors.ts";
import { checkJsonValue } from "../http/read-json.ts";
import type { EntityRegistry } from "../services/entity-registry.ts";
import { createRecordReads } from "../services/record-reads.ts";
import { verifyWebhookSignature } from "../webhooks/webhook-signature.ts";
import { recordReader } from "./load-related.ts";
import { findRunByTriggerKey } from "./run-row.ts";
import type { TriggerDispatcher } from "./trigger-dispatcher.ts";
import { workflowCaller } from "./workflow-caller.ts";
import { WebhookPayloadTooLarge, WebhookSignatureInvalid, WorkflowNotFound, WorkflowNotStartable } from "./workflow-errors.ts";
import type { WorkflowStore } from "./workflow-store.ts";

/** How far a signature's timestamp may lie from now (replays of old deliveries are refused). */
export const WEBHOOK_TOLERANCE_SECONDS = 300;
/** The largest payload accepted. */
export const MAX_WEBHOOK_BYTES = 256 * 1024;
const DELIVERY_ID = /^[A-Za-z0-9._:-]{1,200}$/;

/** A delivery as received: the raw body (signed as is) and the headers that matter. */
export interface InboundDelivery {
  body: string;
  signature: string | undefined;
  deliveryId: string | undefined;
}

/** The value at a JSON Pointer, or undefined. */
function at(document: unknown, pointer: string): unknown {
  let value = document;
  for (const token of pointer.split("/").slice(1).map((t) => t.replace(/~1/g, "/").replace(/~0/g, "~"))) {
    if (value === null || typeof value !== "object" || !Object.hasOwn(value, token)) return undefined;
    value = (value as Record<string, unknown>)[token];
  }
  return value;
}

/**
 * Inbound webhooks of workflows whose trigger is `webhook`: a public POST signed like the CRM's own
 * deliveries (`x-crm-signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">` with the
 * workflow's secret, compared in constant time, the timestamp at most 5 minutes off), named by a
 * delivery id (`x-crm-delivery`): one run per workflow and delivery id, so a replay answers the run
 * it started. The payload is `$payload` to the run's expressions, its declared inputs `$key`.
 */
export function createInboundWebhooks(deps: { db: Database; registry: EntityRegistry; access: AccessService; store: WorkflowStore; dispatcher: TriggerDispatcher; now?: () => number }) {
  const { db } = deps;
  const reads = createRecordReads({ db, registry: deps.registry });

  async function webhookWorkflow(id: string) {
    const [row] = await db.query<{ version: number; enabled: boolean; secret: string | null }>(`select current_version as version, enabled, webhook_secret as secret from workflows where id = $1`, [id]);
    if (!row) throw WorkflowNotFound(`There is no workflow with id "${id.slice(0, 100)}".`);
    const version = await deps.store.version(id, row.version);
    const trigger = version.compiled.definition.trigger;
    if (trigger.type !== "webhook") throw WorkflowNotStartable(`Workflow "${id}" starts on ${trigger.type}, not by a webhook.`);
    return { ...row, ...version, trigger };
  }

  return {
    /** A new secret for the workflow's webhook (the old one stops working); shown only here. */
    async rotateSecret(id: string, audit: AuditActor = NO_AUDIT_ACTOR): Promise<{ secret: string; url: string }> {
      await webhookWorkflow(id);
      const secret = randomBytes(32).toString("base64url");
      await db.transaction(async (tx) => {
        await tx.query(`update workflows set webhook_secret = $2 where id = $1`, [id, secret]);
        await recordAdminAudit(tx, audit, "workflow_webhook_secret_set", id);
      });
      return { secret, url: `/api/workflows/${id}/webhook` };
    },

    /** Verify a delivery and start its run (once per delivery id); answers the run and whether it was started before. */
    async receive(id: string, delivery: InboundDelivery): Promise<{ runId: string; duplicate: boolean }> {
      if (Buffer.byteLength(delivery.body) > MAX_WEBHOOK_BYTES) throw WebhookPayloadTooLarge(`A payload has at most ${MAX_WEBHOOK_BYTES} bytes.`);
      const workflow = await webhookWorkflow(id);
      if (!workflow.enabled) throw WorkflowNotStartable(`Workflow "${id}" is disabled.`);
      const nowSeconds = Math.floor((deps.now?.() ?? Date.now()) / 1000);
      if (!workflow.secret || !verifyWebhookSignature(workflow.secret, delivery.signature, delivery.body, WEBHOOK_TOLERANCE_SECONDS, nowSeconds)) {
        throw WebhookSignatureInvalid(`Sign the raw body: x-crm-signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>"> with the workflow's secret; the timestamp may be at most ${WEBHOOK_TOLERANCE_SECONDS} seconds off.`);
      }
      const deliveryId = delivery.deliveryId ?? "";
      if (!DELIVERY_ID.test(deliveryId)) throw BadRequest("x-crm-delivery names the delivery (1 to 200 letters, digits, . _ : -): a replay with the same id starts nothing.", { issues: [{ code: "INVALID_VALUE", pointer: "/headers/x-crm-delivery", message: "Expected a delivery id." }] });
      let payload: unknown;
      try {
        payload = JSON.parse(delivery.body);
      } catch (error) {
        throw InvalidJson(`The payload is not valid JSON: ${(error as Error).message}`);
      }
      checkJsonValue(payload);
      const { definition } = workflow.compiled;
      const inputs = checkTriggerInputs(workflow.trigger.inputs ?? [], payload, "", true);
      const issues: Issue[] = inputs.ok ? [] : [...inputs.issues];
      let record: Record<string, unknown> & { id: string } | null = null;
      const pointer = workflow.trigger.recordIdFrom;
      if (pointer !== undefined) {
        const recordId = at(payload, pointer);
        if (typeof recordId !== "string" || !isUuid(recordId)) issues.push({ code: "INVALID_VALUE", pointer, message: `Expected the id of a ${definition.entity} record (UUID).` });
        else if (workflow.actAs) {
          record = await recordReader(reads, await workflowCaller({ db, access: deps.access }, "trigger", workflow.actAs))(definition.entity, recordId);
          if (!record) issues.push({ code: "RECORD_NOT_FOUND", pointer, message: `There is no ${definition.entity} record with id "${recordId}".` });
        }
      }
      if (issues.length || !inputs.ok) throw ValidationFailed("The payload does not fit the workflow's webhook trigger; see issues.", { issues });
      const key = `webhook:${deliveryId}`;
      return db.transaction(async (tx) => {
        const event = { type: "webhook", entity: definition.entity, recordId: record?.id ?? null, record, variables: { ...inputs.value, payload } };
        const started = await deps.dispatcher.startRun(tx, { id, version: workflow.version }, event, 0, null, key);
        if (started) return { runId: started, duplicate: false };
        return { runId: (await findRunByTriggerKey(tx, id, key))!, duplicate: true };
      });
    },
  };
}

export type InboundWebhooks = ReturnType<typeof createInboundWebhooks>;
