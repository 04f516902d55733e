import fieldSchema from "@crm/schemas/field.schema.json" with { type: "json" };
import localizedTextSchema from "@crm/schemas/localized-text.schema.json" with { type: "json" };
import manifestSchema from "@crm/schemas/plugin-manifest.schema.json" with { type: "json" };
import { describeType, readAjvErrors, show, uniqueIssues } from "../definition/ajv-errors.ts";
import type { SchemaError } from "../definition/ajv-errors.ts";
import { createAjv } from "../definition/create-ajv.ts";
import type { Issue } from "../issues.ts";

const ajv = createAjv();
ajv.addSchema(localizedTextSchema);
ajv.addSchema(fieldSchema);
const validateManifest = ajv.compile(manifestSchema);

const FORMAT_RULES: Record<string, string> = {
  INVALID_PLUGIN_ID: 'a plugin id is kebab-case or reverse-DNS style, e.g. "lead-scoring" or "com.acme.duplicate-guard"',
  INVALID_VERSION: 'a version is a semantic version such as "1.4.0"',
  INVALID_RANGE: 'an engine range is a semver range such as "^0.1.0" or ">=0.1.0 <2.0.0"',
  INVALID_URL_PREFIX: 'a URL prefix has a scheme, a host and a path starting with "/", e.g. "https://api.example.com/v1/"',
  INVALID_KEY: "a name starts with a lowercase letter and contains only letters and digits (camelCase)",
  INVALID_TIMEZONE: 'a time zone is an IANA name such as "Europe/Berlin"',
};

/**
 * Check a manifest against `plugin-manifest.schema.json`, one issue per problem, each with a
 * JSON Pointer and a message for people.
 * @example manifestSchemaIssues({ id: "x" })[0] // { code: "REQUIRED", pointer: "/version", message: "\"version\" is required." }
 */
export function manifestSchemaIssues(input: unknown): Issue[] {
  if (validateManifest(input)) return [];
  return uniqueIssues(readAjvErrors(validateManifest.errors).map((e) => ({ code: e.code, pointer: e.pointer, message: message(e) })));
}

function subject(pointer: string): string {
  if (pointer === "") return "The manifest";
  const last = pointer.slice(pointer.lastIndexOf("/") + 1).replace(/~1/g, "/").replace(/~0/g, "~");
  return /^\d+$/.test(last) ? `Item ${last}` : `"${last}"`;
}

function message(e: SchemaError): string {
  const rule = FORMAT_RULES[e.code];
  if (rule !== undefined && e.data !== undefined && typeof e.data === "string") return `${show(e.data)} is not valid: ${rule}.`;
  const who = subject(e.pointer);
  const limit = e.params["limit"];
  const phrases: Record<string, () => string> = {
    required: () => `${who} is required.`,
    additionalProperties: () => `${who} is not a known property here.`,
    type: () => `${who} must be ${describeType(e.params["type"])}.`,
    enum: () => `${who} must be one of ${(e.params["allowedValues"] as unknown[]).map((v) => show(v)).join(", ")}.`,
    const: () => `${who} must be ${show(e.params["allowedValue"])}.`,
    minimum: () => `${who} must be at least ${limit}.`,
    maximum: () => `${who} must be at most ${limit}.`,
    minLength: () => `${who} must be at least ${limit} characters.`,
    maxLength: () => `${who} must be at most ${limit} characters.`,
    minItems: () => `${who} needs at least ${limit} item(s).`,
    maxItems: () => `${who} allows at most ${limit} item(s).`,
    minProperties: () => `${who} needs at least one language.`,
    maxProperties: () => `${who} allows at most ${limit} item(s).`,
    uniqueItems: () => `${who} lists the same value twice (items ${e.params["j"]} and ${e.params["i"]}).`,
    pattern: () => `${who} is not valid.`,
  };
  return phrases[e.keyword]?.() ?? `${who} is not valid (${e.keyword}).`;
}
