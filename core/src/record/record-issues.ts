import type { ErrorObject } from "ajv";
import { describeType, readAjvErrors, show, uniqueIssues } from "../definition/ajv-errors.ts";
import type { SchemaError } from "../definition/ajv-errors.ts";
import { labelText } from "../definition/field-traits.ts";
import { SYSTEM_FIELDS } from "../definition/types.ts";
import type { EntityDefinition, FieldDefinition } from "../definition/types.ts";
import type { Issue } from "../issues.ts";
import { CURRENCY_PATTERN, PHONE_PATTERN, WEB_URL_PATTERN } from "./field-value-schema.ts";

/**
 * Turn ajv's errors for a record write into issues whose messages name the fields by label.
 * @example
 * recordIssues(validate.errors, account)
 * // [{ code: "TOO_LONG", pointer: "/name", message: "\"Name\" must be at most 80 characters (got 93)." }]
 */
export function recordIssues(errors: ErrorObject[] | null | undefined, def: EntityDefinition): Issue[] {
  const issues = readAjvErrors(errors).map((error) => {
    const code = recordCode(error);
    return { code, pointer: error.pointer, message: message(code, error, def) };
  });
  return uniqueIssues(issues);
}

function recordCode(error: SchemaError): string {
  if (error.keyword === "false schema") return "READ_ONLY_FIELD";
  if (error.keyword === "additionalProperties" && depth(error.pointer) === 1) return "UNKNOWN_FIELD";
  if (error.keyword === "enum") return "NOT_AN_OPTION";
  if (error.keyword === "type" && error.data === null && error.pointer !== "") return "REQUIRED";
  if (error.keyword === "x-decimal") return error.params["reason"] === "scale" ? "TOO_MANY_DECIMALS" : "OUT_OF_RANGE";
  return error.code;
}

function depth(pointer: string): number {
  return pointer.split("/").length - 1;
}

function tokens(pointer: string): string[] {
  return pointer.split("/").slice(1).map((t) => t.replace(/~1/g, "/").replace(/~0/g, "~"));
}

function findField(def: EntityDefinition, key: string | undefined): FieldDefinition | undefined {
  return def.fields.find((f) => f.key === key);
}

function subject(pointer: string, def: EntityDefinition): string {
  const [first, ...rest] = tokens(pointer);
  if (first === undefined) return "The record";
  const field = findField(def, first);
  let text = `"${field ? labelText(field.label, field.key) : first}"`;
  for (const token of rest) text = /^\d+$/.test(token) ? `Item ${Number(token) + 1} of ${text}` : `${text} ${token}`;
  return text;
}

function message(code: string, error: SchemaError, def: EntityDefinition): string {
  const who = subject(error.pointer, def);
  const p = error.params;
  switch (code) {
    case "REQUIRED":
      return `${who} is required.`;
    case "READ_ONLY_FIELD":
      return readOnlyMessage(error.pointer, def);
    case "UNKNOWN_FIELD":
      return `${who} is not a field of ${labelText(def.label, def.key)}.`;
    case "UNKNOWN_PROPERTY":
      return `${subject(error.pointer.slice(0, error.pointer.lastIndexOf("/")), def)} has no property ${show(tokens(error.pointer).at(-1))}.`;
    case "INVALID_TYPE":
      return `${who} must be ${describeType(p["type"])}.`;
    case "NOT_AN_OPTION":
      return `${who} must be one of ${listOf(p["allowedValues"])} (got ${show(error.data)}).`;
    case "TOO_LONG":
      return `${who} must be at most ${p["limit"]} characters (got ${String(error.data).length}).`;
    case "TOO_SHORT":
      return p["limit"] === 1 ? `${who} must not be empty.` : `${who} must be at least ${p["limit"]} characters.`;
    case "TOO_FEW_ITEMS":
      return `${who} needs at least ${p["limit"]} item(s).`;
    case "TOO_MANY_ITEMS":
      return `${who} allows at most ${p["limit"]} item(s).`;
    case "DUPLICATE_ITEM":
      return `${who} lists the same value twice (items ${Number(p["j"]) + 1} and ${Number(p["i"]) + 1}).`;
    case "TOO_MANY_DECIMALS":
      return `${who} must have at most ${p["scale"]} decimal place(s).`;
    case "OUT_OF_RANGE":
      return `${who} ${rangeText(error)}.`;
    case "INVALID_FORMAT":
      return `${who} ${formatText(error)}.`;
    default:
      return `${who} is not valid.`;
  }
}

function readOnlyMessage(pointer: string, def: EntityDefinition): string {
  const key = tokens(pointer)[0] ?? "";
  const field = findField(def, key);
  if (!field) return `"${key}" is set by the system and cannot be written.`;
  const label = labelText(field.label, field.key);
  if (field.type === "autoNumber") return `"${label}" is numbered automatically and cannot be written.`;
  return `"${label}" lists the records that point here; set the relation on those records instead.`;
}

function listOf(values: unknown): string {
  const list = Array.isArray(values) ? values.filter((v) => v !== null) : [];
  const shown = list.slice(0, 10).map((v) => show(v)).join(", ");
  return list.length > 10 ? `${shown}, …` : shown;
}

function rangeText(error: SchemaError): string {
  const limit = error.params["limit"];
  switch (error.keyword) {
    case "minimum":
      return `must be at least ${limit}`;
    case "maximum":
      return `must be at most ${limit}`;
    case "formatMinimum":
      return `must be on or after ${limit}`;
    case "formatMaximum":
      return `must be on or before ${limit}`;
    case "x-decimal":
      return `must have at most ${Number(error.params["precision"]) - Number(error.params["scale"])} digit(s) before the decimal point`;
    default:
      return `is out of range (${error.keyword} ${String(limit)})`;
  }
}

const FORMAT_TEXT: Record<string, string> = {
  email: "must be an email address",
  uri: "must be a web address starting with http:// or https://",
  uuid: "must be a record id (a UUID)",
  date: "must be a date like 2024-12-31",
  "date-time": "must be a date and time with a time zone, like 2024-12-31T09:30:00Z",
  [WEB_URL_PATTERN]: "must be a web address starting with http:// or https://",
  [PHONE_PATTERN]: "must be a phone number such as +1 (555) 010-0199",
  [CURRENCY_PATTERN]: "must be a three-letter currency code such as EUR",
};

function formatText(error: SchemaError): string {
  const rule = String(error.params["format"] ?? error.params["pattern"]);
  return FORMAT_TEXT[rule] ?? `does not match the pattern ${rule}`;
}
