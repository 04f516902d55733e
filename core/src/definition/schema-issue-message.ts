import { describeType, show } from "./ajv-errors.ts";
import type { SchemaError } from "./ajv-errors.ts";

/**
 * An English message for one schema error of a document: the value's format rule when the schema
 * names one (`formatRules[code]`), else a phrase for the keyword. `document` names the whole input.
 * @example schemaIssueMessage(error, {}, "The manifest") // "\"version\" is required."
 */
export function schemaIssueMessage(e: SchemaError, formatRules: Readonly<Record<string, string>>, document: string): string {
  const rule = formatRules[e.code];
  if (rule !== undefined && e.data !== undefined && typeof e.data === "string") return `${show(e.data)} is not valid: ${rule}.`;
  const who = subject(e.pointer, document);
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
    minProperties: () => `${who} needs at least ${limit === 1 ? "one entry" : `${limit} entries`}.`,
    maxProperties: () => `${who} allows at most ${limit} item(s).`,
    uniqueItems: () => `${who} lists the same value twice (items ${e.params["j"]} and ${e.params["i"]}).`,
    pattern: () => `${who} is not valid.`,
    format: () => `${who} must be a ${String(e.params["format"])}.`,
    discriminator: () => `${who} must be one of the known types.`,
    oneOf: () => `${who} must match exactly one of its alternatives.`,
  };
  return phrases[e.keyword]?.() ?? `${who} is not valid (${e.keyword}).`;
}

function subject(pointer: string, document: string): string {
  if (pointer === "") return document;
  const last = pointer.slice(pointer.lastIndexOf("/") + 1).replace(/~1/g, "/").replace(/~0/g, "~");
  return /^\d+$/.test(last) ? `Item ${last}` : `"${last}"`;
}
