import { pointer } from "../issues.ts";
import type { Issue } from "../issues.ts";
import type { EntityDefinition, FieldDefinition } from "./types.ts";

/** A field that passed the schema, with where it sits in the definition. */
export interface CheckedField {
  field: FieldDefinition;
  index: number;
  /** JSON Pointer of the field object, e.g. `/fields/3`. */
  at: string;
}

/** What the semantic checks share while they look at one definition. */
export interface DefinitionCheck {
  /** The input seen as a definition; only the parts for which `isClean` holds are trusted. */
  def: EntityDefinition;
  /** The `fields` array as given (items may be malformed). */
  rawFields: unknown[];
  /** Fields whose whole object passed the schema. */
  fields: CheckedField[];
  /** Other entities that relations may target; untrusted, so read defensively. */
  others: unknown[];
  issues: Issue[];
  /** No issue so far at, inside or above this pointer. */
  isClean(at: string): boolean;
  report(code: string, at: string, message: string): void;
}

/**
 * Start the semantic checks of an object that has been through the schema.
 * @example createDefinitionCheck(input, schemaIssues(input), []).fields.length
 */
export function createDefinitionCheck(input: Record<string, unknown>, issues: Issue[], others: unknown[]): DefinitionCheck {
  const rawFields = Array.isArray(input["fields"]) ? (input["fields"] as unknown[]) : [];
  const isClean = (at: string) =>
    !issues.some((i) => i.pointer === at || i.pointer.startsWith(at + "/") || at.startsWith(i.pointer + "/"));
  const fields: CheckedField[] = [];
  rawFields.forEach((field, index) => {
    const at = pointer("fields", index);
    if (isClean(at)) fields.push({ field: field as FieldDefinition, index, at });
  });
  return {
    def: input as unknown as EntityDefinition,
    rawFields,
    fields,
    others,
    issues,
    isClean,
    report: (code, at, message) => void issues.push({ code, pointer: at, message }),
  };
}

/**
 * Whether a value is a plain JSON object.
 * @example isObject([]) // false
 */
export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
