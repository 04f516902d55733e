import type { StepType } from "@crm/core";
import type { StepExecutor } from "../step-context.ts";
import { branchStep, conditionStep, stopStep } from "./flow-steps.ts";
import { createRecordStep, findRecordsStep, updateRecordStep } from "./record-steps.ts";

/**
 * The step executors that need nothing but the step context, by step type. The others (notify,
 * assignOwner, wait, approval, httpRequest, runPluginAction) need the runtime's services:
 * `runtimeExecutors` builds them. A type with no executor fails its step with
 * WORKFLOW_STEP_NOT_IMPLEMENTED.
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
