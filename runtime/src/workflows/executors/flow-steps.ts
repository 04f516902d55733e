import type { StepExecutor } from "../step-context.ts";

/** condition: `then` when `if` is true; else `else` (a null condition is not true). */
export const conditionStep: StepExecutor = async (context) => {
  const holds = (await context.evaluate(`${context.pointer}/if`)) === true;
  return { move: { kind: "enter", list: holds ? "then" : "else" }, output: { result: holds } };
};

/** branch: the steps of the first branch whose `when` is true, else `otherwise`. */
export const branchStep: StepExecutor = async (context) => {
  if (context.step.type !== "branch") throw new Error("branchStep runs branch steps");
  for (const [i] of context.step.branches.entries()) {
    if ((await context.evaluate(`${context.pointer}/branches/${i}/when`)) === true) return { move: { kind: "enter", list: `branches/${i}/steps` }, output: { branch: i } };
  }
  return { move: { kind: "enter", list: "otherwise" }, output: { branch: "otherwise" } };
};

/** stop: ends the run with success or failure. */
export const stopStep: StepExecutor = async (context) => {
  if (context.step.type !== "stop") throw new Error("stopStep runs stop steps");
  const { outcome, message } = context.step;
  return { move: { kind: "stop" }, output: { outcome }, outcome: { status: outcome === "success" ? "succeeded" : "failed", ...(message ? { message } : {}) } };
};
