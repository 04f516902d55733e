import { describe, expect, it } from "vitest";
import { compileExpression } from "./compile-expression.ts";
import { Decimal } from "./decimal.ts";
import type { EvaluationErrorCode } from "./evaluation-error.ts";
import type { EvaluationContext, RecordJson } from "./evaluation-state.ts";
import { ACCOUNT_ID, CONTACT_ID, dealEnvironment, dealRecord } from "./expression-fixtures.test-support.ts";
import type { ExpressionType } from "./expression-type.ts";
import { forAll, type Random } from "./random.test-support.ts";
import { Instant, JsonValue, Money, PlainDate, type Value } from "./values.ts";

type Kind = "number" | "currency" | "text" | "boolean" | "date" | "datetime";

const NUMBERS = ["0", "1", "2.5", "0.01", "100", "0.000000001", "99999999999999999999999999999999999999", "3", "7", "12.345"];

/** Expressions of a wanted kind over the deal, built from fields, literals, operators and functions (some fail at run time: that is the point). */
const GRAMMAR: Record<Kind, Array<(g: (kind: Kind) => string, r: Random) => string>> = {
  number: [
    (_, r) => r.pick(NUMBERS),
    (_, r) => r.pick(["probability", "discount", "quantity", "unitPrice", "amount.amount", "version", "account.employees", "primaryContact.account.employees"]),
    (g, r) => `${g("number")} ${r.pick(["+", "-", "*", "/", "%"])} ${g("number")}`,
    (g) => `-${g("number")}`,
    (g, r) => `${r.pick(["abs", "round", "floor", "ceiling"])}(${g("number")})`,
    (g, r) => `round(${g("number")}, ${r.int(-3, 6)})`,
    (g, r) => `${r.pick(["min", "max"])}(${g("number")}, ${g("number")}, null)`,
    (g) => `len(${g("text")})`,
    (g) => `find(${g("text")}, ${g("text")})`,
    (g) => `daysBetween(${g("date")}, ${g("datetime")})`,
    (g) => `hoursBetween(${g("datetime")}, ${g("datetime")})`,
    (g, r) => `${r.pick(["year", "month", "day", "weekday"])}(${g(r.pick(["date", "datetime"] as const))})`,
    (g) => `value(${g("text")})`,
    (g, r) => `power(${g("number")}, ${r.int(-5, 40)})`,
    (g) => `mod(${g("number")}, ${g("number")})`,
    (g) => `if(${g("boolean")}, ${g("number")}, ${g("number")})`,
    (g) => `coalesce(${g("number")}, ${g("number")})`,
    (g) => `${g("date")} - ${g("date")}`,
    (g) => `${g("currency")} / ${g("currency")}`,
    () => "count(tags)",
  ],
  currency: [
    (_, r) => r.pick(["amount", "account.annualRevenue", "primaryContact.account.annualRevenue"]),
    (g, r) => `money(${g("number")}, ${r.pick(['"EUR"', '"USD"', '"eur"', "name"])})`,
    (g, r) => `${g("currency")} ${r.pick(["*", "/", "+", "-"])} ${g("number")}`,
    (g, r) => `${g("currency")} ${r.pick(["+", "-"])} ${g("currency")}`,
    (g) => `${g("number")} * ${g("currency")}`,
    (g, r) => `${r.pick(["round", "abs", "floor"])}(${g("currency")})`,
    (g) => `-${g("currency")}`,
    (g) => `if(${g("boolean")}, ${g("currency")}, null)`,
    (g) => `max(${g("currency")}, ${g("currency")})`,
  ],
  text: [
    (_, r) => r.pick(['""', '"proposal"', '"2024-05-01"', '"12.5"', '"2024-05-01T10:00:00Z"', '"客户😀"', '"  x  "']),
    (_, r) => r.pick(["name", "nextStep", "account.name", "amount.currency"]),
    // Option keys and ids are strings but have no order: joining makes them plain text.
    (_, r) => `${r.pick(["stage", "account.industry", "ownerId", "account", "priorValue(stage)"])} & ""`,
    (g, r) => `${g("text")} & ${g(r.pick(KINDS))}`,
    (g) => `concat(${g("text")}, ${g("number")}, ${g("date")})`,
    (g, r) => `${r.pick(["upper", "lower", "trim"])}(${g("text")})`,
    (g, r) => `${r.pick(["left", "right"])}(${g("text")}, ${g("number")})`,
    (g) => `mid(${g("text")}, ${g("number")}, ${g("number")})`,
    (g) => `substitute(${g("text")}, ${g("text")}, ${g("text")})`,
    (g, r) => `${r.pick(["lpad", "rpad"])}(${g("text")}, ${g("number")}, ${g("text")})`,
    (g, r) => `text(${g(r.pick(["number", "currency", "date", "datetime", "boolean"] as const))})`,
    (g) => `text(${g("number")}, ${g("number")})`,
    (g) => `if(${g("boolean")}, ${g("text")}, ${g("text")})`,
    (g) => `case(stage, "proposal", ${g("text")}, "negotiation", ${g("text")}, ${g("text")})`,
    () => "text(tags)",
  ],
  boolean: [
    (_, r) => r.pick(["true", "false", "null", "approved"]),
    (g, r) => `${g("number")} ${r.pick(["=", "!=", "<", "<=", ">", ">="])} ${g("number")}`,
    (g, r) => `${g("currency")} ${r.pick(["=", ">", "<="])} ${g(r.pick(["number", "currency"] as const))}`,
    (g, r) => `${g("text")} ${r.pick(["=", "!=", "<", ">="])} ${g("text")}`,
    (g, r) => `${g("date")} ${r.pick(["=", "<", ">="])} ${g("date")}`,
    (g, r) => `${g("datetime")} ${r.pick(["!=", ">"])} ${g("datetime")}`,
    (_, r) => `stage ${r.pick(["in", "not in"])} ["proposal", "negotiation"]`,
    (_, r) => `includes(tags, "${r.pick(["vip", "at_risk"])}")`,
    () => `"vip" in tags`,
    (g) => `${g("text")} in [${g("text")}, null]`,
    (g, r) => `${r.pick(["isNull", "isBlank"])}(${g(r.pick(KINDS))})`,
    (g, r) => `${g("boolean")} ${r.pick(["and", "or"])} ${g("boolean")}`,
    (g) => `not ${g("boolean")}`,
    (_, r) => r.pick(["isChanged(stage)", "isChanged(amount)", "isNew()", 'priorValue(stage) = "proposal"']),
    (g, r) => `${r.pick(["contains", "startsWith", "endsWith"])}(${g("text")}, ${g("text")})`,
    () => "ownerId = $userId",
  ],
  date: [
    (_, r) => r.pick(["expectedCloseDate", "today()", '"2024-01-31"']).replace('"2024-01-31"', 'dateValue("2024-01-31")'),
    (g) => `date(${g("number")}, ${g("number")}, ${g("number")})`,
    (g, r) => `${r.pick(["addDays", "addMonths", "addYears"])}(${g("date")}, ${g("number")})`,
    (g, r) => `${g("date")} ${r.pick(["+", "-"])} ${g("number")}`,
    (g, r) => `dateValue(${g(r.pick(["text", "datetime", "date"] as const))})`,
    (g) => `min(${g("date")}, ${g("date")})`,
    (g) => `if(${g("boolean")}, ${g("date")}, null)`,
  ],
  datetime: [
    (_, r) => r.pick(["createdAt", "closedAt", "now()", "account.lastFollowUpAt", "priorValue(closedAt)"]),
    (g, r) => `${r.pick(["addDays", "addMonths", "addHours", "addMinutes"])}(${g("datetime")}, ${g("number")})`,
    (g, r) => `datetimeValue(${g(r.pick(["text", "date"] as const))})`,
    (g) => `max(${g("datetime")}, ${g("datetime")})`,
    (g) => `coalesce(${g("datetime")}, now())`,
  ],
};

function source(random: Random, kind: Kind, depth: number): string {
  // Parentheses keep each part's meaning whatever operator surrounds it.
  const g = (wanted: Kind): string => `(${source(random, wanted, depth - 1)})`;
  const rules = GRAMMAR[kind];
  // At the bottom only the first two rules (literals and fields) are used.
  const rule = depth <= 0 ? rules[random.int(0, 1)]! : random.pick(rules);
  return rule(g, random);
}

const KINDS: Kind[] = ["number", "currency", "text", "boolean", "date", "datetime"];
const ZONES = ["Europe/Berlin", "Asia/Shanghai", "America/Los_Angeles", "UTC", "Pacific/Chatham", "Mars/Olympus", undefined];

/** A record of the deal with every value random: valid, null, missing, and now and then of the wrong shape. */
function randomRecord(random: Random): RecordJson {
  const valid: Record<string, () => unknown> = {
    name: () => random.pick(["Acme", "", "客户 deal", "x".repeat(random.int(0, 300))]),
    stage: () => random.pick(["proposal", "negotiation", "closed_won"]),
    amount: () => ({ amount: random.pick([0, 0.1, 12000.5, -3, 1e15, 1e-7]), currency: random.pick(["EUR", "USD"]) }),
    probability: () => random.pick([0, 20, 99.5]),
    discount: () => random.pick([0, 25, 33.33]),
    quantity: () => random.int(-5, 1000),
    unitPrice: () => random.pick([19.99, 0.0001, 1e20, "12.5000"]),
    expectedCloseDate: () => random.pick(["2024-05-10", "0001-01-01", "9999-12-31", "2024-02-29"]),
    closedAt: () => random.pick(["2024-03-31T00:30:00.000Z", "0001-01-01T00:00:00.000Z", "9999-12-31T23:59:59.999Z"]),
    createdAt: () => "2024-03-01T08:00:00.000Z",
    nextStep: () => random.pick(["call", "  ", "a-b-a"]),
    tags: () => random.pick([[], ["vip"], ["vip", "at_risk"]]),
    approved: () => random.chance(0.5),
    account: () => random.pick([ACCOUNT_ID, "00000000-0000-4000-8000-0000000000ff", { id: ACCOUNT_ID, name: "Embedded", employees: 12 }]),
    primaryContact: () => CONTACT_ID,
  };
  const wrong = [42, "text", true, { amount: "x" }, ["a", 1], "2024-13-45"];
  const record: Record<string, unknown> = { ...dealRecord };
  for (const [key, make] of Object.entries(valid)) {
    const roll = random.next();
    record[key] = roll < 0.15 ? null : roll < 0.2 ? undefined : roll < 0.24 ? random.pick(wrong) : make();
  }
  return record;
}

function randomContext(random: Random): EvaluationContext {
  const related: Record<string, RecordJson> = {
    [ACCOUNT_ID]: { id: ACCOUNT_ID, name: "Acme", industry: "retail", employees: random.pick([null, 250, "many"]), annualRevenue: random.pick([null, { amount: 5e6, currency: random.pick(["USD", "EUR"]) }]), lastFollowUpAt: random.pick([null, "2024-04-01T09:00:00.000Z"]) },
    [CONTACT_ID]: { id: CONTACT_ID, account: random.pick([ACCOUNT_ID, null]) },
  };
  return {
    now: random.chance(0.95) ? Date.parse("2024-01-01T00:00:00Z") + random.int(0, 400) * 86_400_000 + random.int(0, 86_399_999) : undefined,
    timeZone: random.pick(ZONES),
    lookup: random.chance(0.9) ? (_entity, id) => related[id] : undefined,
    previous: random.chance(0.5) ? randomRecord(random) : undefined,
    variables: { userId: random.pick([dealRecord["ownerId"], "someone", 5]) },
    maxSteps: random.chance(0.1) ? random.int(1, 50) : undefined,
  };
}

const DOCUMENTED: EvaluationErrorCode[] = ["DIVISION_BY_ZERO", "CURRENCY_MISMATCH", "OUT_OF_RANGE", "INVALID_ARGUMENT", "INVALID_RECORD_VALUE", "INVALID_CONTEXT", "STEP_LIMIT_EXCEEDED"];

/** Whether a value is of the type the checker inferred. */
function fits(value: Value, type: ExpressionType): boolean {
  if (value === null) return true;
  switch (type.kind) {
    case "number":
      return value instanceof Decimal;
    case "currency":
      return value instanceof Money;
    case "text":
    case "select":
    case "reference":
      return typeof value === "string";
    case "boolean":
      return typeof value === "boolean";
    case "date":
      return value instanceof PlainDate;
    case "datetime":
      return value instanceof Instant;
    case "list":
      return Array.isArray(value) && value.every((item: Value) => fits(item, type.element));
    case "json":
      return value instanceof JsonValue;
    default:
      return false;
  }
}

describe("evaluation properties", () => {
  it("well-typed expressions compile, and evaluation returns a value of the inferred type or a documented error, never throwing", () => {
    let compiledCount = 0;
    const outcomes = new Set<string>();
    forAll(
      2500,
      (random) => ({ text: source(random, random.pick(KINDS), random.int(1, 4)), record: randomRecord(random), context: randomContext(random) }),
      ({ text, record, context }) => {
        const compiled = compileExpression(text, dealEnvironment);
        if (!compiled.ok) throw new Error(compiled.issues.map((i) => i.message).join("; "));
        compiledCount++;
        const result = compiled.value.evaluate(record, context);
        if (result.ok) {
          outcomes.add("ok");
          expect(fits(result.value, compiled.value.type), `${String(result.value)} is not ${JSON.stringify(compiled.value.type)}`).toBe(true);
          return;
        }
        outcomes.add(result.error.code);
        expect(DOCUMENTED, result.error.message).toContain(result.error.code);
        expect(result.error.offset + result.error.length).toBeLessThanOrEqual(text.length);
      },
    );
    expect(compiledCount).toBe(2500);
    // The generator reaches values and the error paths alike.
    expect(outcomes).toEqual(new Set(["ok", ...DOCUMENTED]));
  });

  it("any text, checked against the deal, gives issues or a compiled expression, never an exception", () => {
    const pieces = ["amount", "stage", "account.name", "tags", "(", ")", ",", "+", "&", "=", ">", "and", "not", "if(", "case(", "today()", '"x"', '"proposal"', "1", "[", "]", "in", "$userId", "$x", "includes(", "isChanged(", "priorValue(", "nme", "account.nmae"];
    forAll(
      3000,
      (random) => Array.from({ length: random.int(1, 14) }, () => random.pick(pieces)).join(" "),
      (text) => {
        const result = compileExpression(text, dealEnvironment);
        if (!result.ok) {
          for (const issue of result.issues) expect(issue.offset + issue.length).toBeLessThanOrEqual(text.length);
          return;
        }
        const evaluated = result.value.evaluate(dealRecord, {});
        if (!evaluated.ok) expect(DOCUMENTED).toContain(evaluated.error.code);
      },
    );
  });
});

describe("decimal properties", () => {
  const decimal = (random: Random): Decimal => {
    const digits = Array.from({ length: random.int(1, 30) }, () => random.int(0, 9)).join("");
    return Decimal.of((random.chance(0.5) ? -1n : 1n) * BigInt(digits), random.int(0, 12));
  };

  it("keeps the arithmetic laws exactly", () => {
    forAll(
      3000,
      (random) => [decimal(random), decimal(random), random.int(-3, 14)] as const,
      ([a, b, places]) => {
        expect(a.plus(b).minus(b).equals(a)).toBe(true);
        expect(a.times(b).equals(b.times(a))).toBe(true);
        if (!b.isZero()) expect(a.times(b).dividedBy(b, a.scale).equals(a)).toBe(true);
        expect(Decimal.parse(a.toString())!.equals(a)).toBe(true);
        const difference = a.minus(b).coefficient;
        expect(difference === 0n ? 0 : difference > 0n ? 1 : -1).toBe(a.compare(b));
        // Rounding moves the value by at most half a unit of the last place kept.
        const rounded = a.round(places);
        expect(a.minus(rounded).abs().compare(Decimal.of(5n, places + 1))).toBeLessThanOrEqual(0);
      },
    );
  });
});
