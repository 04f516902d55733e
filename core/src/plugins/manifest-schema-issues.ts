import fieldSchema from "@crm/schemas/field.schema.json" with { type: "json" };
import localizedTextSchema from "@crm/schemas/localized-text.schema.json" with { type: "json" };
import manifestSchema from "@crm/schemas/plugin-manifest.schema.json" with { type: "json" };
import { readAjvErrors, uniqueIssues } from "../definition/ajv-errors.ts";
import { schemaIssueMessage } from "../definition/schema-issue-message.ts";
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

function message(e: SchemaError): string {
  // The only object with minProperties in a manifest is localized text.
  if (e.keyword === "minProperties") return `${e.pointer === "" ? "The manifest" : `"${e.pointer.slice(e.pointer.lastIndexOf("/") + 1)}"`} needs at least one language.`;
  return schemaIssueMessage(e, FORMAT_RULES, "The manifest");
}
