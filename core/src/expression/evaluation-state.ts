import type { Span } from "./ast.ts";
import type { Decimal } from "./decimal.ts";
import { fault } from "./evaluation-error.ts";
import { isTimeZone } from "./time-zone.ts";

/** Bounds of one evaluation. Numbers: digits before the point; places kept after it; places of a quotient. */
export const EVALUATION_LIMITS = {
  maxSteps: 10_000,
  maxTextLength: 100_000,
  maxIntegerDigits: 38,
  maxScale: 38,
  divisionScale: 20,
} as const;

/** A record in the API's JSON shape. */
export type RecordJson = Readonly<Record<string, unknown>>;

/**
 * What an evaluation may use besides the record. Nothing is read from the environment: the clock and
 * the time zone are given, related records come from `lookup`.
 */
export interface EvaluationContext {
  /** The current instant, for now() and today(). Needed only when the expression uses them. */
  now?: Date | number;
  /** IANA time zone for today(), dateValue(datetime), datetimeValue(date) and calendar arithmetic on date-times. */
  timeZone?: string;
  /**
   * A related record by entity key and id, or null/undefined when it does not exist or is not
   * visible (the path then reads as null). Needed only when the expression reads through a relation
   * whose value in the record is an id; an embedded (expanded) record is used as it is.
   */
  lookup?: (entity: string, id: string) => RecordJson | null | undefined;
  /** The record before the change being judged, for isChanged() and priorValue(); absent when it is new. */
  previous?: RecordJson | null;
  /** Values of the environment's `$variables`, in the API's JSON shape. */
  variables?: Readonly<Record<string, unknown>>;
  /** Work allowed before STEP_LIMIT_EXCEEDED; default 10 000. Every node counts 1, text 1 per 100 characters made. */
  maxSteps?: number;
}

/** The mutable state of one evaluation. */
export interface EvaluationState {
  record: RecordJson;
  context: EvaluationContext;
  steps: number;
  maxSteps: number;
}

/** Where a function or operator is being evaluated: for errors and step counting. */
export interface At {
  state: EvaluationState;
  span: Span;
}

/** Count `cost` steps; fail once the budget is spent. */
export function spend(at: At, cost = 1): void {
  at.state.steps += cost;
  if (at.state.steps > at.state.maxSteps) {
    fault("STEP_LIMIT_EXCEEDED", `the expression needed more than ${at.state.maxSteps} steps`, at.span);
  }
}

/** A number result within range; places beyond the limit are rounded half-up. */
export function checkedNumber(value: Decimal, at: At): Decimal {
  if (value.integerDigits() > EVALUATION_LIMITS.maxIntegerDigits) {
    fault("OUT_OF_RANGE", `the result has more than ${EVALUATION_LIMITS.maxIntegerDigits} digits before the decimal point`, at.span);
  }
  return value.scale > EVALUATION_LIMITS.maxScale ? value.round(EVALUATION_LIMITS.maxScale) : value;
}

/** A text result within the length limit, its making paid for in steps. */
export function checkedText(value: string, at: At): string {
  if (value.length > EVALUATION_LIMITS.maxTextLength) {
    fault("OUT_OF_RANGE", `the text would be ${value.length} characters long; at most ${EVALUATION_LIMITS.maxTextLength} are allowed`, at.span);
  }
  spend(at, Math.floor(value.length / 100));
  return value;
}

/** The injected clock, in milliseconds since the epoch. */
export function clockOf(at: At): number {
  const now = at.state.context.now;
  const ms = now instanceof Date ? now.getTime() : now;
  if (typeof ms !== "number" || !Number.isFinite(ms)) fault("INVALID_CONTEXT", "this expression reads the clock, but the evaluation context has no valid `now`", at.span);
  return ms;
}

/** The context's time zone, checked. */
export function timeZoneOf(at: At): string {
  const zone = at.state.context.timeZone;
  if (typeof zone !== "string" || !isTimeZone(zone)) {
    fault("INVALID_CONTEXT", `this expression needs a time zone, but the evaluation context has ${zone === undefined ? "none" : `an unknown one (${JSON.stringify(zone)})`}`, at.span);
  }
  return zone;
}

/** An argument that must be a whole number, as a JS number within ±limit. */
export function wholeNumber(value: Decimal, what: string, at: At, limit = 1_000_000): number {
  const n = value.toSafeInteger();
  if (n === undefined || Math.abs(n) > limit) fault("INVALID_ARGUMENT", `${what} must be a whole number between -${limit} and ${limit}, not ${value.toString()}`, at.span);
  return n;
}

