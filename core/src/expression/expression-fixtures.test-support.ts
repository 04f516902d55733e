import account from "@crm/schemas/crm/account.json" with { type: "json" };
import activity from "@crm/schemas/crm/activity.json" with { type: "json" };
import campaign from "@crm/schemas/crm/campaign.json" with { type: "json" };
import contact from "@crm/schemas/crm/contact.json" with { type: "json" };
import lead from "@crm/schemas/crm/lead.json" with { type: "json" };
import opportunity from "@crm/schemas/crm/opportunity.json" with { type: "json" };
import product from "@crm/schemas/crm/product.json" with { type: "json" };
import serviceCase from "@crm/schemas/crm/serviceCase.json" with { type: "json" };
import type { EntityDefinition } from "../definition/types.ts";
import { field, options } from "../migration/test-fixtures.ts";
import type { ExpressionEnvironment } from "./check/checker.ts";
import { compileExpression, type CompiledExpression, type CompileExpressionOptions } from "./compile-expression.ts";
import type { EvaluationContext, RecordJson } from "./evaluation-state.ts";
import { USER_ENTITY } from "./expression-type.ts";
import { toJsonValue } from "./values.ts";

/**
 * The shipped CRM definitions, with the opportunity given the fields the workflow examples need
 * (a discount, tags, a quantity and unit price, JSON metadata).
 */
export const deal: EntityDefinition = {
  ...(opportunity as EntityDefinition),
  fields: [
    ...(opportunity as EntityDefinition).fields,
    field("percent", { key: "discount", scale: 2 }),
    field("multiSelect", { key: "tags", options: options("vip", "strategic", "at_risk") }),
    field("integer", { key: "quantity" }),
    field("decimal", { key: "unitPrice", scale: 4 }),
    field("json", { key: "meta" }),
    field("boolean", { key: "approved" }),
  ],
};

export const entities: EntityDefinition[] = [deal, ...([account, activity, campaign, contact, lead, product, serviceCase] as EntityDefinition[])];

export const dealEnvironment: ExpressionEnvironment = { entity: deal, entities, variables: { userId: { kind: "reference", entity: USER_ENTITY } } };

export function environmentOf(key: string): ExpressionEnvironment {
  return { entity: entities.find((e) => e.key === key)!, entities };
}

/** Compile on the deal, failing the test with the issues when it does not compile. */
export function compiled(source: string, options?: CompileExpressionOptions, environment = dealEnvironment): CompiledExpression {
  const result = compileExpression(source, environment, options);
  if (!result.ok) throw new Error(`${source}: ${result.issues.map((i) => `${i.code} ${i.message}`).join("; ")}`);
  return result.value;
}

export const ACCOUNT_ID = "00000000-0000-4000-8000-00000000000a";
export const CONTACT_ID = "00000000-0000-4000-8000-00000000000c";
export const OWNER_ID = "00000000-0000-4000-8000-0000000000u1";

/** An opportunity as the API returns it. */
export const dealRecord: RecordJson = {
  id: "00000000-0000-4000-8000-000000000001",
  createdAt: "2024-03-01T08:00:00.000Z",
  updatedAt: "2024-05-06T12:30:00.000Z",
  createdBy: OWNER_ID,
  updatedBy: OWNER_ID,
  version: 3,
  ownerId: OWNER_ID,
  name: "Acme renewal",
  account: ACCOUNT_ID,
  stage: "negotiation",
  amount: { amount: 12000.5, currency: "EUR" },
  probability: 60,
  expectedCloseDate: "2024-05-10",
  closedAt: null,
  nextStep: null,
  lossReason: null,
  dealType: "renewal",
  primaryContact: CONTACT_ID,
  campaign: null,
  products: [],
  description: null,
  discount: 25,
  tags: ["vip"],
  quantity: 3,
  unitPrice: 19.99,
  meta: { source: "import" },
  approved: false,
};

const related: Record<string, RecordJson> = {
  [ACCOUNT_ID]: { id: ACCOUNT_ID, name: "Acme", industry: "retail", status: "active", annualRevenue: { amount: 5000000, currency: "USD" }, lastFollowUpAt: "2024-04-01T09:00:00.000Z" },
  [CONTACT_ID]: { id: CONTACT_ID, firstName: "Ada", lastName: "Lovelace", account: ACCOUNT_ID },
};

/** A context on Tuesday 2024-05-07, 10:00 UTC (12:00 in Berlin), with the related records above. */
export const context: EvaluationContext = {
  now: new Date("2024-05-07T10:00:00.000Z"),
  timeZone: "Europe/Berlin",
  lookup: (_entity, id) => related[id],
};

/** Evaluate on the deal record (with `changes`) and return the JSON form of the value, or the error code. */
export function run(source: string, changes: Record<string, unknown> = {}, extra: EvaluationContext = {}): unknown {
  const result = compiled(source).evaluate({ ...dealRecord, ...changes }, { ...context, ...extra });
  return result.ok ? toJsonValue(result.value) : { error: result.error.code };
}
