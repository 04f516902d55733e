import { describe, expect, it } from "vitest";
import { compileWorkflow } from "./compile-workflow.ts";
import type { WorkflowStep } from "./types.ts";
import { entities, wonDeal } from "./workflow-fixtures.test-support.ts";

function issuesOf(input: unknown) {
  const result = compileWorkflow(input, entities);
  return result.ok ? [] : result.issues.map((i) => ({ code: i.code, pointer: i.pointer }));
}

function withSteps(steps: unknown[], trigger: unknown = { type: "recordCreated" }) {
  return { ...wonDeal(), trigger, steps };
}

describe("compileWorkflow", () => {
  it("accepts a workflow and compiles each expression under its pointer", () => {
    const result = compileWorkflow(wonDeal(), entities);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect([...result.value.expressions.keys()]).toEqual(
      expect.arrayContaining(["/steps/0/if", "/steps/0/then/0/values/nextStep", "/steps/1/values/dueAt", "/steps/2/where/0/value", "/steps/2/steps/0/values/description"]),
    );
    expect(result.value.steps.get("touch")).toMatchObject({ pointer: "/steps/2/steps/0", entity: "contact", inLoop: true });
  });

  it.each([
    ["a missing name", { ...wonDeal(), name: undefined }, [{ code: "REQUIRED", pointer: "/name" }]],
    ["an unknown step type", withSteps([{ id: "x", type: "teleport" }]), [{ code: "UNKNOWN_STEP_TYPE", pointer: "/steps/0/type" }]],
    ["an unknown property", withSteps([{ id: "x", type: "stop", outcome: "success", colour: 1 }]), [{ code: "UNKNOWN_PROPERTY", pointer: "/steps/0/colour" }]],
    ["a bad workflow id", { ...wonDeal(), id: "Not Kebab" }, [{ code: "INVALID_WORKFLOW_ID", pointer: "/id" }]],
    ["an unknown entity", { ...wonDeal(), entity: "spaceship" }, [{ code: "UNKNOWN_ENTITY", pointer: "/entity" }]],
    ["an unknown field in a condition", withSteps([{ id: "c", type: "condition", if: "amout > 1", then: [{ id: "s", type: "stop", outcome: "success" }] }]), [{ code: "UNKNOWN_FIELD", pointer: "/steps/0/if" }]],
    ["a condition that is not boolean", withSteps([{ id: "c", type: "condition", if: "name", then: [{ id: "s", type: "stop", outcome: "success" }] }]), [{ code: "TYPE_MISMATCH", pointer: "/steps/0/if" }]],
    ["a misspelt option", withSteps([{ id: "c", type: "condition", if: 'stage = "closed_wno"', then: [{ id: "s", type: "stop", outcome: "success" }] }]), [{ code: "UNKNOWN_OPTION", pointer: "/steps/0/if" }]],
    ["a value of the wrong type", withSteps([{ id: "u", type: "updateRecord", values: { probability: '"high"' } }]), [{ code: "TYPE_MISMATCH", pointer: "/steps/0/values/probability" }]],
    ["an unknown field to update", withSteps([{ id: "u", type: "updateRecord", values: { colour: '"red"' } }]), [{ code: "UNKNOWN_FIELD", pointer: "/steps/0/values/colour" }]],
    ["a system field", withSteps([{ id: "u", type: "updateRecord", values: { createdAt: "now()" } }]), [{ code: "FIELD_NOT_WRITABLE", pointer: "/steps/0/values/createdAt" }]],
    ["a required field left out of a create", withSteps([{ id: "c", type: "createRecord", entity: "opportunity", values: { name: '"x"', stage: '"prospecting"' } }]), [{ code: "REQUIRED_FIELD_MISSING", pointer: "/steps/0/values" }]],
    ["an unknown entity to create", withSteps([{ id: "c", type: "createRecord", entity: "ufo", values: { a: '"x"' } }]), [{ code: "UNKNOWN_ENTITY", pointer: "/steps/0/entity" }]],
    ["a find on an unknown field", withSteps([{ id: "f", type: "findRecords", entity: "contact", where: [{ field: "shoeSize", op: "eq", value: "1" }] }]), [{ code: "UNKNOWN_FIELD", pointer: "/steps/0/where/0/field" }]],
    ["a duplicate step id", withSteps([{ id: "s", type: "stop", outcome: "success" }, { id: "s", type: "stop", outcome: "failure" }]), [{ code: "DUPLICATE_STEP_ID", pointer: "/steps/1/id" }]],
    ["an updated trigger on an unknown field", withSteps([{ id: "s", type: "stop", outcome: "success" }], { type: "recordUpdated", fields: ["nope"] }), [{ code: "UNKNOWN_FIELD", pointer: "/trigger/fields/0" }]],
    ["a from value that is no option", withSteps([{ id: "s", type: "stop", outcome: "success" }], { type: "fieldChanged", field: "stage", from: "lost" }), [{ code: "UNKNOWN_OPTION", pointer: "/trigger/from" }]],
    ["an invalid cron", withSteps([{ id: "s", type: "stop", outcome: "success" }], { type: "schedule", cron: "0 25 * * *" }), [{ code: "INVALID_CRON", pointer: "/trigger/cron" }]],
    ["a date-relative trigger on a text field", withSteps([{ id: "s", type: "stop", outcome: "success" }], { type: "dateRelative", field: "name", offset: { amount: 3, unit: "days" }, direction: "before" }), [{ code: "INVALID_FIELD", pointer: "/trigger/field" }]],
    ["a wait until text", withSteps([{ id: "w", type: "wait", until: "name" }]), [{ code: "TYPE_MISMATCH", pointer: "/steps/0/until" }]],
    ["a wait with neither duration nor until", withSteps([{ id: "w", type: "wait" }]), [{ code: "INVALID_VALUE", pointer: "/steps/0" }]],
    ["an input shadowing $userId", withSteps([{ id: "s", type: "stop", outcome: "success" }], { type: "manual", inputs: [{ key: "userId", type: "text" }] }), [{ code: "DUPLICATE_INPUT", pointer: "/trigger/inputs/0/key" }]],
    ["a recordIdFrom that is no JSON Pointer", withSteps([{ id: "s", type: "stop", outcome: "success" }], { type: "webhook", recordIdFrom: "data.id" }), [{ code: "INVALID_POINTER", pointer: "/trigger/recordIdFrom" }]],
    ["updating the record of a delete", withSteps([{ id: "u", type: "updateRecord", values: { name: '"x"' } }], { type: "recordDeleted" }), [{ code: "RECORD_DELETED", pointer: "/steps/0" }]],
  ])("refuses %s with a pointer", (_name, input, expected) => {
    expect(issuesOf(input)).toEqual(expected.map((e) => expect.objectContaining(e)));
  });

  it("types manual and webhook inputs as $variables, and a webhook's whole payload as $payload", () => {
    const steps = [{ id: "u", type: "updateRecord", values: { nextStep: '$reason & " " & text($payload)', probability: "$chance" } }];
    expect(issuesOf(withSteps(steps, { type: "webhook", recordIdFrom: "/deal/id", inputs: [{ key: "reason", type: "text" }, { key: "chance", type: "number" }] }))).toEqual([]);
    expect(issuesOf(withSteps(steps, { type: "manual", inputs: [{ key: "reason", type: "text" }, { key: "chance", type: "text" }] })).map((i) => i.code)).toEqual(["UNKNOWN_VARIABLE", "TYPE_MISMATCH"]);
  });

  it("gives expression issues their position in the text", () => {
    const result = compileWorkflow(withSteps([{ id: "c", type: "condition", if: "amount.amount > 1 and stge = 2", then: [{ id: "s", type: "stop", outcome: "success" }] }]), entities);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.issues[0]).toMatchObject({ code: "UNKNOWN_FIELD", pointer: "/steps/0/if", offset: 22, line: 1, column: 23 });
    expect(result.issues[0]!.message).toMatch(/stage/);
  });

  it("reports every issue at once", () => {
    const codes = issuesOf(withSteps([
      { id: "a", type: "updateRecord", values: { colour: '"red"', probability: "name" } },
      { id: "a", type: "condition", if: "1 +", then: [{ id: "b", type: "stop", outcome: "success" }] },
    ])).map((i) => i.code);
    expect(codes.sort()).toEqual(["DUPLICATE_STEP_ID", "EXPRESSION_SYNTAX", "TYPE_MISMATCH", "UNKNOWN_FIELD"]);
  });

  describe("hostile input", () => {
    it("refuses JSON nested 100 000 levels deep without overflowing the stack", () => {
      let deep: unknown = {};
      for (let i = 0; i < 100_000; i++) deep = { a: deep };
      expect(issuesOf({ ...wonDeal(), description: deep })).toEqual([{ code: "WORKFLOW_TOO_DEEP", pointer: "" }]);
    });

    it("refuses steps nested deeper than the limit", () => {
      let steps: WorkflowStep[] = [{ id: "leaf", type: "stop", outcome: "success" }];
      for (let i = 0; i < 15; i++) steps = [{ id: `c${i}`, type: "condition", if: "true", then: steps }];
      expect(issuesOf(withSteps(steps)).map((i) => i.code)).toContain("STEPS_TOO_DEEP");
    });

    it("refuses deeply nested and huge expressions as definition errors", () => {
      const nested = "(".repeat(5000) + "1" + ")".repeat(5000);
      const long = `name = "${"x".repeat(20_000)}"`;
      const huge = "1" + "0".repeat(60) + " > 1";
      const codes = issuesOf(withSteps([
        { id: "a", type: "condition", if: nested, then: [{ id: "s1", type: "stop", outcome: "success" }] },
        { id: "b", type: "condition", if: long, then: [{ id: "s2", type: "stop", outcome: "success" }] },
        { id: "c", type: "condition", if: huge, then: [{ id: "s3", type: "stop", outcome: "success" }] },
      ]));
      expect(codes).toEqual([
        { code: "INVALID_EXPRESSION", pointer: "/steps/0/if" },
        { code: "INVALID_EXPRESSION", pointer: "/steps/1/if" },
      ]);
      const separately = issuesOf(withSteps([
        { id: "a", type: "condition", if: nested.slice(4000, 6001), then: [{ id: "s1", type: "stop", outcome: "success" }] },
        { id: "c", type: "condition", if: huge, then: [{ id: "s3", type: "stop", outcome: "success" }] },
      ]));
      expect(separately).toEqual([{ code: "EXPRESSION_TOO_DEEP", pointer: "/steps/0/if" }, { code: "INVALID_NUMBER", pointer: "/steps/1/if" }]);
    });

    it("refuses too many steps", () => {
      const steps = Array.from({ length: 201 }, (_, i) => ({ id: `s${i}`, type: "stop", outcome: "success" }));
      expect(issuesOf(withSteps(steps))).toEqual([{ code: "TOO_MANY_ITEMS", pointer: "/steps" }]);
    });

    it("answers issues for values of every JSON type in every place", () => {
      for (const value of [null, 1, "x", [], {}, true]) {
        const result = compileWorkflow(value, entities);
        expect(result.ok).toBe(false);
        expect(() => compileWorkflow({ ...wonDeal(), steps: [value] }, entities)).not.toThrow();
        expect(() => compileWorkflow({ ...wonDeal(), trigger: value }, entities)).not.toThrow();
      }
    });
  });
});

describe("compileWorkflow: option values", () => {
  it("refuses a literal that is no option of the select or multi-select it is written to, and allows computed values", () => {
    const steps = [
      { id: "a", type: "updateRecord", values: { stage: '"nope"' } },
      { id: "b", type: "updateRecord", values: { tags: '["vip", "gold"]' } },
      { id: "c", type: "updateRecord", values: { stage: '"closed_won"', tags: '["vip"]' } },
      { id: "d", type: "updateRecord", values: { stage: 'if(amount.amount > 10, "closed_won", "closed_lost")' } },
    ];
    expect(issuesOf(withSteps(steps))).toEqual([
      { code: "UNKNOWN_OPTION", pointer: "/steps/0/values/stage" },
      { code: "UNKNOWN_OPTION", pointer: "/steps/1/values/tags" },
    ]);
  });
});

describe("compileWorkflow: load-balanced assignment", () => {
  const assign = (openFilter: string[]) => withSteps([{ id: "assign", type: "assignOwner", strategy: "loadBalanced", pool: { roles: ["sales_rep"] }, openFilter }]);
  it("takes open filters in the list API's syntax that fit the entity", () => {
    expect(issuesOf(assign(["stage:nin:(closed_won,closed_lost)", "amount:gte:10"]))).toEqual([]);
  });
  it("refuses filters that do not parse or name unknown fields, at the step's openFilter", () => {
    expect(issuesOf(assign(["colour:eq:red"]))).toEqual([expect.objectContaining({ pointer: "/steps/0/openFilter" })]);
    expect(issuesOf(assign(["stage:like:x"])).map((i) => i.pointer)).toContain("/steps/0/openFilter");
  });
});
