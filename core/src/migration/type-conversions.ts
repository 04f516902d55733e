import type { FieldDefinition, FieldType } from "../definition/types.ts";
import { numericChange, numericShape, sameShape } from "./numeric-change.ts";
import type { ValueLoss } from "./numeric-change.ts";
import { param, raw, sql } from "./sql.ts";
import type { Fragment } from "./sql.ts";
import type { StepClass } from "./types.ts";

/** The same patterns the record validator applies to email, phone and url values. */
export const TEXT_FORMAT_PATTERNS = {
  email: "^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$",
  url: "^https?://",
  phone: "^\\+?[0-9 ()./-]{3,30}$",
} as const;

export interface ConversionInput {
  /** The old value: a column, or an expression over the pre-migration table. */
  value: Fragment;
  from: FieldDefinition;
  to: FieldDefinition;
  /** A currency field's old currency code, when the old field is a currency. */
  currency?: Fragment;
  /** `context.conversions[fieldId].valueMap`, already checked against the target options. */
  valueMap: Record<string, string | null>;
}

export interface TypeConversion {
  from: readonly FieldType[];
  to: readonly FieldType[];
  class: StepClass | ((input: ConversionInput) => StepClass);
  /** What happens to the values, in words, for the step description. */
  note: string;
  /** The new value; absent (or undefined) when stored values stay exactly as they are. */
  convert?: (input: ConversionInput) => Fragment | undefined;
  /** The new value as measured by later impacts, when `convert` could fail on a value that blocks the change. */
  preview?: (input: ConversionInput) => Fragment | undefined;
  /** Rows whose value is lost or changed, or that block the change. */
  losses?: (input: ConversionInput) => ValueLoss[];
  /** A non-empty value may become empty (NULL), so a NOT NULL column is relaxed first and re-checked after. */
  clears?: boolean;
  /** The conversion maps values through `context.conversions[fieldId].valueMap`. */
  usesValueMap?: boolean;
  /** The physical side-effects beyond the value column. */
  currency?: "add" | "park";
  dropsSequence?: boolean;
}

const PLAIN_TEXT = ["text", "longText", "richText"] as const;
const FORMATTED_TEXT = ["email", "phone", "url"] as const;
const TEXT_LIKE = [...PLAIN_TEXT, ...FORMATTED_TEXT] as const;
const PARSABLE_TEXT = ["text", "longText"] as const;
const DECIMAL_LIKE = ["decimal", "percent"] as const;
const NUMBERS = ["integer", "decimal", "percent"] as const;

const NUMBER_PATTERN = "^[+-]?([0-9]+[.]?[0-9]*|[.][0-9]+)$";
const INTEGER_PATTERN = "^[+-]?[0-9]+$";

function formatPattern(type: FieldType): string {
  return TEXT_FORMAT_PATTERNS[type as keyof typeof TEXT_FORMAT_PATTERNS];
}

function numeric(input: ConversionInput) {
  return numericChange(input.value, numericShape(input.from), numericShape(input.to));
}

/** Numbers need rewriting only when the storage changes: decimal → percent at the same precision keeps every value. */
function numericConvert(input: ConversionInput): Fragment | undefined {
  return sameShape(numericShape(input.from), numericShape(input.to)) ? undefined : numeric(input).convert;
}

function numericPreview(input: ConversionInput): Fragment | undefined {
  return sameShape(numericShape(input.from), numericShape(input.to)) ? undefined : numeric(input).preview;
}

/** `btrim(value)` as a number when it looks like one, else NULL. Nested CASE: PostgreSQL may reorder AND, never CASE. */
function parsedNumber(value: Fragment, pattern: string): Fragment {
  return sql`(CASE WHEN btrim(${value}) ~ ${param(pattern)} THEN btrim(${value})::numeric END)`;
}

function parseToNumber(input: ConversionInput): Fragment {
  const shape = numericShape(input.to);
  if (shape.integer) {
    const parsed = parsedNumber(input.value, INTEGER_PATTERN);
    return sql`CASE WHEN ${parsed} BETWEEN -9223372036854775808 AND 9223372036854775807 THEN ${parsed}::bigint END`;
  }
  const parsed = parsedNumber(input.value, NUMBER_PATTERN);
  const limit = raw(`1${"0".repeat(shape.precision - shape.scale)}`);
  return sql`CASE WHEN abs(round(${parsed}, ${raw(String(shape.scale))})) < ${limit} THEN ${parsed}::numeric(${raw(`${shape.precision},${shape.scale}`)}) END`;
}

/** Text mapped to option keys: an option key stays, a mapped value takes its mapping, anything else is cleared. */
function optionKeyMap(input: ConversionInput): Fragment {
  const map: Record<string, string | null> = {};
  if (input.to.type === "select") for (const option of input.to.options) map[option.key] = option.key;
  Object.assign(map, input.valueMap);
  return sql`${param(JSON.stringify(map))}::jsonb`;
}

const clearedWhenEmpty = (input: ConversionInput, convert: Fragment): ValueLoss => ({
  where: sql`${input.value} IS NOT NULL AND ${convert} IS NULL`,
  message: "{count} values cannot be converted and will be cleared",
});

/**
 * Every supported type change, as data. A pair that no entry covers is refused by the planner.
 * Conversions that change the column type run as `ALTER … TYPE … USING`, so their expressions may
 * only hold platform constants; user-supplied values (value maps) go through an UPDATE with parameters.
 */
export const TYPE_CONVERSIONS: readonly TypeConversion[] = [
  { from: TEXT_LIKE, to: PLAIN_TEXT, class: "lossless", note: "values are kept as they are" },
  {
    from: [...PARSABLE_TEXT, ...FORMATTED_TEXT],
    to: FORMATTED_TEXT,
    class: "lossy",
    clears: true,
    note: "values that are not valid for the new type are cleared",
    convert: ({ value, to }) => sql`CASE WHEN ${value} ~ ${param(formatPattern(to.type))} THEN ${value} END`,
    losses: ({ value, to }) => [
      { where: sql`${value} !~ ${param(formatPattern(to.type))}`, message: `{count} values are not a valid ${to.type} and will be cleared` },
    ],
  },
  {
    from: NUMBERS,
    to: DECIMAL_LIKE,
    class: (input) => numeric(input).class,
    note: "numbers are kept",
    convert: numericConvert,
    preview: numericPreview,
    losses: (input) => numeric(input).losses,
  },
  {
    from: NUMBERS,
    to: ["currency"],
    class: (input) => numeric(input).class,
    currency: "add",
    note: "amounts are kept and get the default currency",
    convert: numericConvert,
    preview: numericPreview,
    losses: (input) => numeric(input).losses,
  },
  {
    from: DECIMAL_LIKE,
    to: ["integer"],
    class: (input) => numeric(input).class,
    note: "numbers are rounded to whole numbers",
    convert: numericConvert,
    preview: numericPreview,
    losses: (input) => numeric(input).losses,
  },
  {
    from: ["currency"],
    to: DECIMAL_LIKE,
    class: "lossy",
    currency: "park",
    note: "amounts are kept",
    convert: numericConvert,
    preview: numericPreview,
    losses: (input) => [
      ...numeric(input).losses,
      ...(input.currency ? [{ where: sql`${input.currency} IS NOT NULL`, message: "{count} amounts lose their currency code (set aside, no longer shown)" }] : []),
    ],
  },
  { from: NUMBERS, to: PLAIN_TEXT, class: "lossless", note: "numbers are written as text", convert: ({ value }) => sql`${value}::text` },
  {
    from: PARSABLE_TEXT,
    to: ["integer", ...DECIMAL_LIKE],
    class: "lossy",
    clears: true,
    note: "text that is not a number, or too large, is cleared",
    convert: parseToNumber,
    losses: (input) => {
      const converted = parseToNumber(input);
      const losses = [clearedWhenEmpty(input, converted)];
      const parsed = parsedNumber(input.value, NUMBER_PATTERN);
      if (input.to.type !== "integer") {
        losses.push({ where: sql`${converted} <> ${parsed}`, message: `{count} values have more than ${numericShape(input.to).scale} decimal places and will be rounded` });
      }
      return losses;
    },
  },
  {
    from: PARSABLE_TEXT,
    to: ["select"],
    class: "lossy",
    clears: true,
    usesValueMap: true,
    note: "values that match no option (and no mapping) are cleared",
    convert: (input) => sql`${optionKeyMap(input)} ->> ${input.value}`,
    losses: (input) => [{ where: sql`${input.value} IS NOT NULL AND (${optionKeyMap(input)} ->> ${input.value}) IS NULL`, message: "{count} values match no option and will be cleared" }],
  },
  { from: ["select"], to: PLAIN_TEXT, class: "lossless", note: "option keys are kept as text" },
  {
    from: ["select"],
    to: ["multiSelect"],
    class: "lossless",
    note: "each chosen option becomes a one-item list",
    convert: ({ value }) => sql`CASE WHEN ${value} IS NULL THEN NULL ELSE ARRAY[${value}] END`,
  },
  {
    from: ["multiSelect"],
    to: ["select"],
    class: "lossy",
    clears: true,
    note: "only the first chosen option is kept",
    convert: ({ value }) => sql`(${value})[1]`,
    losses: ({ value }) => [{ where: sql`cardinality(${value}) > 1`, message: "{count} rows hold more than one option; only the first is kept" }],
  },
  { from: ["boolean"], to: PLAIN_TEXT, class: "lossless", note: "values become 'true' or 'false'", convert: ({ value }) => sql`${value}::text` },
  { from: ["date"], to: ["datetime"], class: "lossless", note: "dates become midnight UTC", convert: ({ value }) => sql`(${value}::timestamp AT TIME ZONE 'UTC')` },
  {
    from: ["datetime"],
    to: ["date"],
    class: "lossy",
    note: "the time of day is dropped (dates are taken in UTC)",
    convert: ({ value }) => sql`(${value} AT TIME ZONE 'UTC')::date`,
    losses: ({ value }) => [{ where: sql`(${value} AT TIME ZONE 'UTC')::time <> '00:00'::time`, message: "{count} values have a time of day that will be dropped" }],
  },
  { from: ["date"], to: PLAIN_TEXT, class: "lossless", note: "dates are written as ISO text (YYYY-MM-DD)", convert: ({ value }) => sql`to_char(${value}, 'YYYY-MM-DD')` },
  {
    from: ["datetime"],
    to: PLAIN_TEXT,
    class: "lossless",
    note: "date-times are written as ISO text in UTC",
    convert: ({ value }) => sql`to_char(${value} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`,
  },
  { from: ["json"], to: PLAIN_TEXT, class: "lossless", note: "JSON is written as text", convert: ({ value }) => sql`${value}::text` },
  { from: PARSABLE_TEXT, to: ["json"], class: "lossless", note: "each text becomes a JSON string", convert: ({ value }) => sql`to_jsonb(${value})` },
  { from: ["autoNumber"], to: PLAIN_TEXT, class: "lossless", dropsSequence: true, note: "numbers are kept as text; new records are no longer numbered" },
];

/**
 * The conversion for a type change, or undefined when it is not supported.
 * @example findConversion("select", "multiSelect")?.class // "lossless"
 */
export function findConversion(from: FieldType, to: FieldType): TypeConversion | undefined {
  if (from === to) return undefined;
  return TYPE_CONVERSIONS.find((c) => c.from.includes(from) && c.to.includes(to));
}

/** Why a type change is refused, in words. */
export function refusalReason(from: FieldType, to: FieldType): string {
  if (from === "relation" || to === "relation") return "a relation holds links to other records, which no other type can hold";
  if (to === "autoNumber") return "auto numbers are given by the platform as records are created, so existing values cannot become them";
  if (from === "autoNumber") return "an auto number is text with a prefix, which only a text type can hold";
  if (to === "json") return "only plain text can be turned into JSON";
  return "there is no safe way to convert the stored values";
}

export function conversionClass(conversion: TypeConversion, input: ConversionInput): StepClass {
  return typeof conversion.class === "function" ? conversion.class(input) : conversion.class;
}
