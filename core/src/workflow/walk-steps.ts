import type { WorkflowStep } from "./types.ts";

/** One step list inside a step: its pointer relative to the step and whether it runs on found records. */
export interface ChildList {
  key: string;
  steps: WorkflowStep[];
  /** The list runs once per found record of this entity (findRecords). */
  loopEntity?: string;
}

/**
 * The step lists nested in a step, in document order.
 * @example childLists({ id: "a", type: "condition", if: "true", then: [s] }) // [{ key: "then", steps: [s] }]
 */
export function childLists(step: WorkflowStep): ChildList[] {
  switch (step.type) {
    case "condition":
    case "approval":
      return [...(step.then ? [{ key: "then", steps: step.then }] : []), ...(step.else ? [{ key: "else", steps: step.else }] : [])];
    case "branch":
      return [...step.branches.map((b, i) => ({ key: `branches/${i}/steps`, steps: b.steps })), ...(step.otherwise ? [{ key: "otherwise", steps: step.otherwise }] : [])];
    case "findRecords":
      return step.steps ? [{ key: "steps", steps: step.steps, loopEntity: step.entity }] : [];
    default:
      return [];
  }
}

/** A step with where it is: its JSON Pointer, the entity of the current record there, its nesting depth. */
export interface PlacedStep {
  step: WorkflowStep;
  pointer: string;
  entity: string;
  depth: number;
  /** Inside a findRecords loop (the current record is a found one, not the trigger's). */
  inLoop: boolean;
}

/**
 * Every step of a tree, parents before children, without recursion.
 * @example [...walkSteps(def.steps, def.entity)].map((s) => s.pointer) // ["/steps/0", "/steps/0/then/0", …]
 */
export function* walkSteps(steps: WorkflowStep[], entity: string, base = "/steps"): Generator<PlacedStep> {
  const stack: Array<{ steps: WorkflowStep[]; pointer: string; entity: string; depth: number; inLoop: boolean }> = [{ steps, pointer: base, entity, depth: 1, inLoop: false }];
  while (stack.length > 0) {
    const list = stack.shift()!;
    const nested: typeof stack = [];
    for (const [i, step] of list.steps.entries()) {
      const pointer = `${list.pointer}/${i}`;
      yield { step, pointer, entity: list.entity, depth: list.depth, inLoop: list.inLoop };
      for (const child of childLists(step)) {
        nested.push({ steps: child.steps, pointer: `${pointer}/${child.key}`, entity: child.loopEntity ?? list.entity, depth: list.depth + 1, inLoop: list.inLoop || child.loopEntity !== undefined });
      }
    }
    stack.unshift(...nested);
  }
}
