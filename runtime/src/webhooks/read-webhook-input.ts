import type { Issue } from "@crm/core";
import { ValidationFailed } from "../errors.ts";
import { checkWebhookUrl } from "./check-webhook-url.ts";
import { isWebhookEventType, WEBHOOK_EVENT_TYPES } from "./webhook-event.ts";
import type { WebhookInput } from "./webhook-store.ts";

const FIELDS = ["entity", "events", "url", "description", "active"] as const;

export interface InputContext {
  allowPrivateTargets: boolean;
  entityExists(key: string): Promise<boolean>;
}

/**
 * Check a webhook body, for a create (`entity`, `events`, `url` required) or a patch (all optional, the
 * entity fixed), collecting every issue at once; throws VALIDATION_FAILED (422) with their pointers.
 */
export async function readWebhookInput(body: Record<string, unknown>, mode: "create" | "patch", context: InputContext): Promise<Partial<WebhookInput>> {
  const issues: Issue[] = [];
  const allowed: readonly string[] = mode === "create" ? FIELDS : FIELDS.filter((f) => f !== "entity");
  for (const name of Object.keys(body)) {
    if (!allowed.includes(name)) issues.push({ code: "UNKNOWN_PROPERTY", pointer: `/${name.replace(/~/g, "~0").replace(/\//g, "~1")}`, message: `"${name}" is not a known property here; expected ${allowed.join(", ")}.` });
  }
  if (mode === "create") {
    for (const name of ["entity", "events", "url"]) {
      if (body[name] === undefined) issues.push({ code: "REQUIRED", pointer: `/${name}`, message: `"${name}" is required.` });
    }
  }
  const value: Partial<WebhookInput> = {};
  if (mode === "create" && body.entity !== undefined) {
    if (typeof body.entity !== "string" || !body.entity) issues.push({ code: "INVALID_TYPE", pointer: "/entity", message: "Expected an entity key." });
    else if (!(await context.entityExists(body.entity))) issues.push({ code: "UNKNOWN_ENTITY", pointer: "/entity", message: `There is no entity with key "${body.entity.slice(0, 100)}".` });
    else value.entity = body.entity;
  }
  if (body.events !== undefined) {
    const events = body.events;
    if (!Array.isArray(events) || events.length === 0) {
      issues.push({ code: "INVALID_TYPE", pointer: "/events", message: `Expected a non-empty array of ${WEBHOOK_EVENT_TYPES.join(", ")}.` });
    } else {
      events.forEach((e, i) => {
        if (!isWebhookEventType(e)) issues.push({ code: "INVALID_EVENT", pointer: `/events/${i}`, message: `Expected one of ${WEBHOOK_EVENT_TYPES.join(", ")}.` });
      });
      value.events = WEBHOOK_EVENT_TYPES.filter((t) => events.includes(t));
    }
  }
  if (body.url !== undefined) {
    const urlIssues = await checkWebhookUrl(body.url, "/url", context);
    if (urlIssues.length) issues.push(...urlIssues);
    else value.url = body.url as string;
  }
  if (body.description !== undefined) {
    if (body.description !== null && (typeof body.description !== "string" || body.description.length > 1000)) {
      issues.push({ code: "INVALID_TYPE", pointer: "/description", message: "Expected a string of at most 1000 characters, or null." });
    } else value.description = body.description;
  }
  if (body.active !== undefined) {
    if (typeof body.active !== "boolean") issues.push({ code: "INVALID_TYPE", pointer: "/active", message: "Expected true or false." });
    else value.active = body.active;
  }
  if (issues.length) throw ValidationFailed("The webhook has problems; see issues.", { issues });
  return value;
}
