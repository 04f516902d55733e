export * from "./types.ts";
export { compileWorkflow, WORKFLOW_VARIABLES, type CompiledWorkflow } from "./compile-workflow.ts";
export { workflowSchemaIssues } from "./workflow-schema-issues.ts";
export { walkSteps, childLists, type PlacedStep } from "./walk-steps.ts";
export { startCursor, currentStep, currentRecord, advance, stepList, type Cursor, type Frame, type RecordRef, type StepMove } from "./cursor.ts";
export { matchTrigger, type RecordChangeEvent, type TriggerContext } from "./match-trigger.ts";
export { retryDelayMs, DEFAULT_RETRY } from "./retry-delay.ts";
export { dueMoment, dueFieldRange, type DateRelativeTrigger } from "./due-moment.ts";
export { checkTriggerInputs, type TriggerInput } from "./check-trigger-inputs.ts";
