import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { compiled, dealEnvironment, environmentOf } from "./expression-fixtures.test-support.ts";
import { describeType } from "./expression-type.ts";
import { FUNCTIONS } from "./functions/registry.ts";
import { SPECIAL_FORMS } from "./functions/special-forms.ts";

const readme = readFileSync(new URL("./README.md", import.meta.url), "utf8");

describe("the README", () => {
  it("documents every function with its signature", () => {
    for (const spec of [...FUNCTIONS, ...SPECIAL_FORMS]) expect(readme).toContain(`\`${spec.signature}\``);
  });

  it("documents every issue and error code", () => {
    const codes = [
      ...["EXPRESSION_SYNTAX", "INVALID_TOKEN", "INVALID_NUMBER", "INVALID_STRING", "EXPRESSION_TOO_LONG", "EXPRESSION_TOO_DEEP"],
      ...["UNKNOWN_FIELD", "INVALID_FIELD_PATH", "UNKNOWN_VARIABLE", "UNKNOWN_FUNCTION", "WRONG_ARITY", "TYPE_MISMATCH", "UNKNOWN_OPTION"],
      ...["DIVISION_BY_ZERO", "CURRENCY_MISMATCH", "OUT_OF_RANGE", "INVALID_ARGUMENT", "INVALID_RECORD_VALUE", "INVALID_CONTEXT", "STEP_LIMIT_EXCEEDED", "INTERNAL_ERROR"],
    ];
    for (const code of codes) expect(readme).toContain(`| \`${code}\` |`);
  });

  it.each([
    ["opportunity", "discount > 20", "boolean"],
    ["opportunity", "today() = addDays(expectedCloseDate, -3)", "boolean"],
    ["opportunity", "daysBetween(today(), expectedCloseDate) = 3", "boolean"],
    ["account", "isNull(lastFollowUpAt) or daysBetween(lastFollowUpAt, now()) >= 30", "boolean"],
    ["opportunity", 'stage not in ["closed_won", "closed_lost"] and hoursBetween(updatedAt, now()) > 7 * 24', "boolean"],
    ["opportunity", 'isChanged(stage) and stage = "closed_won"', "boolean"],
    ["opportunity", 'amount > 50000 and account.industry = "retail"', "boolean"],
    ["opportunity", "round(amount * (1 - discount / 100), 2)", "currency"],
    ["opportunity", 'includes(tags, "vip")', "boolean"],
    ["opportunity", '"vip" in tags', "boolean"],
    ["contact", 'trim(firstName & " " & lastName)', "text"],
    ["account", 'if(annualRevenue >= 1000000, "hot", if(annualRevenue >= 100000, "warm", "cold"))', "text"],
    ["opportunity", "ownerId = $userId", "boolean"],
    ["serviceCase", 'case(priority, "urgent", "P1", "high", "P2", "P3")', "text"],
    ["opportunity", "if(quantity = 0, null, amount / quantity)", "currency"],
    ["activity", "lead.convertedOpportunity.primaryContact.lastName", "text"],
  ])("its %s example `%s` compiles to %s", (entity, source, type) => {
    expect(readme).toContain(source);
    const environment = entity === "opportunity" ? dealEnvironment : environmentOf(entity);
    expect(describeType(compiled(source, {}, environment).type)).toBe(type);
  });
});
