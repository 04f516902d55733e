import { describe, expect, it } from "vitest";
import { compileExpression } from "./compile-expression.ts";
import { compiled, dealEnvironment, environmentOf } from "./expression-fixtures.test-support.ts";
import { describeType, T } from "./expression-type.ts";

describe("compileExpression infers the result type", () => {
  it.each([
    ["amount", "currency"],
    ["amount.amount", "number"],
    ["amount.currency", "text"],
    ["probability", "number"],
    ["stage", "option (prospecting, qualification, needs_analysis, proposal, negotiation, closed_won, …)"],
    ["tags", "list of option (vip, strategic, at_risk)"],
    ["account", "account id"],
    ["account.name", "text"],
    ["account.status", "option (prospect, active, public_pool, dormant, churned)"],
    ["primaryContact.account.annualRevenue", "currency"],
    ["ownerId", "user id"],
    ["id", "opportunity id"],
    ["createdAt", "date-time"],
    ["version", "number"],
    ["products", "list of product id"],
    ["meta", "JSON"],
    ["expectedCloseDate + 3", "date"],
    ["expectedCloseDate - today()", "number"],
    ["amount * 2", "currency"],
    ["2 * amount", "currency"],
    ["amount / amount", "number"],
    ["amount - null", "currency"],
    ["null * amount", "currency"],
    ["null - expectedCloseDate", "number"],
    ["-amount", "currency"],
    ["if(approved, 1, null)", "number"],
    ["if(approved, 1)", "number"],
    ["coalesce(account.name, name)", "text"],
    ["ifNull(discount, 0)", "number"],
    ['case(stage, "proposal", 1, 2)', "number"],
    ['case(stage, "proposal", "p", "negotiation", account.status)', "text"],
    ['case(stage, "proposal", dealType, "negotiation", account.status)', "option (new_business, upsell, renewal, prospect, active, public_pool, …)"],
    ["min(expectedCloseDate, today())", "date"],
    ["max(amount, null)", "currency"],
    ['stage & ""', "text"],
    ["if(approved, stage, dealType)", "option (prospecting, qualification, needs_analysis, proposal, negotiation, closed_won, …)"],
    ["if(approved, ownerId, createdBy)", "user id"],
    ["if(approved, ownerId, account)", "text"],
    ["priorValue(stage)", "option (prospecting, qualification, needs_analysis, proposal, negotiation, closed_won, …)"],
    ["[1, null, 2.5]", "list of number"],
    ["[]", "list of null"],
    ["$userId", "user id"],
    ["text(amount, 2)", "text"],
    ["null", "null"],
    ["NOW()", "date-time"],
    ["addDays(closedAt, 1)", "date-time"],
    ["dateValue(closedAt)", "date"],
  ])("%s : %s", (source, type) => {
    expect(describeType(compiled(source).type)).toBe(type);
  });
});

describe("compileExpression reports problems where they are", () => {
  it.each([
    ["amont > 1", "UNKNOWN_FIELD", 1, 'has no field "amont" (did you mean "amount"?)'],
    ["account.nmae", "UNKNOWN_FIELD", 9, 'account has no field "nmae"'],
    ["account.nmae", "UNKNOWN_FIELD", 9, '(did you mean "name"?)'],
    ["name.first", "INVALID_FIELD_PATH", 6, "cannot be followed"],
    ["amount.cents", "INVALID_FIELD_PATH", 8, 'the parts "amount" and "currency"'],
    ["account.activities", "INVALID_FIELD_PATH", 1, "oneToMany relation and has no value"],
    ['stage = "closed_wno"', "UNKNOWN_OPTION", 9, '"closed_wno" is not an option key here (did you mean "closed_won"?)'],
    ['"Closed Won" = stage', "UNKNOWN_OPTION", 1, '(did you mean "closed_won"?)'],
    ['stage in ["proposal", "won"]', "UNKNOWN_OPTION", 23, '"won" is not an option key'],
    ['stage not in ["proposal", "won"]', "UNKNOWN_OPTION", 27, '"won" is not an option key'],
    ['includes(tags, "vipp")', "UNKNOWN_OPTION", 16, '(did you mean "vip"?)'],
    ['"vipp" in tags', "UNKNOWN_OPTION", 1, '(did you mean "vip"?)'],
    ['case(stage, "x", 1, 0)', "UNKNOWN_OPTION", 13, '"x" is not an option key'],
    ["name + \"x\"", "TYPE_MISMATCH", 1, "cannot use + on text and text; join text with & or concat(…)"],
    ["amount + name", "TYPE_MISMATCH", 1, "join text with &"],
    ["createdAt > today()", "TYPE_MISMATCH", 1, "cannot compare date-time with date; convert with dateValue(…) or datetimeValue(…) first"],
    ["closedAt + 1", "TYPE_MISMATCH", 1, "use addDays(…), addHours(…)"],
    ["expectedCloseDate * 2", "TYPE_MISMATCH", 1, "add or subtract whole days"],
    ['stage < "proposal"', "TYPE_MISMATCH", 1, "options have no order"],
    ['tags = "vip"', "TYPE_MISMATCH", 1, "includes(list, value)"],
    ["amount * amount", "TYPE_MISMATCH", 1, "multiply an amount by a number"],
    ["account = primaryContact", "TYPE_MISMATCH", 1, "cannot compare account id with contact id"],
    ["meta = 1", "TYPE_MISMATCH", 1, "JSON values can only be compared with null"],
    ["probability > \"x\"", "TYPE_MISMATCH", 1, "cannot compare number with text"],
    ["approved < true", "TYPE_MISMATCH", 1, "cannot order boolean values"],
    ["not amount", "TYPE_MISMATCH", 1, "not needs true or false, not currency"],
    ["-name", "TYPE_MISMATCH", 1, "unary - needs a number or an amount"],
    ["name and approved", "TYPE_MISMATCH", 1, "and needs true or false on both sides, not text"],
    ["approved or 1", "TYPE_MISMATCH", 13, "or needs true or false"],
    ["tags & \"x\"", "TYPE_MISMATCH", 1, "& joins single values"],
    ["1 in 2", "TYPE_MISMATCH", 6, "in needs a list on its right"],
    ["1 in tags", "TYPE_MISMATCH", 1, "cannot look for number in a list of option"],
    ["[1, \"a\"]", "TYPE_MISMATCH", 5, "the items of a list must be of one kind"],
    ["[tags]", "TYPE_MISMATCH", 2, "a list item must be a single value"],
    ["left(name)", "WRONG_ARITY", 1, "left() takes 2 arguments (text, count), not 1"],
    ["round(1, 2, 3)", "WRONG_ARITY", 1, "round() takes 1 to 2 arguments (number, places), not 3"],
    ["today(1)", "WRONG_ARITY", 1, "today() takes 0 arguments"],
    ["concat()", "WRONG_ARITY", 1, "concat() takes at least 1 argument (value, …), not 0"],
    ["if(true)", "WRONG_ARITY", 1, "if() takes 2 to 3 arguments"],
    ["coalesce(1)", "WRONG_ARITY", 1, "coalesce() takes at least 2 arguments"],
    ["isNew(stage)", "WRONG_ARITY", 1, "isNew() takes 0 arguments"],
    ["upper(amount)", "TYPE_MISMATCH", 7, "text of upper() must be text, not currency"],
    ["left(name, \"2\")", "TYPE_MISMATCH", 12, "count of left() must be a number, not text"],
    ["lefft(name, 2)", "UNKNOWN_FUNCTION", 1, 'unknown function lefft() (did you mean "left"?)'],
    ["if(stage, 1, 2)", "TYPE_MISMATCH", 4, "the condition of if() must be true or false"],
    ['if(approved, 1, "x")', "TYPE_MISMATCH", 17, "the branches of if() must be of one kind: text does not mix with number"],
    ["coalesce(amount, 0)", "TYPE_MISMATCH", 18, "number does not mix with currency"],
    ['case(stage, "proposal", 1, "x")', "TYPE_MISMATCH", 28, "the results of case() must be of one kind"],
    ["case(stage, 1, 2, 3)", "TYPE_MISMATCH", 13, "case() compares option"],
    ["isChanged(account.name)", "TYPE_MISMATCH", 11, "takes one of the record's own fields"],
    ["priorValue(1)", "TYPE_MISMATCH", 12, "takes one of the record's own fields"],
    ["$nope", "UNKNOWN_VARIABLE", 1, "unknown variable $nope; known: $userId"],
    ["text(name, 2)", "TYPE_MISMATCH", 1, "text(value, places) takes a number or an amount"],
    ["dateValue(1)", "TYPE_MISMATCH", 1, "dateValue() takes text, a date or a date-time"],
    ["min(1, today())", "TYPE_MISMATCH", 1, "the values of min() must all be of one kind"],
    ["includes(tags, 1)", "TYPE_MISMATCH", 16, "cannot hold number"],
    ["daysBetween(1, today())", "TYPE_MISMATCH", 13, "from of daysBetween() must be a date or date-time, not number"],
  ])("%s → %s at column %i", (source, code, column, fragment) => {
    const result = compileExpression(source, dealEnvironment, { pointer: "/condition" });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const issue = result.issues.find((i) => i.message.includes(fragment));
    expect(issue, result.issues.map((i) => i.message).join("\n")).toMatchObject({ code, column, line: 1, pointer: "/condition" });
  });

  it("follows at most three relations", () => {
    const env = environmentOf("activity");
    expect(compileExpression("lead.convertedOpportunity.primaryContact.lastName", env).ok).toBe(true);
    const result = compileExpression("lead.convertedOpportunity.primaryContact.account.name", env);
    expect(result).toMatchObject({ ok: false, issues: [{ code: "INVALID_FIELD_PATH", message: expect.stringContaining("more than 3 relations") }] });
  });

  it("reports every type problem at once, each once", () => {
    const result = compileExpression('amont + nme > lefft(1) and stage = "x"', dealEnvironment);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.issues.map((i) => [i.code, i.column])).toEqual([
      ["UNKNOWN_FIELD", 1],
      ["UNKNOWN_FIELD", 9],
      ["UNKNOWN_FUNCTION", 15],
      ["UNKNOWN_OPTION", 36],
    ]);
  });

  it("stops at the first syntax error", () => {
    expect(compileExpression("amount >", dealEnvironment)).toMatchObject({ ok: false, issues: [{ code: "EXPRESSION_SYNTAX", column: 9 }] });
  });

  it("checks the result against the expected type", () => {
    expect(compileExpression("name", dealEnvironment, { expect: T.boolean })).toMatchObject({
      ok: false,
      issues: [{ code: "TYPE_MISMATCH", message: "the expression gives text, but boolean is expected here (line 1, column 1)", offset: 0, length: 4 }],
    });
    expect(compileExpression("null", dealEnvironment, { expect: T.boolean }).ok).toBe(true);
    expect(compileExpression("stage", dealEnvironment, { expect: T.text }).ok).toBe(true);
    expect(compileExpression('"x"', dealEnvironment, { expect: { kind: "select", options: ["x"] } }).ok).toBe(true);
    expect(compileExpression("account", dealEnvironment, { expect: { kind: "reference", entity: "contact" } }).ok).toBe(false);
    expect(compileExpression("amount.amount", dealEnvironment, { expect: T.currency }).ok).toBe(false);
    expect(compileExpression("tags", dealEnvironment, { expect: { kind: "list", element: T.text } }).ok).toBe(true);
  });
});

describe("compileExpression says what the expression reads", () => {
  it("lists field paths with the entity of every step, sorted", () => {
    const expression = compiled('primaryContact.account.name = account.name and stage = "proposal" and amount.currency = "EUR"');
    expect(expression.fields).toEqual([
      { path: "account.name", steps: [{ entity: "opportunity", field: "account" }, { entity: "account", field: "name" }] },
      { path: "amount.currency", steps: [{ entity: "opportunity", field: "amount" }] },
      {
        path: "primaryContact.account.name",
        steps: [
          { entity: "opportunity", field: "primaryContact" },
          { entity: "contact", field: "account" },
          { entity: "account", field: "name" },
        ],
      },
      { path: "stage", steps: [{ entity: "opportunity", field: "stage" }] },
    ]);
  });

  it("flags the clock, the previous record and variables", () => {
    const plain = compiled("amount > 1000");
    expect([plain.usesClock, plain.usesPrevious, plain.variables]).toEqual([false, false, []]);
    const timed = compiled("daysBetween(today(), expectedCloseDate) = 3");
    expect(timed.usesClock).toBe(true);
    const changed = compiled('isChanged(stage) and stage = "closed_won" and ownerId = $userId');
    expect([changed.usesPrevious, changed.variables]).toEqual([true, ["userId"]]);
    expect(compiled("isNew()").usesPrevious).toBe(true);
  });

  it("keeps the source and the syntax tree", () => {
    const expression = compiled("amount > 1");
    expect(expression.source).toBe("amount > 1");
    expect(expression.ast).toMatchObject({ kind: "binary", operator: ">" });
  });
});
