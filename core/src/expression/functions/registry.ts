import { DATE_FUNCTIONS } from "./date-functions.ts";
import type { FunctionSpec } from "./function-spec.ts";
import { MATH_FUNCTIONS } from "./math-functions.ts";
import { OTHER_FUNCTIONS } from "./other-functions.ts";
import { SPECIAL_FORMS, type SpecialForm } from "./special-forms.ts";
import { TEXT_FUNCTIONS } from "./text-functions.ts";

/** Every function evaluated from its argument values. */
export const FUNCTIONS: readonly FunctionSpec[] = [...TEXT_FUNCTIONS, ...MATH_FUNCTIONS, ...DATE_FUNCTIONS, ...OTHER_FUNCTIONS];

export type FoundFunction = { kind: "function"; spec: FunctionSpec } | { kind: "special"; form: SpecialForm };

const BY_NAME = new Map<string, FoundFunction>([
  ...FUNCTIONS.map((spec): [string, FoundFunction] => [spec.name.toLowerCase(), { kind: "function", spec }]),
  ...SPECIAL_FORMS.map((form): [string, FoundFunction] => [form.name.toLowerCase(), { kind: "special", form }]),
]);

/**
 * A function by name, ignoring case (`IF`, `addDays`, `ADDDAYS`), or undefined.
 * @example findFunction("LEFT")?.kind // "function"
 */
export function findFunction(name: string): FoundFunction | undefined {
  return BY_NAME.get(name.toLowerCase());
}

/** All function names in their documented spelling. */
export function functionNames(): string[] {
  return [...FUNCTIONS.map((f) => f.name), ...SPECIAL_FORMS.map((f) => f.name)];
}
