import { describe, expect, it } from "vitest";
import { compileWorkflow } from "./compile-workflow.ts";
import { matchTrigger, type RecordChangeEvent } from "./match-trigger.ts";
import { RECORD_TRIGGER_TYPES, TRIGGER_TYPES, type WorkflowTrigger } from "./types.ts";
import { entities, wonDeal } from "./workflow-fixtures.test-support.ts";

function workflowWith(trigger: WorkflowTrigger) {
  const result = compileWorkflow({ ...wonDeal(), trigger, steps: [{ id: "end", type: "stop", outcome: "success" }] }, entities);
  if (!result.ok) throw new Error(JSON.stringify(result.issues));
  return result.value;
}

const now = Date.UTC(2026, 0, 10);
const before = { id: "d1", name: "Deal", stage: "proposal", amount: { amount: 5000, currency: "EUR" } };
const won = { ...before, stage: "closed_won" };
const updated: RecordChangeEvent = { type: "updated", entity: "opportunity", record: won, previous: before };

describe("matchTrigger", () => {
  it.each<[string, WorkflowTrigger, RecordChangeEvent, boolean]>([
    ["created on create", { type: "recordCreated" }, { type: "created", entity: "opportunity", record: before }, true],
    ["created not on update", { type: "recordCreated" }, updated, false],
    ["another entity", { type: "recordUpdated" }, { ...updated, entity: "account" }, false],
    ["updated with a listed field changed", { type: "recordUpdated", fields: ["stage"] }, updated, true],
    ["updated with only other fields changed", { type: "recordUpdated", fields: ["name"] }, updated, false],
    ["deleted", { type: "recordDeleted", condition: 'stage = "proposal"' }, { type: "deleted", entity: "opportunity", previous: before }, true],
    ["field changed to", { type: "fieldChanged", field: "stage", to: "closed_won" }, updated, true],
    ["field changed from another value", { type: "fieldChanged", field: "stage", from: "negotiation", to: "closed_won" }, updated, false],
    ["field changed from → to", { type: "fieldChanged", field: "stage", from: "proposal", to: "closed_won" }, updated, true],
    ["field changed on create (from null)", { type: "fieldChanged", field: "stage", from: null }, { type: "created", entity: "opportunity", record: won }, true],
    ["field unchanged", { type: "fieldChanged", field: "name" }, updated, false],
    ["a condition that holds", { type: "recordUpdated", condition: 'isChanged(stage) and amount.amount > 1000' }, updated, true],
    ["a condition that does not hold", { type: "recordUpdated", condition: "amount.amount > 10000" }, updated, false],
    ["a condition that is null", { type: "recordUpdated", condition: "probability > 10" }, updated, false],
  ])("%s", (_name, trigger, event, expected) => {
    expect(matchTrigger(workflowWith(trigger), event, { now }).matches).toBe(expected);
  });

  it("fires a date-relative trigger for a record whose moment has come within the last week", () => {
    const trigger: WorkflowTrigger = { type: "dateRelative", field: "expectedCloseDate", offset: { amount: 3, unit: "days" }, direction: "before", condition: 'stage != "closed_won"' };
    const at = (expectedCloseDate: string | null, record = before): RecordChangeEvent => ({ type: "updated", entity: "opportunity", record: { ...record, expectedCloseDate }, previous: before });
    const fires = (event: RecordChangeEvent) => matchTrigger(workflowWith(trigger), event, { now }).matches;
    expect(fires(at("2026-01-13"))).toBe(true); // due 2026-01-10T00:00Z, now
    expect(fires(at("2026-01-14"))).toBe(false); // due tomorrow: the scheduler's window fires it then
    expect(fires(at("2026-01-06"))).toBe(false); // due more than a week ago
    expect(fires(at(null))).toBe(false);
    expect(fires(at("2026-01-12", won))).toBe(false); // the condition
    expect(fires({ type: "deleted", entity: "opportunity", previous: { ...before, expectedCloseDate: "2026-01-12" } })).toBe(false);
  });

  it("never starts a workflow whose trigger is not a record trigger on a record change (those entities enqueue nothing)", () => {
    const others: WorkflowTrigger[] = [{ type: "schedule", cron: "0 9 * * *" }, { type: "manual" }, { type: "webhook" }];
    expect(others.map((t) => t.type).sort()).toEqual(TRIGGER_TYPES.filter((type) => !(RECORD_TRIGGER_TYPES as readonly string[]).includes(type)).sort());
    const created: RecordChangeEvent = { type: "created", entity: "opportunity", record: won };
    const deleted: RecordChangeEvent = { type: "deleted", entity: "opportunity", previous: won };
    for (const trigger of others) {
      for (const event of [created, updated, deleted]) expect(matchTrigger(workflowWith(trigger), event, { now }).matches).toBe(false);
    }
  });

  it("reports a condition that fails instead of throwing", () => {
    const answer = matchTrigger(workflowWith({ type: "recordUpdated", condition: "amount.amount / 0 > 1" }), updated, { now });
    expect(answer).toEqual({ matches: false, error: expect.stringMatching(/^DIVISION_BY_ZERO/) });
  });
});
