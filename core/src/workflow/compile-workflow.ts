import { parseListQuery } from "../query/parse-list-query.ts";
import { resolveListQuery } from "../query/resolve-list-query.ts";
import type { EntityDefinition, FieldDefinition } from "../definition/types.ts";
import { READ_ONLY_SYSTEM_FIELDS, SYSTEM_FIELDS } from "../definition/types.ts";
import { compileExpression, type CompiledExpression } from "../expression/compile-expression.ts";
import { T, USER_ENTITY, fieldType, systemFieldType, type ExpressionType } from "../expression/expression-type.ts";
import { escapePointerToken, type Issue, type Result } from "../issues.ts";
import { checkCron } from "../plugins/check-cron.ts";
import { isTimeZone } from "../expression/time-zone.ts";
import { exceedsDepth } from "./json-depth.ts";
import type { WorkflowDefinition, WorkflowStep, WorkflowTrigger } from "./types.ts";
import { WORKFLOW_LIMITS } from "./types.ts";
import { walkSteps, type PlacedStep } from "./walk-steps.ts";
import { workflowSchemaIssues } from "./workflow-schema-issues.ts";

/** A checked workflow: its definition, every expression compiled (by JSON Pointer), every step by id. */
export interface CompiledWorkflow {
  definition: WorkflowDefinition;
  /** Compiled expressions by the JSON Pointer of their text in the definition. */
  expressions: ReadonlyMap<string, CompiledExpression>;
  /** Steps by id, with their pointer and the entity of the current record there. */
  steps: ReadonlyMap<string, PlacedStep>;
}

/** The variables every workflow expression may read. */
export const WORKFLOW_VARIABLES: Readonly<Record<string, ExpressionType>> = { userId: { kind: "reference", entity: USER_ENTITY }, runId: T.text };

/**
 * Validate a workflow definition (schema, then meaning) against the live entity definitions and
 * compile its expressions. Every issue at once, each with a JSON Pointer; expression issues also
 * carry the position in the expression text. Hostile input (deep nesting, huge documents) gives
 * issues, never an exception.
 * @example
 * const result = compileWorkflow(definition, entities);
 * if (!result.ok) return result.issues; // [{ code: "UNKNOWN_FIELD", pointer: "/steps/0/if", message: "… (line 1, column 1)" }]
 * result.value.expressions.get("/steps/0/if")!.evaluate(record, context);
 */
export function compileWorkflow(input: unknown, entities: readonly EntityDefinition[]): Result<CompiledWorkflow> {
  if (exceedsDepth(input, WORKFLOW_LIMITS.maxJsonDepth)) {
    return { ok: false, issues: [{ code: "WORKFLOW_TOO_DEEP", pointer: "", message: `The workflow nests deeper than ${WORKFLOW_LIMITS.maxJsonDepth} levels of JSON.` }] };
  }
  const schemaIssues = workflowSchemaIssues(input);
  if (schemaIssues.length > 0) return { ok: false, issues: schemaIssues };
  const definition = input as WorkflowDefinition;
  const checker = createWorkflowChecker(definition, entities);
  const entity = checker.entity(definition.entity, "/entity");
  if (!entity) return { ok: false, issues: checker.issues };
  checkTrigger(checker, definition.trigger, entity);
  const steps = new Map<string, PlacedStep>();
  let count = 0;
  for (const placed of walkSteps(definition.steps, entity.key)) {
    count++;
    if (placed.depth > WORKFLOW_LIMITS.maxStepDepth) {
      checker.issues.push({ code: "STEPS_TOO_DEEP", pointer: placed.pointer, message: `Steps nest at most ${WORKFLOW_LIMITS.maxStepDepth} levels deep.` });
      continue;
    }
    const seen = steps.get(placed.step.id);
    if (seen) checker.issues.push({ code: "DUPLICATE_STEP_ID", pointer: `${placed.pointer}/id`, message: `Step id "${placed.step.id}" is already used at ${seen.pointer}.` });
    else steps.set(placed.step.id, placed);
    checkStep(checker, placed, definition.trigger);
  }
  if (count > WORKFLOW_LIMITS.maxSteps) checker.issues.push({ code: "TOO_MANY_STEPS", pointer: "/steps", message: `A workflow has at most ${WORKFLOW_LIMITS.maxSteps} steps (this one has ${count}).` });
  if (checker.issues.length > 0) return { ok: false, issues: checker.issues };
  return { ok: true, value: { definition, expressions: checker.expressions, steps } };
}

interface WorkflowChecker {
  issues: Issue[];
  expressions: Map<string, CompiledExpression>;
  variables: Record<string, ExpressionType>;
  entities: readonly EntityDefinition[];
  entity(key: string, pointer: string): EntityDefinition | undefined;
  expression(source: string | undefined, entity: EntityDefinition, pointer: string, expect?: ExpressionType): void;
}

function createWorkflowChecker(definition: WorkflowDefinition, entities: readonly EntityDefinition[]): WorkflowChecker {
  const byKey = new Map(entities.map((e) => [e.key, e]));
  const variables: Record<string, ExpressionType> = { ...WORKFLOW_VARIABLES };
  if (definition.trigger.type === "webhook") variables["payload"] = T.json;
  if (definition.trigger.type === "manual" || definition.trigger.type === "webhook") for (const input of definition.trigger.inputs ?? []) variables[input.key] ??= T[input.type];
  const checker: WorkflowChecker = {
    issues: [],
    expressions: new Map(),
    variables,
    entities,
    entity(key, pointer) {
      const found = byKey.get(key);
      if (!found) checker.issues.push({ code: "UNKNOWN_ENTITY", pointer, message: `There is no entity with key "${key}".` });
      return found;
    },
    expression(source, entity, pointer, expect) {
      if (source === undefined) return;
      const compiled = compileExpression(source, { entity, entities, variables }, expect ? { pointer, expect } : { pointer });
      if (compiled.ok) checker.expressions.set(pointer, compiled.value);
      else checker.issues.push(...compiled.issues);
    },
  };
  return checker;
}

function findField(entity: EntityDefinition, key: string): FieldDefinition | undefined {
  return entity.fields.find((f) => f.key === key);
}

/** The type of a field or system field of `entity`, or an issue. */
function fieldOrSystemType(checker: WorkflowChecker, entity: EntityDefinition, key: string, pointer: string): ExpressionType | undefined {
  if ((SYSTEM_FIELDS as readonly string[]).includes(key)) return systemFieldType(key, entity);
  const field = findField(entity, key);
  if (!field) {
    checker.issues.push({ code: "UNKNOWN_FIELD", pointer, message: `${entity.key} has no field "${key}".` });
    return undefined;
  }
  const type = fieldType(field);
  if (!type) checker.issues.push({ code: "INVALID_FIELD", pointer, message: `"${key}" is a oneToMany relation: it has no value on the record.` });
  return type;
}

function checkTrigger(checker: WorkflowChecker, trigger: WorkflowTrigger, entity: EntityDefinition): void {
  if ("condition" in trigger) checker.expression(trigger.condition, entity, "/trigger/condition", T.boolean);
  switch (trigger.type) {
    case "recordUpdated":
      for (const [i, key] of (trigger.fields ?? []).entries()) fieldOrSystemType(checker, entity, key, `/trigger/fields/${i}`);
      return;
    case "fieldChanged": {
      const type = fieldOrSystemType(checker, entity, trigger.field, "/trigger/field");
      if (type?.kind === "select") {
        for (const side of ["from", "to"] as const) {
          const value = trigger[side];
          if (value !== undefined && value !== null && !type.options.includes(value as string)) {
            checker.issues.push({ code: "UNKNOWN_OPTION", pointer: `/trigger/${side}`, message: `${JSON.stringify(value).slice(0, 60)} is not an option of "${trigger.field}" (${type.options.join(", ")}).` });
          }
        }
      }
      return;
    }
    case "schedule": {
      const problem = checkCron(trigger.cron);
      if (problem !== undefined) checker.issues.push({ code: "INVALID_CRON", pointer: "/trigger/cron", message: `"${trigger.cron}" is not a valid cron expression: ${problem}.` });
      checkTimeZone(checker, trigger.timeZone);
      return;
    }
    case "manual":
    case "webhook":
      checkInputKeys(checker, trigger.inputs ?? [], trigger.type === "webhook");
      if (trigger.type === "webhook" && trigger.recordIdFrom !== undefined && !/^(\/([^~]|~[01])*)*$/.test(trigger.recordIdFrom)) {
        checker.issues.push({ code: "INVALID_POINTER", pointer: "/trigger/recordIdFrom", message: `"${trigger.recordIdFrom.slice(0, 60)}" is not a JSON Pointer (e.g. "/data/caseId").` });
      }
      return;
    case "dateRelative": {
      const type = fieldOrSystemType(checker, entity, trigger.field, "/trigger/field");
      if (type && type.kind !== "date" && type.kind !== "datetime") checker.issues.push({ code: "INVALID_FIELD", pointer: "/trigger/field", message: `"${trigger.field}" is not a date or date-time field.` });
      checkTimeZone(checker, trigger.timeZone);
      return;
    }
    default:
      return;
  }
}

/** Input keys are unique and do not shadow the variables every workflow has. */
function checkInputKeys(checker: WorkflowChecker, inputs: readonly { key: string }[], webhook: boolean): void {
  const taken = new Set([...Object.keys(WORKFLOW_VARIABLES), ...(webhook ? ["payload"] : [])]);
  for (const [i, input] of inputs.entries()) {
    if (taken.has(input.key)) checker.issues.push({ code: "DUPLICATE_INPUT", pointer: `/trigger/inputs/${i}/key`, message: `"${input.key}" is already a variable${Object.hasOwn(WORKFLOW_VARIABLES, input.key) || input.key === "payload" ? " every such workflow has" : " (an earlier input)"}.` });
    taken.add(input.key);
  }
}

function checkTimeZone(checker: WorkflowChecker, zone: string | undefined): void {
  if (zone !== undefined && !isTimeZone(zone)) checker.issues.push({ code: "INVALID_TIMEZONE", pointer: "/trigger/timeZone", message: `"${zone}" is not a known IANA time zone.` });
}

/** Field values written by an update or create: writable fields, each expression fitting its field. */
function checkValues(checker: WorkflowChecker, values: Record<string, string>, target: EntityDefinition, current: EntityDefinition, pointer: string): void {
  for (const [key, source] of Object.entries(values)) {
    const at = `${pointer}/${key}`;
    if ((READ_ONLY_SYSTEM_FIELDS as readonly string[]).includes(key) || findField(target, key)?.type === "autoNumber") {
      checker.issues.push({ code: "FIELD_NOT_WRITABLE", pointer: at, message: `"${key}" is set by the system and cannot be written.` });
      continue;
    }
    const type = fieldOrSystemType(checker, target, key, at);
    if (type) checker.expression(source, current, at, type);
    const field = findField(target, key);
    if (field && (field.type === "select" || field.type === "multiSelect")) {
      const unknown = literalKeys(source).filter((value) => !field.options.some((o) => o.key === value));
      if (unknown.length) checker.issues.push({ code: "UNKNOWN_OPTION", pointer: at, message: `${unknown.map((u) => JSON.stringify(u).slice(0, 60)).join(", ")} is not an option of "${key}" (${field.options.map((o) => o.key).join(", ")}).` });
    }
  }
}

/** The text constants of a value given as a literal (`"won"`, `["a", "b"]`); none for anything computed. */
function literalKeys(source: string): string[] {
  let value: unknown;
  try {
    value = JSON.parse(source.trim());
  } catch {
    return [];
  }
  if (typeof value === "string") return [value];
  return Array.isArray(value) && value.every((v) => typeof v === "string") ? (value as string[]) : [];
}

function checkStep(checker: WorkflowChecker, placed: PlacedStep, trigger: WorkflowTrigger): void {
  const { pointer } = placed;
  const step: WorkflowStep = placed.step;
  const current = checker.entity(placed.entity, pointer);
  if (!current) return;
  const text = (source: string | undefined, at: string) => checker.expression(source, current, `${pointer}/${at}`, T.text);
  switch (step.type) {
    case "condition":
      checker.expression(step.if, current, `${pointer}/if`, T.boolean);
      return;
    case "branch":
      step.branches.forEach((b, i) => checker.expression(b.when, current, `${pointer}/branches/${i}/when`, T.boolean));
      return;
    case "updateRecord":
      if (trigger.type === "recordDeleted" && !placed.inLoop) checker.issues.push({ code: "RECORD_DELETED", pointer, message: "The record of a recordDeleted trigger no longer exists: it cannot be updated." });
      checkValues(checker, step.values, current, current, `${pointer}/values`);
      return;
    case "createRecord": {
      const target = checker.entity(step.entity, `${pointer}/entity`);
      if (!target) return;
      checkValues(checker, step.values, target, current, `${pointer}/values`);
      for (const field of target.fields) {
        if (field.required && !("default" in field && field.default !== undefined) && field.type !== "autoNumber" && step.values[field.key] === undefined) {
          checker.issues.push({ code: "REQUIRED_FIELD_MISSING", pointer: `${pointer}/values`, message: `"${field.key}" is required on ${target.key}: give it a value.` });
        }
      }
      return;
    }
    case "findRecords": {
      const target = checker.entity(step.entity, `${pointer}/entity`);
      if (!target) return;
      for (const [i, condition] of (step.where ?? []).entries()) {
        const type = fieldOrSystemType(checker, target, condition.field, `${pointer}/where/${i}/field`);
        if (type) checker.expression(condition.value, current, `${pointer}/where/${i}/value`, type);
      }
      if (step.sort !== undefined) fieldOrSystemType(checker, target, step.sort.replace(/^-/, ""), `${pointer}/sort`);
      return;
    }
    case "wait":
      if ((step.until === undefined) === (step.duration === undefined)) checker.issues.push({ code: "INVALID_VALUE", pointer, message: "A wait step has either a duration or until, not both and not neither." });
      if (step.until !== undefined) {
        const before = checker.issues.length;
        checker.expression(step.until, current, `${pointer}/until`);
        const type = checker.expressions.get(`${pointer}/until`)?.type;
        if (checker.issues.length === before && type && type.kind !== "date" && type.kind !== "datetime" && type.kind !== "null") {
          checker.issues.push({ code: "TYPE_MISMATCH", pointer: `${pointer}/until`, message: "until must give a date or a date-time." });
        }
      }
      return;
    case "assignOwner":
      if (step.openFilter?.length) checkOpenFilter(checker, step.openFilter, current, `${pointer}/openFilter`);
      step.rules?.forEach((r, i) => checker.expression(r.when, current, `${pointer}/rules/${i}/when`, T.boolean));
      if (step.strategy === "rules" ? !step.rules?.length : !step.pool) {
        checker.issues.push({ code: "REQUIRED", pointer: `${pointer}/${step.strategy === "rules" ? "rules" : "pool"}`, message: step.strategy === "rules" ? "The rules strategy needs rules." : `The ${step.strategy} strategy needs a pool of users.` });
      }
      return;
    case "notify":
      text(step.subject, "subject");
      text(step.body, "body");
      return;
    case "approval":
      text(step.message, "message");
      if (step.onTimeout === "escalate" && !step.escalateTo) checker.issues.push({ code: "REQUIRED", pointer: `${pointer}/escalateTo`, message: "Escalating on timeout needs escalateTo." });
      return;
    case "httpRequest":
      text(step.url, "url");
      for (const [name, source] of Object.entries(step.headers ?? {})) text(source, `headers/${escapePointerToken(name)}`);
      for (const [name, source] of Object.entries(step.body ?? {})) checker.expression(source, current, `${pointer}/body/${escapePointerToken(name)}`);
      return;
    case "stop":
    case "runPluginAction":
      return;
    default: {
      const never: never = step;
      return never;
    }
  }
}

/** loadBalanced's open filter: list API filters that parse and fit the entity (the runtime counts with them). */
function checkOpenFilter(checker: WorkflowChecker, filters: readonly string[], entity: EntityDefinition, pointer: string): void {
  const params = new URLSearchParams();
  for (const filter of filters) params.append("filter", filter);
  const parsed = parseListQuery(params);
  const resolved = parsed.ok ? resolveListQuery(parsed.value, entity, checker.entities) : parsed;
  if (!resolved.ok) for (const issue of resolved.issues) checker.issues.push({ code: issue.code, pointer, message: issue.message });
}
