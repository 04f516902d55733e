import entitySchema from "@crm/schemas/entity.schema.json" with { type: "json" };
import fieldSchema from "@crm/schemas/field.schema.json" with { type: "json" };
import localizedTextSchema from "@crm/schemas/localized-text.schema.json" with { type: "json" };
import type { Issue } from "../issues.ts";
import { describeType, readAjvErrors, show, uniqueIssues } from "./ajv-errors.ts";
import type { SchemaError } from "./ajv-errors.ts";
import { createAjv } from "./create-ajv.ts";
import { FIELD_TYPES } from "./types.ts";

const ajv = createAjv();
ajv.addSchema(localizedTextSchema);
ajv.addSchema(fieldSchema);
const validateEntity = ajv.compile(entitySchema);

/**
 * Check an entity definition against `entity.schema.json`, one issue per problem, with messages
 * written for people rather than ajv's own.
 * @example schemaIssues({ id: "acc" })[0] // { code: "REQUIRED", pointer: "/key", message: "\"key\" is required." }
 */
export function schemaIssues(input: unknown): Issue[] {
  if (validateEntity(input)) return [];
  return uniqueIssues(readAjvErrors(validateEntity.errors).map((e) => ({ code: code(e), pointer: e.pointer, message: message(e) })));
}

function code(e: SchemaError): string {
  if (e.keyword !== "discriminator" || e.params["error"] === "mapping") return e.code;
  return e.data === undefined ? "REQUIRED" : "INVALID_TYPE";
}

function name(pointer: string): string {
  const last = pointer.slice(pointer.lastIndexOf("/") + 1).replace(/~1/g, "/").replace(/~0/g, "~");
  if (pointer === "") return "The definition";
  return /^\d+$/.test(last) ? `Item ${last}` : `"${last}"`;
}

const FORMAT_RULES: Record<string, string> = {
  INVALID_KEY: "a key must start with a lowercase letter and contain only letters and digits (camelCase), at most 30 characters",
  INVALID_ID: "an id must start with a lowercase letter or digit and contain only lowercase letters, digits, \"_\" and \"-\", at most 40 characters",
  INVALID_OPTION_KEY: "an option key must start with a lowercase letter and contain only lowercase letters, digits and \"_\", at most 40 characters",
  INVALID_COLOR: "a colour is written #rrggbb, e.g. \"#1a7f37\"",
  INVALID_CURRENCY: "a currency is a three-letter ISO 4217 code such as \"EUR\"",
  INVALID_LOCALE: "a locale is a language tag such as \"en\" or \"zh-CN\"",
};

function message(e: SchemaError): string {
  const rule = FORMAT_RULES[e.code];
  if (rule !== undefined) return `${show(e.data)} is not valid: ${rule}.`;
  const who = name(e.pointer);
  const p = e.params;
  switch (e.keyword) {
    case "required":
      return `${who} is required.`;
    case "additionalProperties":
      return `${who} is not a known property here.`;
    case "discriminator":
      if (p["error"] === "mapping") return `Unknown field type ${show(e.data)}; expected one of ${FIELD_TYPES.join(", ")}.`;
      return e.data === undefined ? `"type" is required.` : `"type" must be text naming a field type.`;
    case "type":
      return `${who} must be ${describeType(p["type"])}.`;
    case "enum":
      return `${who} must be one of ${(p["allowedValues"] as unknown[]).map((v) => show(v)).join(", ")}.`;
    case "const":
      return `${who} must be ${show(p["allowedValue"])}.`;
    case "anyOf":
      return e.code === "INVALID_DATE" ? `${who} must be an ISO date${dateHint(e)} or "now".` : `${who} is not valid.`;
    case "minimum":
    case "maximum":
      return `${who} must be ${e.keyword === "minimum" ? "at least" : "at most"} ${p["limit"]}.`;
    case "minLength":
      return p["limit"] === 1 ? `${who} must not be empty.` : `${who} must be at least ${p["limit"]} characters.`;
    case "maxLength":
      return `${who} must be at most ${p["limit"]} characters (got ${String(e.data).length}).`;
    case "minItems":
      return `${who} needs at least ${p["limit"]} item(s).`;
    case "maxItems":
    case "maxProperties":
      return `${who} allows at most ${p["limit"]} item(s).`;
    case "minProperties":
      return `${who} needs at least one language.`;
    case "uniqueItems":
      return `${who} lists the same value twice (items ${p["j"]} and ${p["i"]}).`;
    case "format":
      return `${who} must be ${p["format"] === "date" ? "an ISO date like 2024-12-31" : "an ISO date-time like 2024-12-31T09:30:00Z"}.`;
    default:
      return `${who} is not valid (${e.keyword}).`;
  }
}

function dateHint(e: SchemaError): string {
  const branches = e.parentSchema?.["anyOf"];
  const text = JSON.stringify(branches ?? "");
  return text.includes("date-time") ? "-time like 2024-12-31T09:30:00Z" : " like 2024-12-31";
}
