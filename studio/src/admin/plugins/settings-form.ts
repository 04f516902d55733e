/** One input of a plugin's settings form, derived from a property of its settings JSON Schema. */
export interface SettingInput {
  key: string;
  kind: "text" | "number" | "integer" | "boolean" | "choice" | "json";
  title: string;
  description?: string;
  required: boolean;
  choices?: unknown[];
}

type Schema = { type?: unknown; properties?: Record<string, Record<string, unknown>>; required?: unknown };

/**
 * The inputs of a settings form: one per schema property, in order; strings, numbers, integers,
 * booleans and enums get their own input, anything else (arrays, objects) a JSON text area.
 * @example settingInputs({ type: "object", properties: { days: { type: "integer", title: "Days" } }, required: ["days"] })
 * // [{ key: "days", kind: "integer", title: "Days", required: true }]
 */
export function settingInputs(schema: Schema | undefined): SettingInput[] {
  const required = new Set(Array.isArray(schema?.required) ? (schema.required as string[]) : []);
  return Object.entries(schema?.properties ?? {}).map(([key, property]) => {
    const base = { key, title: typeof property.title === "string" ? property.title : key, required: required.has(key), ...(typeof property.description === "string" ? { description: property.description } : {}) };
    if (Array.isArray(property.enum)) return { ...base, kind: "choice", choices: property.enum };
    const kind = property.type === "string" ? "text" : property.type === "number" ? "number" : property.type === "integer" ? "integer" : property.type === "boolean" ? "boolean" : "json";
    return { ...base, kind };
  });
}

/**
 * The value an input's text stands for: numbers parsed (what does not parse stays text, so the
 * schema check reports it), JSON parsed, an empty input absent.
 */
export function settingValue(input: SettingInput, raw: string | boolean): unknown {
  if (typeof raw === "boolean") return raw;
  if (raw === "") return undefined;
  if (input.kind === "number" || input.kind === "integer") return Number.isNaN(Number(raw)) ? raw : Number(raw);
  if (input.kind === "json") {
    try {
      return JSON.parse(raw);
    } catch {
      return raw;
    }
  }
  if (input.kind === "choice") return input.choices?.find((c) => String(c) === raw) ?? raw;
  return raw;
}

/** How a stored value shows in its input. */
export function settingText(input: SettingInput, value: unknown): string {
  if (value === undefined || value === null) return "";
  return input.kind === "json" ? JSON.stringify(value) : String(value);
}
