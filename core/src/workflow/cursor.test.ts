import { describe, expect, it } from "vitest";
import { advance, currentRecord, currentStep, startCursor, type Cursor, type StepMove } from "./cursor.ts";
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

  it("never changes the cursor it is given", () => {
    const cursor = startCursor();
    const frozen = JSON.stringify(cursor);
    advance(definition, cursor, { kind: "enter", list: "then" });
    advance(definition, cursor, { kind: "next" });
    expect(JSON.stringify(cursor)).toBe(frozen);
  });
});
