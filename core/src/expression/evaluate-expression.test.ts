import { describe, expect, it } from "vitest";
import { ACCOUNT_ID, compiled, context, dealRecord, OWNER_ID, run } from "./expression-fixtures.test-support.ts";
import { Decimal } from "./decimal.ts";
import { Money } from "./values.ts";

describe("numbers and amounts are exact", () => {
  it.each<[string, Record<string, unknown>, unknown]>([
    ["0.1 + 0.2 = 0.3", {}, true],
    ["unitPrice * quantity", {}, 59.97],
    ["unitPrice * 3 = 59.97", {}, true],
    ["amount * 0.9", { amount: { amount: 1000.1, currency: "EUR" } }, { amount: 900.09, currency: "EUR" }],
    ["amount - 0.01", { amount: { amount: 0.3, currency: "EUR" } }, { amount: 0.29, currency: "EUR" }],
    ["100 - amount", { amount: { amount: 0.3, currency: "EUR" } }, { amount: 99.7, currency: "EUR" }],
    ["amount / 3", { amount: { amount: 100, currency: "EUR" } }, { amount: 33.333333333333336, currency: "EUR" }],
    ["text(amount / 3, 2)", { amount: { amount: 100, currency: "EUR" } }, "33.33 EUR"],
    ["text(1 / 3)", {}, "0.33333333333333333333"],
    ["text(1 / 3 * 3)", {}, "0.99999999999999999999"],
    ["round(10 / 3, 2)", {}, 3.33],
    ["round(amount * 1.19, 2)", { amount: { amount: 19.99, currency: "EUR" } }, { amount: 23.79, currency: "EUR" }],
    ["amount.amount * (1 - discount / 100)", { amount: { amount: 12000.5, currency: "EUR" } }, 9000.375],
    ["text(amount.amount * (1 - discount / 100))", { amount: { amount: 12000.5, currency: "EUR" } }, "9000.375"],
    ["amount / amount", {}, 1],
    ["7 % 3 + -7 % 3", {}, 0],
    ["text(0.000001 / 1000000)", {}, "0.000000000001"],
    ["text(123456789012345678901234567890 + 1)", {}, "123456789012345678901234567891"],
    ["-amount", {}, { amount: -12000.5, currency: "EUR" }],
    ["amount > 10000", {}, true],
    ["amount = 12000.5", {}, true],
    ['amount = money(12000.50, "EUR")', {}, true],
    ['amount = money(12000.50, "USD")', {}, false],
  ])("%s → %j", (source, changes, expected) => {
    expect(run(source, changes)).toEqual(expected);
  });

  it.each([
    ["1 / 0", "DIVISION_BY_ZERO"],
    ["quantity % 0", "DIVISION_BY_ZERO"],
    ["amount / (quantity - 3)", "DIVISION_BY_ZERO"],
    ["amount + account.annualRevenue", "CURRENCY_MISMATCH"],
    ["amount > account.annualRevenue", "CURRENCY_MISMATCH"],
    ["power(10, 39)", "OUT_OF_RANGE"],
    ["99999999999999999999999999999999999999 * 10", "OUT_OF_RANGE"],
  ])("%s fails with %s", (source, code) => {
    expect(run(source)).toEqual({ error: code });
  });

  it("locates the failing operation", () => {
    const result = compiled("if(quantity > 1,\n  amount / (quantity - 3), null)").evaluate(dealRecord, context);
    expect(result).toMatchObject({ ok: false, error: { code: "DIVISION_BY_ZERO", line: 2, column: 3, offset: 19, length: 23 } });
  });

  it("returns exact values to the caller", () => {
    const result = compiled("amount * 3").evaluate(dealRecord, context);
    expect(result.ok && result.value instanceof Money && result.value.amount.equals(Decimal.parse("36001.5")!)).toBe(true);
  });
});

describe("null rules", () => {
  it.each<[string, Record<string, unknown>, unknown]>([
    // Operators and functions: null in, null out.
    ["probability + 1", { probability: null }, null],
    ["upper(nextStep)", {}, null],
    ["len(nextStep)", {}, null],
    ["addDays(expectedCloseDate, 3)", { expectedCloseDate: null }, null],
    // Joining text: null is empty.
    ['nextStep & "!"', {}, "!"],
    ['concat(name, " ", nextStep)', {}, "Acme renewal "],
    // Equality: null is a value.
    ["nextStep = null", {}, true],
    ['nextStep != "call"', {}, true],
    ["nextStep = closedAt", {}, "type"],
    ['stage in ["proposal"]', { stage: null }, false],
    ["null in [1, null]", {}, true],
    // Ordering: unknown.
    ["probability > 10", { probability: null }, null],
    ["not (probability > 10)", { probability: null }, null],
    // Three-valued and/or.
    ["probability > 10 and false", { probability: null }, false],
    ["probability > 10 and true", { probability: null }, null],
    ["probability > 10 or true", { probability: null }, true],
    ["probability > 10 or false", { probability: null }, null],
    // if/case: a null condition takes the else branch.
    ["if(probability > 10, 1, 2)", { probability: null }, 2],
    ['case(lossReason, "price", 1, null, 2, 3)', {}, 2],
    // Null-aware functions.
    ["isNull(nextStep)", {}, true],
    ["isNull(name)", {}, false],
    ['isBlank("  ")', {}, true],
    ["isBlank(tags)", { tags: [] }, true],
    ['coalesce(nextStep, lossReason, "none")', {}, "none"],
    ["ifNull(probability, 0) + 1", { probability: null }, 1],
    ["count(tags)", { tags: null }, 0],
    ['includes(tags, "vip")', { tags: null }, false],
    ["max(closedAt, null)", {}, null],
    ["min(3, null, 2)", {}, 2],
    // A field missing from the record reads as null.
    ["isNull(description)", { description: undefined }, true],
  ])("%s → %j", (source, changes, expected) => {
    if (expected === "type") {
      expect(() => run(source, changes)).toThrow(/TYPE_MISMATCH/);
      return;
    }
    expect(run(source, changes)).toEqual(expected);
  });
});

describe("only what is needed is evaluated", () => {
  it.each([
    ["if(true, 1, 1 / 0)", 1],
    ["if(false, 1 / 0, 2)", 2],
    ["false and 1 / 0 = 1", false],
    ["true or 1 / 0 = 1", true],
    ["coalesce(1, 1 / 0)", 1],
    ['case(stage, "negotiation", 1, 1 / 0)', 1],
  ])("%s → %j", (source, expected) => {
    expect(run(source)).toEqual(expected);
  });
});

describe("comparisons", () => {
  it.each<[string, unknown]>([
    ['stage = "negotiation"', true],
    ['stage != "negotiation"', false],
    ['stage in ["proposal", "negotiation"]', true],
    ['stage not in ["proposal", "negotiation"]', false],
    ['"vip" in tags', true],
    ['"at_risk" not in tags', true],
    ['name = "acme renewal"', false],
    ['lower(name) = "acme renewal"', true],
    ['name < "B"', true],
    ['"a" < "B"', false],
    ["expectedCloseDate > today()", true],
    ['expectedCloseDate = dateValue("2024-05-10")', true],
    ["createdAt < now()", true],
    ['ownerId = "' + OWNER_ID + '"', true],
    ["ownerId = $userId", true],
    ["account = primaryContact.account", true],
    ["approved = false", true],
    ["meta = null", false],
    ["version >= 3", true],
  ])("%s → %j", (source, expected) => {
    expect(run(source, {}, { variables: { userId: OWNER_ID } })).toEqual(expected);
  });
});

describe("related records", () => {
  it("reads through manyToOne relations with the lookup", () => {
    expect(run('account.name & " (" & account.industry & ")"')).toBe("Acme (retail)");
    expect(run("primaryContact.account.status")).toBe("active");
  });

  it("uses an embedded (expanded) record as it is", () => {
    expect(run("account.name", { account: { id: ACCOUNT_ID, name: "Embedded" } }, { lookup: undefined })).toBe("Embedded");
    expect(run("account = primaryContact.account", { account: { id: ACCOUNT_ID, name: "Embedded" } })).toBe(true);
  });

  it("reads a missing link or a record it cannot see as null", () => {
    expect(run("account.name", { account: null })).toBeNull();
    expect(run("isNull(account.name)", { account: "00000000-0000-4000-8000-0000000000ff" })).toBe(true);
  });

  it("needs a lookup only when it follows an id", () => {
    expect(run("account.name", {}, { lookup: undefined })).toEqual({ error: "INVALID_CONTEXT" });
    expect(run("account.name", { account: null }, { lookup: undefined })).toBeNull();
  });

  it("asks for each related record it reads", () => {
    const asked: string[] = [];
    const lookup = (entity: string, id: string) => {
      asked.push(`${entity}:${id}`);
      return context.lookup!(entity, id);
    };
    compiled("primaryContact.account.name").evaluate(dealRecord, { lookup });
    expect(asked).toEqual(["contact:00000000-0000-4000-8000-00000000000c", `account:${ACCOUNT_ID}`]);
  });
});

describe("the previous record", () => {
  const previous = { ...dealRecord, stage: "proposal" };

  it.each<[string, unknown, unknown]>([
    ["isChanged(stage)", previous, true],
    ["isChanged(name)", previous, false],
    ["isChanged(stage)", undefined, false],
    ["priorValue(stage)", previous, "proposal"],
    ["priorValue(stage)", undefined, null],
    ["isNew()", undefined, true],
    ["isNew()", previous, false],
    ['isChanged(stage) and priorValue(stage) = "proposal" and stage = "negotiation"', previous, true],
    ["isChanged(amount)", { ...dealRecord, amount: { amount: 12000.5, currency: "USD" } }, true],
    ["isChanged(amount)", { ...dealRecord, amount: { amount: 12000.50, currency: "EUR" } }, false],
  ])("%s with previous %#", (source, before, expected) => {
    expect(run(source, {}, { previous: before as never })).toEqual(expected);
  });
});

describe("bad input never throws", () => {
  it.each<[string, Record<string, unknown>, string]>([
    ["amount > 1", { amount: "lots" }, "INVALID_RECORD_VALUE"],
    ["amount.amount > 1", { amount: 12 }, "INVALID_RECORD_VALUE"],
    ["expectedCloseDate > today()", { expectedCloseDate: "10.05.2024" }, "INVALID_RECORD_VALUE"],
    ["closedAt < now()", { closedAt: "yesterday" }, "INVALID_RECORD_VALUE"],
    ['includes(tags, "vip")', { tags: "vip" }, "INVALID_RECORD_VALUE"],
    ["account.name", { account: 42 }, "INVALID_RECORD_VALUE"],
    ["quantity + 1", { quantity: true }, "INVALID_RECORD_VALUE"],
  ])("%s with %j → %s", (source, changes, code) => {
    expect(run(source, changes)).toEqual({ error: code });
  });

  it("reads decimal text as numbers (PostgreSQL numeric)", () => {
    expect(run("unitPrice * 2", { unitPrice: "19.9900" })).toBe(39.98);
  });

  it("names the field in the message", () => {
    const result = compiled("amount > 1").evaluate({ ...dealRecord, amount: "lots" }, context);
    expect(result).toMatchObject({ ok: false, error: { message: 'amount holds "lots", which is not currency' } });
  });

  it("checks variables against their declared type", () => {
    expect(run("ownerId = $userId", {}, { variables: { userId: 7 } })).toEqual({ error: "INVALID_RECORD_VALUE" });
    expect(run("ownerId = $userId", {}, { variables: {} })).toBe(false);
  });
});

describe("the evaluation context", () => {
  it.each<[string, Record<string, unknown>, string]>([
    ["today()", { timeZone: undefined }, "INVALID_CONTEXT"],
    ["today()", { timeZone: "Mars/Olympus" }, "INVALID_CONTEXT"],
    ["now()", { now: undefined }, "INVALID_CONTEXT"],
    ["now()", { now: new Date("nonsense") }, "INVALID_CONTEXT"],
    ["dateValue(closedAt)", { timeZone: undefined }, "INVALID_CONTEXT"],
  ])("%s with %j → %s", (source, extra, code) => {
    expect(run(source, { closedAt: "2024-05-01T10:00:00.000Z" }, extra)).toEqual({ error: code });
  });

  it("reports a lookup that throws as a context problem", () => {
    const lookup = () => {
      throw new Error("connection lost");
    };
    expect(compiled("account.name").evaluate(dealRecord, { lookup })).toMatchObject({
      ok: false,
      error: { code: "INVALID_CONTEXT", message: `the lookup of account ${ACCOUNT_ID} failed: connection lost` },
    });
  });

  it("falls back to the default step budget when maxSteps is not a positive number", () => {
    const expensive = compiled(Array.from({ length: 99 }, () => "len(name)").join(" + "));
    expect(expensive.evaluate(dealRecord, { maxSteps: Number.NaN }).ok).toBe(true);
    expect(expensive.evaluate(dealRecord, { maxSteps: 0 }).ok).toBe(true);
    expect(expensive.evaluate(dealRecord, { maxSteps: 10 }).ok).toBe(false);
  });

  it("needs nothing for expressions that use no clock, zone or relation", () => {
    expect(compiled("amount * 2 > 10").evaluate(dealRecord)).toEqual({ ok: true, value: true });
  });

  it("stops a costly expression at the step limit", () => {
    const source = "len(" + Array.from({ length: 60 }, (_, i) => `concat(name, "${i}")`).join(" & ") + ")";
    expect(compiled(source).evaluate(dealRecord, { maxSteps: 100 })).toMatchObject({ ok: false, error: { code: "STEP_LIMIT_EXCEEDED" } });
    expect(compiled(source).evaluate(dealRecord).ok).toBe(true);
  });

  it("stops text that would grow without bound", () => {
    let source = "name";
    for (let i = 0; i < 20; i++) source = `substitute(${source}, "e", ${source.length < 200 ? source : "name & name"})`;
    const result = compiled(source).evaluate(dealRecord);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(["OUT_OF_RANGE", "STEP_LIMIT_EXCEEDED"]).toContain(result.error.code);
  });

  it("charges steps for the text it makes", () => {
    const big = compiled('lpad("", 90000, "ab")');
    expect(big.evaluate(dealRecord, { maxSteps: 100 })).toMatchObject({ ok: false, error: { code: "STEP_LIMIT_EXCEEDED" } });
    expect(compiled('lpad("", 100001)').evaluate(dealRecord)).toMatchObject({ ok: false, error: { code: "INVALID_ARGUMENT" } });
  });
});
