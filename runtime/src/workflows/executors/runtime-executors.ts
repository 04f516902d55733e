import type { StepType } from "@crm/core";
import type { Approvals } from "../../approvals/create-approvals.ts";
import type { Notifications } from "../../notifications/create-notifications.ts";
import type { Plugins } from "../../plugins/create-plugins.ts";
import type { GuardedRequest } from "../../webhooks/create-guarded-fetch.ts";
import type { StepExecutor } from "../step-context.ts";
import { httpRequestStep } from "./http-request-step.ts";
import { assignOwnerStep, notifyStep } from "./people-steps.ts";
import { pluginActionStep } from "./plugin-action-step.ts";
import { approvalStep, waitStep } from "./waiting-steps.ts";

export interface RuntimeExecutorDeps {
  notifications: Notifications;
  approvals: Approvals;
  /** Where HTTP steps send (the SSRF guard; a recorder in the harness and the dry run). */
  request: GuardedRequest;
  http: { allowedHosts: readonly string[]; secret: string | undefined };
  /** The installed plugins, once the plugin runtime exists. */
  plugins: () => Plugins | undefined;
}

/**
 * The executors that need the runtime's services (added to `defaultExecutors` by `createWorkflows`):
 * what the server, the offline harness and the dry run all run, each with its own services.
 */
export function runtimeExecutors(deps: RuntimeExecutorDeps): Partial<Record<StepType, StepExecutor>> {
  return {
    notify: notifyStep(deps.notifications),
    assignOwner: assignOwnerStep,
    wait: waitStep,
    approval: approvalStep(deps.approvals),
    httpRequest: httpRequestStep({ request: deps.request, allowedHosts: deps.http.allowedHosts, secret: deps.http.secret }),
    runPluginAction: pluginActionStep(deps.plugins),
  };
}
