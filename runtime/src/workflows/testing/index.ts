export { createWorkflowHarness, type WorkflowHarness, type HarnessOptions, type Duration } from "./create-workflow-harness.ts";
export { createMemoryJobQueue, type MemoryJobQueue } from "./memory-job-queue.ts";
export { createEffectRecorder, type EffectRecorder, type RecordedEffect, type WorkflowEffect, type HttpResponder } from "../effect-recorder.ts";
