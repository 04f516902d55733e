import { describe, expect, it } from "vitest";
import { advance, currentRecord, currentStep, startCursor, stepList, type Cursor, type StepMove } from "./cursor.ts";
import type { WorkflowDefinition } from "./types.ts";
import { wonDeal } from "./workflow-fixtures.test-support.ts";

const definition = wonDeal();

/** Walk a run: at each step, the move the test chooses; returns the step ids visited. */
function visit(moves: Record<string, StepMove>): string[] {
  const seen: string[] = [];
  let cursor: Cursor = startCursor();
  for (let guard = 0; guard < 50; guard++) {
    const here = currentStep(definition, cursor);
    if (!here) return seen;
    const record = currentRecord(cursor, { entity: "opportunity", id: "deal" });
    seen.push(`${here.step.id}@${record?.id}`);
    cursor = advance(definition, cursor, moves[here.step.id] ?? { kind: "next" });
  }
  throw new Error("the run did not end");
}

describe("run cursor", () => {
  it("enters then, continues after the condition, loops over found records", () => {
    expect(visit({ big: { kind: "enter", list: "then" }, contacts: { kind: "loop", list: "steps", entity: "contact", ids: ["c1", "c2"] } })).toEqual([
      "big@deal",
      "flag@deal",
      "task@deal",
      "contacts@deal",
      "touch@c1",
      "touch@c2",
    ]);
  });

  it("skips an empty loop and a missing else", () => {
    expect(visit({ big: { kind: "enter", list: "elsewhere" }, contacts: { kind: "loop", list: "steps", entity: "contact", ids: [] } })).toEqual(["big@deal", "task@deal", "contacts@deal"]);
  });

  it("stops where a step says stop", () => {
    expect(visit({ big: { kind: "enter", list: "else" }, done: { kind: "stop" } })).toEqual(["big@deal", "done@deal"]);
  });

  it("finds nested lists of every kind, branches included", () => {
    const nested: WorkflowDefinition = {
      ...definition,
      steps: [
        {
          id: "loop",
          type: "findRecords",
          entity: "contact",
          steps: [{ id: "b", type: "branch", branches: [{ when: "true", steps: [{ id: "x", type: "stop", outcome: "success" }] }, { when: "true", steps: [{ id: "y", type: "condition", if: "true", then: [{ id: "z", type: "stop", outcome: "failure" }] }] }] }],
        },
      ],
    };
    expect(stepList(nested, "/steps/0/steps/0/branches/0/steps")?.[0]?.id).toBe("x");
    expect(stepList(nested, "/steps/0/steps/0/branches/1/steps/0/then")?.[0]?.id).toBe("z");
    expect(stepList(nested, "/steps/0/steps/0/branches/2/steps")).toBeUndefined();
    expect(stepList(nested, "/steps/0/nope")).toBeUndefined();
    expect(stepList(nested, "/steps/x/steps")).toBeUndefined();
    let cursor: Cursor = advance(nested, startCursor(), { kind: "loop", list: "steps", entity: "contact", ids: ["c1"] });
    cursor = advance(nested, cursor, { kind: "enter", list: "branches/1/steps" });
    cursor = advance(nested, cursor, { kind: "enter", list: "then" });
    expect(currentStep(nested, cursor)).toMatchObject({ step: { id: "z" }, pointer: "/steps/0/steps/0/branches/1/steps/0/then/0" });
  });

  it("never changes the cursor it is given", () => {
    const cursor = startCursor();
    const frozen = JSON.stringify(cursor);
    advance(definition, cursor, { kind: "enter", list: "then" });
    advance(definition, cursor, { kind: "next" });
    expect(JSON.stringify(cursor)).toBe(frozen);
  });
});
