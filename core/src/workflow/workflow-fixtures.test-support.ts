import { entities } from "../expression/expression-fixtures.test-support.ts";
import type { WorkflowDefinition } from "./types.ts";

export { entities };

/** A won deal opens an onboarding task; a big discount is flagged; the account's contacts get a task each. */
export function wonDeal(): WorkflowDefinition {
  return {
    id: "won-deal-onboarding",
    name: "Won deal → onboarding",
    enabled: true,
    entity: "opportunity",
    trigger: { type: "fieldChanged", field: "stage", to: "closed_won" },
    steps: [
      {
        id: "big",
        type: "condition",
        if: "amount.amount > 10000",
        then: [{ id: "flag", type: "updateRecord", values: { nextStep: '"Kick-off call with " & account.name' } }],
        else: [{ id: "done", type: "stop", outcome: "success" }],
      },
      { id: "task", type: "createRecord", entity: "activity", values: { subject: '"Onboarding: " & name', type: '"task"', opportunity: "id", dueAt: "addDays(now(), 3)" } },
      {
        id: "contacts",
        type: "findRecords",
        entity: "contact",
        where: [{ field: "account", op: "eq", value: "account" }],
        limit: 50,
        steps: [{ id: "touch", type: "updateRecord", values: { description: '"Customer since " & text(today())' } }],
      },
    ],
  };
}
