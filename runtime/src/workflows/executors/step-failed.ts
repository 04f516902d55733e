import { defineError } from "../../errors.ts";

/** A step that could not do its work (an expression failed, a value does not fit); the run retries it, then fails. */
export const StepFailed = defineError("WORKFLOW_STEP_FAILED", 422, "A workflow step failed");
/** A step type whose executor is not registered in this runtime. */
export const StepNotImplemented = defineError("WORKFLOW_STEP_NOT_IMPLEMENTED", 501, "This step type is not available");
