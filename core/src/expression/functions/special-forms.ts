/**
 * Functions the checker and the evaluator treat themselves: they evaluate only the arguments they
 * need (`if`, `case`, `coalesce`), or read a field of the previous record rather than a value.
 */
export interface SpecialForm {
  name: "if" | "case" | "coalesce" | "ifNull" | "isChanged" | "priorValue" | "isNew";
  category: "logic" | "record";
  signature: string;
  description: string;
  minArgs: number;
  maxArgs: number;
}

export type SpecialFormName = SpecialForm["name"];

export const SPECIAL_FORMS: readonly SpecialForm[] = [
  {
    name: "if",
    category: "logic",
    signature: "if(condition, then, else?) → value",
    description: "`then` when the condition is true, else `else` (null when left out). A null condition counts as false. Only the chosen branch is evaluated.",
    minArgs: 2,
    maxArgs: 3,
  },
  {
    name: "case",
    category: "logic",
    signature: "case(value, match, result, …, default?) → value",
    description: "The result after the first `match` equal to `value` (as `=` decides), else `default` (null when left out).",
    minArgs: 3,
    maxArgs: 201,
  },
  {
    name: "coalesce",
    category: "logic",
    signature: "coalesce(value, …) → value",
    description: "The first value that is not null; later values are not evaluated.",
    minArgs: 2,
    maxArgs: 100,
  },
  {
    name: "ifNull",
    category: "logic",
    signature: "ifNull(value, fallback) → value",
    description: "`value` unless it is null, else `fallback` (coalesce with two values).",
    minArgs: 2,
    maxArgs: 2,
  },
  {
    name: "isChanged",
    category: "record",
    signature: "isChanged(field) → boolean",
    description: "Whether the record's own field differs from the previous record in the context (false when there is none, i.e. on create).",
    minArgs: 1,
    maxArgs: 1,
  },
  {
    name: "priorValue",
    category: "record",
    signature: "priorValue(field) → value",
    description: "The field's value in the previous record (null when there is none).",
    minArgs: 1,
    maxArgs: 1,
  },
  {
    name: "isNew",
    category: "record",
    signature: "isNew() → boolean",
    description: "Whether the record is being created (the context has no previous record).",
    minArgs: 0,
    maxArgs: 0,
  },
];
