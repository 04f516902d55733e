import type { StepType } from "@crm/core";
import type { StepExecutor } from "../step-context.ts";
import { branchStep, conditionStep, stopStep } from "./flow-steps.ts";
import { createRecordStep, findRecordsStep, updateRecordStep } from "./record-steps.ts";

/**
 * The step executors that need nothing but the step context, by step type. The server adds `notify`
 * and `assignOwner` (people-steps.ts, which need the notification service). Types missing (wait,
 * approval, httpRequest, runPluginAction) fail their step with WORKFLOW_STEP_NOT_IMPLEMENTED until an
 * executor is registered: pass `executors` to `createWorkflows`.
 */
export function defaultExecutors(): Partial<Record<StepType, StepExecutor>> {
  return {
    condition: conditionStep,
    branch: branchStep,
    stop: stopStep,
    updateRecord: updateRecordStep,
    createRecord: createRecordStep,
    findRecords: findRecordsStep,
  };
}
