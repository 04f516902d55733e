import type { WorkflowDefinition, WorkflowStep } from "./types.ts";
import { childLists } from "./walk-steps.ts";

/** A record a run works on. */
export interface RecordRef {
  entity: string;
  id: string;
}

/**
 * One level of a run's position: a step list (by JSON Pointer) and the index in it; a findRecords
 * loop level also carries the found records and which one is current.
 */
export interface Frame {
  list: string;
  index: number;
  loop?: { entity: string; ids: string[]; at: number };
}

/** Where a run is: the stack of frames, innermost last. Empty: the run has finished its steps. */
export type Cursor = Frame[];

/** The position of a new run: the first top-level step. */
export function startCursor(): Cursor {
  return [{ list: "/steps", index: 0 }];
}

/** The step list at a pointer such as `/steps/0/then` or `/steps/2/branches/1/steps` (undefined if none). */
export function stepList(definition: WorkflowDefinition, list: string): WorkflowStep[] | undefined {
  if (!list.startsWith("/steps")) return undefined;
  const tokens = list.slice("/steps".length).split("/").slice(1);
  let steps: WorkflowStep[] | undefined = definition.steps;
  for (let i = 0; i < tokens.length && steps; ) {
    const step: WorkflowStep | undefined = steps[Number(tokens[i])];
    // A child list's key is one token, or three for a branch's steps (`branches/<n>/steps`).
    const width = tokens[i + 1] === "branches" ? 3 : 1;
    const key = tokens.slice(i + 1, i + 1 + width).join("/");
    steps = step && /^\d+$/.test(tokens[i]!) ? childLists(step).find((c) => c.key === key)?.steps : undefined;
    i += 1 + width;
  }
  return steps;
}

/**
 * The step the cursor points at, with its pointer; undefined when the run is done.
 * @example currentStep(def, startCursor()) // { step: def.steps[0], pointer: "/steps/0" }
 */
export function currentStep(definition: WorkflowDefinition, cursor: Cursor): { step: WorkflowStep; pointer: string } | undefined {
  const top = cursor[cursor.length - 1];
  if (!top) return undefined;
  const step = stepList(definition, top.list)?.[top.index];
  return step ? { step, pointer: `${top.list}/${top.index}` } : undefined;
}

/** The record steps act on at the cursor: the innermost loop's current record, else the trigger's. */
export function currentRecord(cursor: Cursor, trigger: RecordRef | null): RecordRef | null {
  for (let i = cursor.length - 1; i >= 0; i--) {
    const loop = cursor[i]!.loop;
    if (loop) return { entity: loop.entity, id: loop.ids[loop.at]! };
  }
  return trigger;
}

/** What a step asks for next. */
export type StepMove =
  | { kind: "next" }
  /** Run a nested list (relative to the step, e.g. `then`, `branches/1/steps`), then continue after the step. */
  | { kind: "enter"; list: string }
  /** Run a nested list once per record id, then continue after the step. */
  | { kind: "loop"; list: string; entity: string; ids: string[] }
  | { kind: "stop" };

/**
 * The cursor after the current step made `move`; a new array, the input is not changed.
 * An empty result means the run is done.
 * @example advance(def, [{ list: "/steps", index: 0 }], { kind: "enter", list: "then" }) // [{…index 0}, { list: "/steps/0/then", index: 0 }]
 */
export function advance(definition: WorkflowDefinition, cursor: Cursor, move: StepMove): Cursor {
  if (move.kind === "stop") return [];
  const next = cursor.map((frame) => ({ ...frame, ...(frame.loop ? { loop: { ...frame.loop } } : {}) }));
  const top = next[next.length - 1];
  if (!top) return [];
  const here = `${top.list}/${top.index}`;
  if (move.kind === "enter" && (stepList(definition, `${here}/${move.list}`)?.length ?? 0) > 0) {
    next.push({ list: `${here}/${move.list}`, index: 0 });
    return next;
  }
  if (move.kind === "loop" && move.ids.length > 0 && (stepList(definition, `${here}/${move.list}`)?.length ?? 0) > 0) {
    next.push({ list: `${here}/${move.list}`, index: 0, loop: { entity: move.entity, ids: move.ids, at: 0 } });
    return next;
  }
  top.index++;
  return settle(definition, next);
}

/** Leave finished lists: the next loop record, or the step after the parent. */
function settle(definition: WorkflowDefinition, cursor: Cursor): Cursor {
  while (cursor.length > 0) {
    const top = cursor[cursor.length - 1]!;
    if (top.index < (stepList(definition, top.list)?.length ?? 0)) return cursor;
    if (top.loop && top.loop.at + 1 < top.loop.ids.length) {
      top.loop.at++;
      top.index = 0;
      return cursor;
    }
    cursor.pop();
    const parent = cursor[cursor.length - 1];
    if (parent) parent.index++;
  }
  return cursor;
}
