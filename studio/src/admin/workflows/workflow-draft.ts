import { compileWorkflow, walkSteps, TRIGGER_TYPES, type EntityDefinition, type Issue, type StepType, type WorkflowDefinition, type WorkflowStep, type WorkflowTrigger } from "@crm/core";
import type { AdminWorkflow } from "../../api/workflows.ts";
import { newId } from "../designer/draft.ts";

/** Step types the editor has a form for; the others are edited as JSON. */
export const FORM_STEP_TYPES = ["condition", "updateRecord", "createRecord", "notify", "wait", "approval", "stop"] as const satisfies readonly StepType[];
export const hasForm = (type: string) => (FORM_STEP_TYPES as readonly string[]).includes(type);

/** Trigger types whose definition may carry a condition. */
export const CONDITION_TRIGGERS = new Set(["recordCreated", "recordUpdated", "recordDeleted", "fieldChanged", "schedule", "dateRelative"]);

/** An expression issue from core's checker: the span of the expression text it is about. */
export type PositionedIssue = Issue & { offset?: number; length?: number; line?: number; column?: number };

/** A new, disabled workflow on `entity` that starts when a record is created and has no steps yet. */
export function newWorkflow(entity: string): WorkflowDefinition {
  return { id: "", name: "", entity, enabled: false, trigger: { type: "recordCreated" }, steps: [] };
}

/** The stored definition without what the server adds (version, state, times): what the editor edits and saves. */
export function editable(workflow: AdminWorkflow): WorkflowDefinition {
  const { version: _v, enabled: _e, createdAt: _c, updatedAt: _u, ...definition } = workflow;
  return structuredClone(definition) as WorkflowDefinition;
}

/** A trigger of `type`, keeping the condition where the new type has one. */
export function withTriggerType(trigger: WorkflowTrigger, type: WorkflowTrigger["type"], entity?: EntityDefinition): WorkflowTrigger {
  const condition = "condition" in trigger && CONDITION_TRIGGERS.has(type) ? { condition: trigger.condition } : {};
  const firstDate = entity?.fields.find((f) => f.type === "date" || f.type === "datetime")?.key ?? "createdAt";
  const next: Record<(typeof TRIGGER_TYPES)[number], WorkflowTrigger> = {
    recordCreated: { type: "recordCreated" },
    recordUpdated: { type: "recordUpdated" },
    recordDeleted: { type: "recordDeleted" },
    fieldChanged: { type: "fieldChanged", field: entity?.fields[0]?.key ?? "" },
    schedule: { type: "schedule", cron: "0 8 * * 1" },
    dateRelative: { type: "dateRelative", field: firstDate, offset: { amount: 1, unit: "days" }, direction: "before" },
    manual: { type: "manual", selection: "one" },
    webhook: { type: "webhook" },
  };
  const base = next[type];
  return { ...base, ...(condition.condition === undefined ? {} : condition) } as WorkflowTrigger;
}

/** Every step id of a tree (nested lists included). */
export function stepIds(steps: readonly unknown[]): string[] {
  const ids: string[] = [];
  JSON.stringify(steps, (key, value) => {
    if (value && typeof value === "object" && !Array.isArray(value) && typeof (value as { id?: unknown }).id === "string" && typeof (value as { type?: unknown }).type === "string") ids.push((value as { id: string }).id);
    return value;
  });
  return ids;
}

/**
 * A new step of `type` with an id no other step has, in a shape core accepts where that needs no
 * choice (an update sets the entity's first field to itself; a create gives each required field of
 * the same entity its own value; a condition's branch stops) so the admin edits from a valid start.
 */
export function newStep(type: StepType, taken: readonly string[], entity?: EntityDefinition): WorkflowStep {
  const id = newId(type.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`), taken);
  const stop = () => ({ id: newId("stop", [...taken, id]), type: "stop", outcome: "success" });
  const writable = (entity?.fields ?? []).filter((f) => f.type !== "autoNumber" && !(f.type === "relation" && f.relation === "oneToMany"));
  const first = writable[0]?.key;
  const required = writable.filter((f) => f.required && !("default" in f && f.default !== undefined)).map((f) => f.key);
  const shapes: Record<StepType, { type: StepType } & Record<string, unknown>> = {
    condition: { type: "condition", if: "true", then: [stop()] },
    branch: { type: "branch", branches: [{ when: "true", steps: [stop()] }] },
    updateRecord: { type: "updateRecord", values: first ? { [first]: first } : {} },
    createRecord: { type: "createRecord", entity: entity?.key ?? "", values: Object.fromEntries((required.length ? required : first ? [first] : []).map((k) => [k, k])) },
    findRecords: { type: "findRecords", entity: entity?.key ?? "", limit: 50 },
    stop: { type: "stop", outcome: "success" },
    wait: { type: "wait", duration: { amount: 1, unit: "days" } },
    assignOwner: { type: "assignOwner", strategy: "roundRobin", pool: { owner: true } },
    notify: { type: "notify", recipients: { owner: true }, channels: ["inApp"], subject: '"Notice"' },
    approval: { type: "approval", approvers: { ownerManager: true } },
    httpRequest: { type: "httpRequest", method: "POST", url: '"https://example.com/hook"' },
    runPluginAction: { type: "runPluginAction", plugin: "plugin-id", action: "action" },
  };
  return { id, ...structuredClone(shapes[type]) } as unknown as WorkflowStep;
}

/** Optional step lists the form shows empty are left out of what is checked and saved (a list holds at least one step). */
export function withoutEmptyLists(definition: WorkflowDefinition): WorkflowDefinition {
  const copy = JSON.parse(JSON.stringify(definition)) as WorkflowDefinition;
  const prune = (steps: WorkflowStep[]) => {
    for (const step of steps as Array<WorkflowStep & Record<string, unknown>>) {
      for (const key of ["then", "else", "steps", "otherwise"]) {
        const list = step[key];
        if (!Array.isArray(list)) continue;
        if (list.length === 0 && !(step.type === "condition" && key === "then")) delete step[key];
        else prune(list as WorkflowStep[]);
      }
      if (step.type === "branch") for (const branch of step.branches) prune(branch.steps);
    }
  };
  prune(copy.steps);
  return copy;
}

/** Move the item at `index` by `delta` places (a no-op past either end). */
export function move<T>(list: T[], index: number, delta: number): void {
  const to = index + delta;
  if (to < 0 || to >= list.length) return;
  const [item] = list.splice(index, 1);
  list.splice(to, 0, item!);
}

/** Step lists a form edits in place, by their key under the step (`then`, `else`, `steps`). */
export function nestedLists(step: WorkflowStep): Array<{ key: "then" | "else" | "steps"; steps: WorkflowStep[] }> {
  if (step.type === "condition" || step.type === "approval") return [{ key: "then", steps: (step.then ??= []) }, { key: "else", steps: (step.else ??= []) }];
  return [];
}

/**
 * Check a draft as the server will, with core's `compileWorkflow` against the entity definitions:
 * every issue at once, by JSON Pointer; an expression's issues also carry their span in its text.
 * While parts of the draft are still incomplete (core then reports only their shape), the rest is
 * checked too, with those parts set aside, so an expression's type error shows as soon as it is typed.
 * @example checkDraft(draft, entities) // [{ code: "UNKNOWN_FIELD", pointer: "/steps/0/if", offset: 0, length: 5, … }]
 */
export function checkDraft(draft: WorkflowDefinition, entities: readonly EntityDefinition[]): PositionedIssue[] {
  const definition = withoutEmptyLists(draft);
  const result = compileWorkflow(definition, entities);
  if (result.ok) return [];
  const rest = setAside(definition, result.issues);
  if (!rest) return result.issues;
  const more = compileWorkflow(rest, entities);
  if (more.ok || more.issues.some((i) => i.code === "REQUIRED" || i.code.startsWith("TOO_") || i.code.startsWith("INVALID_TYPE"))) return result.issues;
  const seen = new Set(result.issues.map((i) => `${i.pointer} ${i.code}`));
  return [...result.issues, ...more.issues.filter((i) => !seen.has(`${i.pointer} ${i.code}`))];
}

/**
 * A copy of `definition` without the parts these shape issues are about: a step with an issue inside
 * it becomes a plain stop step (same id), an empty step list gets one, a broken trigger starts on create.
 * Undefined when the issues are not about parts it knows how to set aside.
 */
function setAside(definition: WorkflowDefinition, issues: readonly Issue[]): WorkflowDefinition | undefined {
  const copy = JSON.parse(JSON.stringify(definition)) as WorkflowDefinition;
  try {
    const placed = [...walkSteps(copy.steps, copy.entity)].map((p) => p.pointer).sort((a, b) => b.length - a.length);
    const replace = new Set<string>();
    for (const issue of issues) {
      const at = issue.pointer;
      if (at === "/id") copy.id = "draft";
      else if (at === "/name") copy.name = "draft";
      else if (at === "/steps" && copy.steps.length === 0) copy.steps.push({ id: "draft-stop", type: "stop", outcome: "success" });
      else if (at.startsWith("/trigger")) copy.trigger = { type: "recordCreated" };
      else {
        const step = placed.find((p) => at === p || at.startsWith(`${p}/`));
        if (!step) return undefined;
        replace.add(step);
      }
    }
    for (const placedStep of walkSteps(copy.steps, copy.entity)) {
      if (!replace.has(placedStep.pointer)) continue;
      const step = placedStep.step as unknown as Record<string, unknown>;
      const id = typeof step.id === "string" && step.id ? step.id : `draft-${placedStep.pointer.replaceAll("/", "-")}`;
      for (const key of Object.keys(step)) delete step[key];
      Object.assign(step, { id, type: "stop", outcome: "success" });
    }
    return copy;
  } catch {
    return undefined;
  }
}

/**
 * `amount`, `"text"`, `[1, 2]` as typed into a trigger's from/to box: JSON when it parses, else the
 * text itself; empty is no value.
 */
export function literalValue(text: string): unknown {
  const trimmed = text.trim();
  if (trimmed === "") return undefined;
  try {
    return JSON.parse(trimmed);
  } catch {
    return trimmed;
  }
}

export function literalText(value: unknown): string {
  return value === undefined ? "" : typeof value === "string" ? value : JSON.stringify(value);
}
