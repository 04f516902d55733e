import { createAjv } from "../definition/create-ajv.ts";
import { pointer } from "../issues.ts";
import type { Issue, Result } from "../issues.ts";
import { checkCron } from "./check-cron.ts";
import { manifestSchemaIssues } from "./manifest-schema-issues.ts";
import { HOOK_NAMES } from "./types.ts";
import type { PluginManifest } from "./types.ts";

/** What a manifest is checked against besides itself. */
export interface ManifestContext {
  /** Entity keys of the live schema; without it, entity keys are only checked for their form. */
  entities?: readonly string[];
}

/**
 * Validate a plugin manifest (`plugin.json`): first against `plugin-manifest.schema.json`, then the
 * rules a schema cannot say (a settings schema that compiles, cron expressions, time zones, unique
 * action and schedule names, known entities). Returns every issue at once, each with a JSON Pointer
 * into `input`.
 *
 * @example
 * validateManifest({ id: "lead-scoring", version: "1.0.0", engine: "^0.1.0", capabilities: {},
 *   schedules: [{ name: "nightly", cron: "0 25 * * *" }] });
 * // { ok: false, issues: [{ code: "INVALID_CRON", pointer: "/schedules/0/cron", message: "…hour 25 is out of range 0-23." }] }
 */
export function validateManifest(input: unknown, context: ManifestContext = {}): Result<PluginManifest> {
  const issues = manifestSchemaIssues(input);
  if (issues.length > 0) return { ok: false, issues };
  const manifest = input as PluginManifest;
  issues.push(...settingsIssues(manifest), ...scheduleIssues(manifest), ...duplicateNames(manifest, "actions"), ...duplicateNames(manifest, "schedules"));
  if (context.entities !== undefined) issues.push(...unknownEntities(manifest, new Set(context.entities)));
  return issues.length > 0 ? { ok: false, issues } : { ok: true, value: manifest };
}

// A settings schema is the plugin author's, so it is checked by a validator of its own.
const settingsAjv = createAjv();

function settingsIssues(manifest: PluginManifest): Issue[] {
  if (manifest.settings === undefined) return [];
  let valid: boolean;
  try {
    valid = settingsAjv.validateSchema(manifest.settings) as boolean;
  } catch (error) {
    return [{ code: "INVALID_SETTINGS_SCHEMA", pointer: "/settings", message: `The settings schema is not valid: ${(error as Error).message}.` }];
  }
  if (!valid) {
    return (settingsAjv.errors ?? []).map((e) => ({
      code: "INVALID_SETTINGS_SCHEMA",
      pointer: `/settings${e.instancePath}`,
      message: `The settings schema is not valid JSON Schema 2020-12: ${e.instancePath || "the schema"} ${e.message ?? "is not valid"}.`,
    }));
  }
  try {
    settingsAjv.compile(manifest.settings);
  } catch (error) {
    return [{ code: "INVALID_SETTINGS_SCHEMA", pointer: "/settings", message: `The settings schema does not compile: ${(error as Error).message}.` }];
  } finally {
    settingsAjv.removeSchema(manifest.settings);
  }
  return [];
}

function scheduleIssues(manifest: PluginManifest): Issue[] {
  const issues: Issue[] = [];
  for (const [i, schedule] of (manifest.schedules ?? []).entries()) {
    const problem = checkCron(schedule.cron);
    if (problem !== undefined) issues.push({ code: "INVALID_CRON", pointer: pointer("schedules", i, "cron"), message: `"${schedule.cron}" is not a valid cron expression: ${problem}.` });
    if (schedule.timezone !== undefined && !isTimeZone(schedule.timezone)) {
      issues.push({ code: "INVALID_TIMEZONE", pointer: pointer("schedules", i, "timezone"), message: `"${schedule.timezone}" is not a known IANA time zone.` });
    }
  }
  return issues;
}

function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat("en", { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

function duplicateNames(manifest: PluginManifest, list: "actions" | "schedules"): Issue[] {
  const seen = new Map<string, number>();
  const issues: Issue[] = [];
  for (const [i, item] of (manifest[list] ?? []).entries()) {
    const first = seen.get(item.name);
    if (first === undefined) seen.set(item.name, i);
    else issues.push({ code: "DUPLICATE_NAME", pointer: pointer(list, i, "name"), message: `"${item.name}" is already the name of ${list} item ${first}.` });
  }
  return issues;
}

function unknownEntities(manifest: PluginManifest, known: ReadonlySet<string>): Issue[] {
  const places: Array<[string[], string]> = [];
  const { records } = manifest.capabilities;
  for (const access of ["read", "write"] as const) {
    for (const [i, key] of (records?.[access] ?? []).entries()) places.push([["capabilities", "records", access, String(i)], key]);
  }
  for (const hook of HOOK_NAMES) {
    for (const [i, key] of (manifest.hooks?.[hook]?.entities ?? []).entries()) places.push([["hooks", hook, "entities", String(i)], key]);
  }
  for (const [i, action] of (manifest.actions ?? []).entries()) places.push([["actions", String(i), "entity"], action.entity]);
  return places
    .filter(([, key]) => !known.has(key))
    .map(([tokens, key]) => ({ code: "UNKNOWN_ENTITY", pointer: pointer(...tokens), message: `There is no entity with key "${key}".` }));
}
