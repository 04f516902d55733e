import { describe, expect, it } from "vitest";
import { compileWorkflow, validateDefinitions } from "@crm/core";
import { loadShippedCrm, loadShippedWorkflows } from "./shipped-crm.ts";

describe("the shipped CRM definitions", () => {
  const definitions = loadShippedCrm();

  it("validate together", () => {
    const result = validateDefinitions(definitions);
    if (!result.ok) console.error(JSON.stringify(result.issues, null, 2));
    expect(result.ok).toBe(true);
  });

  it("label every entity, field and option in English and Simplified Chinese", () => {
    const missing: string[] = [];
    const check = (where: string, text: Record<string, string> | undefined): void => {
      if (!text?.["en"] || !text["zh-CN"]) missing.push(where);
    };
    for (const def of definitions) {
      check(def.key, def.label);
      check(`${def.key} (plural)`, def.pluralLabel);
      for (const field of def.fields) {
        check(`${def.key}.${field.key}`, field.label);
        if (field.type === "select" || field.type === "multiSelect") {
          for (const option of field.options) check(`${def.key}.${field.key}:${option.key}`, option.label);
        }
      }
    }
    expect(missing).toEqual([]);
  });
});

describe("the shipped CRM workflows", () => {
  const definitions = loadShippedCrm();
  const workflows = loadShippedWorkflows();

  it("cover the sales and service process the product brief names", () => {
    expect(workflows.map((w) => w.id)).toEqual(["lead-assignment", "opportunity-follow-up", "account-public-pool", "case-sla-escalation", "won-opportunity-onboarding", "discount-approval"]);
  });

  it.each(workflows.map((w) => [w.id, w] as const))("%s compiles against the shipped entities", (_id, workflow) => {
    const result = compileWorkflow(workflow, definitions);
    if (!result.ok) console.error(JSON.stringify(result.issues, null, 2));
    expect(result.ok).toBe(true);
  });
});
