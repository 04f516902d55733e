import expressionSchema from "@crm/schemas/expression.schema.json" with { type: "json" };
import workflowSchema from "@crm/schemas/workflow.schema.json" with { type: "json" };
import { readAjvErrors, show, uniqueIssues } from "../definition/ajv-errors.ts";
import { createAjv } from "../definition/create-ajv.ts";
import { schemaIssueMessage } from "../definition/schema-issue-message.ts";
import type { Issue } from "../issues.ts";
import { STEP_TYPES, TRIGGER_TYPES } from "./types.ts";

const ajv = createAjv();
ajv.addSchema(expressionSchema);
const validate = ajv.compile(workflowSchema);

const FORMAT_RULES: Record<string, string> = {
  INVALID_WORKFLOW_ID: 'a workflow id is kebab-case, e.g. "lead-assignment"',
  INVALID_STEP_ID: 'a step id starts with a lowercase letter, then letters, digits, "-" or "_", e.g. "assign-owner"',
  INVALID_KEY: "a key starts with a lowercase letter and contains only letters and digits (camelCase)",
};

/**
 * Check a workflow definition against `workflow.schema.json`: one issue per problem, each with a
 * JSON Pointer. Only call it on input whose nesting is bounded (see `validateWorkflow`).
 * @example workflowSchemaIssues({ id: "x" })[0] // { code: "REQUIRED", pointer: "/name", message: "\"name\" is required." }
 */
export function workflowSchemaIssues(input: unknown): Issue[] {
  if (validate(input)) return [];
  return uniqueIssues(
    readAjvErrors(validate.errors).map((e) => {
      if (e.keyword !== "discriminator") return { code: e.code, pointer: e.pointer, message: schemaIssueMessage(e, FORMAT_RULES, "The workflow") };
      const trigger = e.pointer === "/trigger/type";
      const known = trigger ? TRIGGER_TYPES : STEP_TYPES;
      const code = trigger ? "UNKNOWN_TRIGGER_TYPE" : "UNKNOWN_STEP_TYPE";
      return { code, pointer: e.pointer, message: `${show(e.data)} is not a ${trigger ? "trigger" : "step"} type; use one of ${known.join(", ")}.` };
    }),
  );
}
