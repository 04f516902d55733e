import { pointer } from "../issues.ts";
import type { CheckedField, DefinitionCheck } from "./definition-check.ts";
import { decimalLimits, isIndexable } from "./field-traits.ts";
import type { FieldDefinition, SelectOption } from "./types.ts";

type At = (...tokens: Array<string | number>) => string;

/**
 * The rules of one field that the schema cannot express: ranges in order, a pattern that compiles,
 * unique option keys, allowed currencies, and `unique`/`indexed` only where an index makes sense.
 * Relations are checked by `checkRelation`, defaults by `checkDefaults`.
 * @example checkField(check, { field, index: 2, at: "/fields/2" })
 */
export function checkField(check: DefinitionCheck, { field, at }: CheckedField): void {
  const to: At = (...tokens) => at + pointer(...tokens);
  switch (field.type) {
    case "text":
    case "longText":
    case "richText":
    case "email":
    case "phone":
    case "url":
      checkRange(check, to, "minLength", "maxLength", field.minLength, field.maxLength);
      if (field.pattern !== undefined) checkPattern(check, to("pattern"), field.pattern);
      break;
    case "integer":
      checkRange(check, to, "min", "max", field.min, field.max);
      break;
    case "decimal":
    case "percent":
    case "currency":
      checkDecimal(check, to, field);
      break;
    case "date":
    case "datetime":
      checkRange(check, to, "min", "max", toTime(field.min), toTime(field.max), field.min, field.max);
      break;
    case "select":
      checkOptions(check, to, field.options);
      break;
    case "multiSelect":
      checkOptions(check, to, field.options);
      checkRange(check, to, "minItems", "maxItems", field.minItems, field.maxItems);
      if ((field.minItems ?? 0) > field.options.length) {
        check.report("INVALID_RANGE", to("minItems"), `"minItems" (${field.minItems}) is more than the ${field.options.length} option(s) there are.`);
      }
      break;
    default:
      break;
  }
  checkIndexable(check, to, field);
}

function checkRange(
  check: DefinitionCheck,
  to: At,
  lowName: string,
  highName: string,
  low: number | undefined,
  high: number | undefined,
  lowText: unknown = low,
  highText: unknown = high,
): void {
  if (low === undefined || high === undefined || low <= high) return;
  check.report("INVALID_RANGE", to(highName), `"${highName}" (${highText}) must not be less than "${lowName}" (${lowText}).`);
}

function toTime(iso: string | undefined): number | undefined {
  return iso === undefined ? undefined : Date.parse(iso);
}

function checkPattern(check: DefinitionCheck, at: string, pattern: string): void {
  try {
    new RegExp(pattern, "u");
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    check.report("INVALID_PATTERN", at, `The pattern is not a valid regular expression (Unicode mode): ${reason}`);
  }
}

function checkDecimal(check: DefinitionCheck, to: At, field: Extract<FieldDefinition, { type: "decimal" | "percent" | "currency" }>): void {
  checkRange(check, to, "min", "max", field.min, field.max);
  const { precision, scale } = decimalLimits(field);
  if (scale > precision && field.scale !== undefined) {
    check.report("INVALID_RANGE", to("scale"), `"scale" (${scale}) must not be more than "precision" (${precision}).`);
  } else if (scale > precision) {
    check.report("INVALID_RANGE", to("precision"), `"precision" (${precision}) is less than the default scale ${scale}; set "scale" as well.`);
  }
  if (field.type !== "currency" || field.defaultCurrency === undefined || field.currencies === undefined) return;
  if (!field.currencies.includes(field.defaultCurrency)) {
    check.report("CURRENCY_NOT_ALLOWED", to("defaultCurrency"), `Default currency "${field.defaultCurrency}" is not among the allowed currencies (${field.currencies.join(", ")}).`);
  }
}

function checkOptions(check: DefinitionCheck, to: At, options: SelectOption[]): void {
  const seen = new Map<string, number>();
  options.forEach((option, index) => {
    const first = seen.get(option.key);
    if (first === undefined) seen.set(option.key, index);
    else check.report("DUPLICATE_OPTION", to("options", index, "key"), `Option key "${option.key}" is already used by option ${first}.`);
  });
}

function checkIndexable(check: DefinitionCheck, to: At, field: FieldDefinition): void {
  if (isIndexable(field)) return;
  const kind = field.type === "relation" ? `${field.relation} relation` : `${field.type} field`;
  for (const flag of ["unique", "indexed"] as const) {
    if (field[flag] === true) check.report("NOT_INDEXABLE", to(flag), `A ${kind} cannot be ${flag}.`);
  }
}
