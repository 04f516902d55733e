import type { ValidateFunction } from "ajv";
import { createAjv } from "../definition/create-ajv.ts";
import type { Issue, Result } from "../issues.ts";
import type { PluginManifest } from "./types.ts";

const ajv = createAjv();
// One compiled validator per manifest object (a plugin version's manifest never changes).
const compiled = new WeakMap<object, ValidateFunction>();

/**
 * Check a plugin's settings object against its manifest's settings schema; every issue at once, each
 * with a JSON Pointer into `settings`. A manifest without a settings schema takes any object.
 * @example validatePluginSettings({ ...manifest, settings: { type: "object", properties: { days: { type: "integer" } } } }, { days: "x" })
 * // { ok: false, issues: [{ code: "INVALID_SETTINGS", pointer: "/days", message: "/days must be integer." }] }
 */
export function validatePluginSettings(manifest: Pick<PluginManifest, "settings">, settings: unknown): Result<Record<string, unknown>> {
  if (settings === null || typeof settings !== "object" || Array.isArray(settings)) {
    return { ok: false, issues: [{ code: "INVALID_SETTINGS", pointer: "", message: "Settings must be a JSON object." }] };
  }
  if (manifest.settings === undefined) return { ok: true, value: settings as Record<string, unknown> };
  let validate = compiled.get(manifest.settings);
  if (validate === undefined) {
    validate = ajv.compile(manifest.settings);
    ajv.removeSchema(manifest.settings);
    compiled.set(manifest.settings, validate);
  }
  if (validate(settings)) return { ok: true, value: settings as Record<string, unknown> };
  const issues: Issue[] = (validate.errors ?? []).map((e) => {
    const missing = e.keyword === "required" ? `/${String((e.params as { missingProperty?: string }).missingProperty ?? "")}` : "";
    return { code: "INVALID_SETTINGS", pointer: `${e.instancePath}${missing}`, message: `${e.instancePath || "settings"}${missing} ${e.message ?? "is not valid"}.` };
  });
  return { ok: false, issues };
}
