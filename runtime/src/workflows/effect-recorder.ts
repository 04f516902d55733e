import { AsyncLocalStorage } from "node:async_hooks";
import type { StepType } from "@crm/core";
import type { Approvals } from "../approvals/create-approvals.ts";
import type { Notifications } from "../notifications/create-notifications.ts";
import type { RecordEvents } from "../services/record-writes.ts";
import type { GuardedRequest } from "../webhooks/create-guarded-fetch.ts";
import type { StepExecutor } from "./step-context.ts";

/** One thing a workflow step did (or, in a dry run, would do) outside its own run's bookkeeping. */
export type WorkflowEffect =
  | { kind: "recordCreated"; entity: string; id: string; values: Record<string, unknown> }
  | { kind: "recordUpdated"; entity: string; id: string; changes: Record<string, { from: unknown; to: unknown }> }
  | { kind: "recordDeleted"; entity: string; id: string }
  | { kind: "notification"; recipients: string[]; subject: string; body: string | null }
  | { kind: "email"; recipients: string[]; subject: string; body: string | null }
  | { kind: "httpRequest"; method: string; url: string; headers: Record<string, string>; body: string | null }
  | { kind: "approvalRequested"; approvalId: string; approvers: string[]; subject: string; message: string | null; dueAt: string | null; onTimeout: string | null }
  | { kind: "pluginAction"; plugin: string; action: string; entity: string | null; id: string | null };

/** An effect with the step that caused it (`invocation` counts executor calls of this recorder, from 1). */
export type RecordedEffect = WorkflowEffect & { runId: string | null; workflowId: string | null; stepId: string | null; invocation: number | null; at: string | null };

/** What answers recorded HTTP requests: default 200 with `{}`. */
export type HttpResponder = (request: { method: string; url: string; headers: Record<string, string>; body: string | null }) => { status: number; body?: unknown };

interface Scope {
  runId: string;
  workflowId: string;
  stepId: string;
  invocation: number;
  at: string;
}

/** Bookkeeping columns every write touches: not a change anyone asked for. */
const NOT_CHANGES = new Set(["version", "updatedAt", "updatedBy"]);

function changesBetween(before: Record<string, unknown>, after: Record<string, unknown>): Record<string, { from: unknown; to: unknown }> {
  const changes: Record<string, { from: unknown; to: unknown }> = {};
  for (const key of Object.keys(after)) {
    if (NOT_CHANGES.has(key)) continue;
    if (JSON.stringify(before[key] ?? null) !== JSON.stringify(after[key] ?? null)) changes[key] = { from: before[key] ?? null, to: after[key] ?? null };
  }
  return changes;
}

/**
 * Records what workflow steps do, tagged with the run and step: record writes (an events sink), in-app
 * notifications and emails (around the notification service), approvals requested (around the
 * approval service) and HTTP calls (a `GuardedRequest` that sends nothing and answers from
 * `respond`). `wrap` puts every executor call in a scope, so effects know their step; a step that
 * throws rolls back its transaction, so its database effects are dropped (its HTTP calls stay: they
 * were made). The offline harness and the dry run both read their actions from here.
 * @example
 * const recorder = createEffectRecorder();
 * const executors = recorder.wrap({ notify: notifyStep(recorder.notifications(notifications)) });
 */
export function createEffectRecorder(options: { respond?: HttpResponder } = {}) {
  const scope = new AsyncLocalStorage<Scope>();
  let effects: RecordedEffect[] = [];
  const calls: Scope[] = [];
  let invocations = 0;

  function add(effect: WorkflowEffect, runId?: string | null): void {
    const at = scope.getStore();
    effects.push({ ...effect, runId: at?.runId ?? runId ?? null, workflowId: at?.workflowId ?? null, stepId: at?.stepId ?? null, invocation: at?.invocation ?? null, at: at?.at ?? null });
  }

  const events: RecordEvents = {
    mayEnqueue: () => true,
    async enqueue(_tx, event) {
      const runId = event.actor?.kind === "workflow" ? event.actor.runId : null;
      // Only a step's writes (people's fixture writes are not actions of a workflow).
      if (!scope.getStore() && runId === null) return;
      for (const r of event.records) {
        const record = (r.record ?? {}) as Record<string, unknown>;
        if (event.type === "created") add({ kind: "recordCreated", entity: event.entity, id: r.id, values: record }, runId);
        else if (event.type === "deleted") add({ kind: "recordDeleted", entity: event.entity, id: r.id }, runId);
        else add({ kind: "recordUpdated", entity: event.entity, id: r.id, changes: changesBetween((r.before ?? {}) as Record<string, unknown>, record) }, runId);
      }
    },
    notify() {},
  };

  const request: GuardedRequest = async (url, init) => {
    const body = init.body ?? null;
    add({ kind: "httpRequest", method: init.method, url, headers: init.headers, body });
    const answer = options.respond?.({ method: init.method, url, headers: init.headers, body }) ?? { status: 200, body: {} };
    const text = answer.body === undefined ? "" : typeof answer.body === "string" ? answer.body : JSON.stringify(answer.body);
    const type = typeof answer.body === "string" || answer.body === undefined ? "text/plain" : "application/json";
    return { status: answer.status, headers: { get: (name: string) => (name.toLowerCase() === "content-type" ? type : null) }, body: null, text: async () => text };
  };

  return {
    events,
    request,
    /** Record an effect in the current step's scope (executors that only say what they would do). */
    add,
    /** Each executor runs in a scope naming its run and step. */
    wrap(executors: Partial<Record<StepType, StepExecutor>>): Partial<Record<StepType, StepExecutor>> {
      const wrapped: Partial<Record<StepType, StepExecutor>> = {};
      for (const [type, executor] of Object.entries(executors) as Array<[StepType, StepExecutor]>) {
        wrapped[type] = async (context) => {
          const at: Scope = { runId: context.run.id, workflowId: context.run.workflowId, stepId: context.step.id, invocation: ++invocations, at: context.now.toISOString() };
          calls.push(at);
          try {
            return await scope.run(at, () => executor(context));
          } catch (error) {
            effects = effects.filter((e) => e.invocation !== at.invocation || e.kind === "httpRequest");
            throw error;
          }
        };
      }
      return wrapped;
    },
    /** The notification service, recording what each `send` asked for per channel. */
    notifications(real: Notifications): Notifications {
      return {
        ...real,
        async send(q, notice) {
          const sent = await real.send(q, notice);
          const recipients = [...notice.recipients];
          const channels = notice.channels?.length ? notice.channels : ["inApp"];
          for (const channel of channels) add({ kind: channel === "email" ? "email" : "notification", recipients, subject: notice.subject, body: notice.body ?? null });
          return sent;
        },
      };
    },
    /** The approval service, recording each request it makes. */
    approvals(real: Approvals): Approvals {
      return {
        ...real,
        async request(tx, input) {
          const made = await real.request(tx, input);
          add({ kind: "approvalRequested", approvalId: made.id, approvers: made.approvers, subject: made.subject, message: made.message, dueAt: made.dueAt, onTimeout: made.onTimeout });
          return made;
        },
      };
    },
    /** Every executor call so far, in order: its run, step and invocation number. */
    calls(): readonly Scope[] {
      return calls;
    },
    /** Everything recorded so far, oldest first. */
    all(): RecordedEffect[] {
      return [...effects];
    },
    /** Everything recorded since the last `take`, and forget it. */
    take(): RecordedEffect[] {
      const taken = effects;
      effects = [];
      return taken;
    },
  };
}

export type EffectRecorder = ReturnType<typeof createEffectRecorder>;
